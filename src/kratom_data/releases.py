"""Release records kept in the repo: one manifest per version (file hashes, row counts, every ID).

They let any later release prove that no released ID was edited away or reused; the corrections
and withdrawn logs beside them are tables of the package (`corrections`, `withdrawn`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


def version_key(version: str) -> tuple[int, ...]:
    match = VERSION.match(version)
    return tuple(int(x) for x in match.groups()) if match else (-1,)


def manifests(root: Path) -> dict[str, dict]:
    """Every release manifest in releases/<version>/manifest.json, oldest first."""
    found = {}
    for path in (root / "releases").glob("*/manifest.json"):
        found[path.parent.name] = json.loads(path.read_text(encoding="utf-8"))
    return dict(sorted(found.items(), key=lambda item: version_key(item[0])))


def make_manifest(version: str, date: str, out: Path, ids: dict[str, list[str]]) -> dict:
    files = {}
    for line in (out / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        files[name] = digest
    return {
        "version": version,
        "date": date,
        "files": files,
        "rows": {name: len(keys) for name, keys in ids.items()},
        "ids": {name: sorted(keys) for name, keys in ids.items()},
    }
