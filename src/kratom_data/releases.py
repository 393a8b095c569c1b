"""Release records kept in the repo: one manifest per version, the corrections log, withdrawn IDs.

They let any later release prove that no released ID was edited away or reused, and that every
correction of a released fact says what changed, why, and on what source.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from .problems import Problem

CORRECTIONS_FIELDS = ["version", "table", "id", "field", "old_value", "new_value", "reason", "source_id", "date"]
WITHDRAWN_FIELDS = ["version", "table", "id", "reason", "replaced_by"]
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


def latest_manifest(root: Path) -> dict | None:
    all_manifests = manifests(root)
    return list(all_manifests.values())[-1] if all_manifests else None


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


def read_log(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def corrections(root: Path) -> list[dict[str, str]]:
    return read_log(root / "releases" / "corrections.csv")


def withdrawn(root: Path) -> list[dict[str, str]]:
    return read_log(root / "releases" / "withdrawn.csv")


def check(root: Path, texts) -> list[Problem]:
    """Released IDs are kept or withdrawn, withdrawn IDs never come back, corrections match the data."""
    problems: list[Problem] = []
    try:
        manifest = latest_manifest(root)
    except (json.JSONDecodeError, OSError) as error:
        return [Problem("releases", None, None, "manifest-unreadable", None, f"a release manifest cannot be read: {error}", "restore releases/<version>/manifest.json from git", "releases")]
    gone = {(w["table"], w["id"]): w for w in withdrawn(root)}
    current = {name: {row[text.table.primary_key[0]]: (line, row) for line, row in zip(text.lines, text.rows)} for name, text in texts.items() if text.readable}
    if manifest:
        for name, released in manifest["ids"].items():
            if name not in current:
                continue
            for key in released:
                if key not in current[name] and (name, key) not in gone:
                    problems.append(Problem(name, None, texts[name].table.primary_key[0], "released-id-missing", key,
                                            f"{key!r} was released in {manifest['version']} but is no longer in the table",
                                            "restore the row (IDs never change: correct it in place), or withdraw it in releases/withdrawn.csv", "releases"))
    for (name, key), record in gone.items():
        if key in current.get(name, {}):
            line, _ = current[name][key]
            problems.append(Problem(name, line, texts[name].table.primary_key[0], "withdrawn-id-reused", key,
                                    f"{key!r} was withdrawn in {record['version']} and may never be used again",
                                    "give the new row a new ID", "releases"))
    for number, record in enumerate(corrections(root), start=2):
        table_rows = current.get(record["table"])
        if table_rows is None:
            continue
        entry = table_rows.get(record["id"])
        where = f"releases/corrections.csv line {number}"
        if entry is None:
            if (record["table"], record["id"]) not in gone:
                problems.append(Problem(record["table"], None, None, "correction-unknown-id", record["id"], f"{where} corrects an ID that is not in the table", "fix the ID in the corrections log", "releases"))
            continue
        line, row = entry
        if record["field"] not in row:
            problems.append(Problem(record["table"], line, record["field"], "correction-unknown-field", record["field"], f"{where} names a field the table does not have", "fix the field name in the corrections log", "releases"))
        elif not record["reason"] or not record["source_id"]:
            problems.append(Problem(record["table"], line, record["field"], "correction-undocumented", record["id"], f"{where} has no reason or source", "say why the value changed and cite the source", "releases"))
    return problems
