"""`python -m tools.audit`: known vulnerabilities of the installed packages from PyPI's per-project
JSON, for registries that serve it but not the per-version JSON pip-audit asks for (as here).

PyPI lists, per project, the advisories that affect its latest release; a package installed at
an older release is reported as not audited rather than guessed about."""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata

PYPI = "https://pypi.org/pypi/{}/json"
# Advisories that were read and judged; the README's "Dependency audit" says why in full.
EXPLAINED = {
    "chromadb": "Chroma server endpoints (code injection through collection settings, tenant "
    "checks): only a Chroma server is exposed, and this project's one binds 127.0.0.1 with "
    "only the app as its client; the embedded index runs no server",
    "diskcache": "pickle files in a cache folder: llama-cpp-python imports it for a disk "
    "cache this project never turns on, so no such folder exists",
}


def _latest(name: str) -> tuple[str, list[dict]] | None:
    """The project's latest version on PyPI and the advisories that affect it."""
    try:
        with urllib.request.urlopen(PYPI.format(name), timeout=30) as reply:
            data = json.load(reply)
    except urllib.error.HTTPError as err:
        if err.code == 404:
            return None
        raise
    return data["info"]["version"], data.get("vulnerabilities") or []


def audit() -> dict:
    """Audit the packages installed beside this one."""
    installed = {d.metadata["Name"]: d.version for d in metadata.distributions()}
    with ThreadPoolExecutor(8) as pool:
        answers = dict(zip(installed, pool.map(_latest, installed), strict=True))
    return classify(installed, answers)


def classify(installed: dict[str, str], answers: dict[str, tuple[str, list[dict]] | None]) -> dict:
    """Findings, explained findings, packages not audited, and how many are clean."""
    report: dict = {"clean": 0, "findings": [], "explained": [], "not_audited": []}
    for name, version in sorted(installed.items(), key=lambda kv: kv[0].lower()):
        answer = answers[name]
        if answer is None or answer[0] != version.split("+")[0]:
            latest = answer[0] if answer else "not on PyPI"
            report["not_audited"].append(f"{name} {version} (latest {latest})")
            continue
        ids = sorted({v["id"] for v in answer[1]})
        if not ids:
            report["clean"] += 1
        elif name.lower() in EXPLAINED:
            reason = EXPLAINED[name.lower()]
            report["explained"].append(f"{name} {version}: {', '.join(ids)} ({reason})")
        else:
            report["findings"].append(f"{name} {version}: {', '.join(ids)}")
    return report


def main() -> int:
    try:
        report = audit()
    except (urllib.error.URLError, OSError) as err:
        print(f"cannot reach PyPI ({err}); run the audit where pypi.org answers", file=sys.stderr)
        return 2
    print(json.dumps(report, indent=2))
    return 1 if report["findings"] else 0


if __name__ == "__main__":
    sys.exit(main())
