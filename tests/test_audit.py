"""The dependency audit's verdicts, from PyPI answers given here."""

from tools.audit import classify

ADVISORY = [{"id": "GHSA-xxxx"}, {"id": "PYSEC-1"}]


def test_findings_explained_findings_and_packages_not_audited() -> None:
    installed = {
        "fine": "1.0",
        "risky": "2.0",
        "chromadb": "1.5.9",
        "old": "0.9",
        "torch": "2.13.0+cpu",
        "local": "0.1",
    }
    answers = {
        "fine": ("1.0", []),
        "risky": ("2.0", ADVISORY),
        "chromadb": ("1.5.9", ADVISORY),
        "old": ("1.0", ADVISORY),  # advisories of 1.0 say nothing about 0.9
        "torch": ("2.13.0", []),  # a local build label does not hide the release
        "local": None,
    }
    report = classify(installed, answers)
    assert report["clean"] == 2
    assert report["findings"] == ["risky 2.0: GHSA-xxxx, PYSEC-1"]
    (explained,) = report["explained"]
    assert explained.startswith("chromadb 1.5.9: GHSA-xxxx, PYSEC-1 (Chroma server endpoints")
    assert report["not_audited"] == ["local 0.1 (latest not on PyPI)", "old 0.9 (latest 1.0)"]
