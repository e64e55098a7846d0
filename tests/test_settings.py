"""Settings: RAG_* variables, overrides, and messages for bad values."""

from pathlib import Path

import pytest

from rag.settings import Settings, env_name, setting_help


def test_environment_then_overrides() -> None:
    s = Settings.from_env(env={"RAG_TOP_K": "6", "RAG_BACKEND": "openai"}, backend="embedded")
    assert s.top_k == 6 and s.backend == "embedded"


def test_paths_are_paths() -> None:
    assert Settings.from_env(env={"RAG_DATA_DIR": "/tmp/x"}).data_dir == Path("/tmp/x")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"RAG_TOP_K": "many"}, "RAG_TOP_K='many' is not a valid int"),
        ({"RAG_TOP_K": "0"}, "top_k must be between 1 and 50"),
        ({"RAG_BACKEND": "gpt"}, "backend must be embedded, openai or ollama"),
        ({"RAG_PASSAGE_CHARS": "5"}, "passage_chars must be at least 40"),
    ],
)
def test_bad_values_say_which_variable(env: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Settings.from_env(env=env)


def test_every_setting_has_help_and_an_env_name() -> None:
    for name, help_text, _default, _choices in setting_help():
        assert help_text and env_name(name) == "RAG_" + name.upper()


def test_logins_are_parsed_and_never_shown() -> None:
    s = Settings.from_env(env={"RAG_AUTH": "reader:pa:ss, editor:other"})
    assert s.logins() == [("reader", "pa:ss"), ("editor", "other")]
    assert "pa:ss" not in repr(s) and "other" not in repr(s)
    assert Settings.from_env(env={}).logins() == []


def test_a_malformed_login_names_the_format_not_the_secret() -> None:
    with pytest.raises(ValueError, match="RAG_AUTH must be user:password") as err:
        Settings.from_env(env={"RAG_AUTH": "hunter2"})
    assert "hunter2" not in str(err.value)


def test_switches_read_yes_and_no() -> None:
    assert Settings.from_env(env={"RAG_SHARE": "yes"}).share is True
    assert Settings.from_env(env={"RAG_SHARE": "0"}).share is False
    with pytest.raises(ValueError, match="RAG_SHARE='maybe' is not a valid bool"):
        Settings.from_env(env={"RAG_SHARE": "maybe"})


def test_secrets_are_not_flags() -> None:
    assert "auth" not in [name for name, *_ in setting_help()]
