"""Row-level differences between two versions of the data, by ID, with field-level before/after.

A version is a release folder (with csv/), a source tree (with data/), a released version number
(`0.1.0` or `v0.1.0`, found through releases/<version>/manifest.json, no git tag needed), or a
git revision.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .schema import Package


class SnapshotError(ValueError):
    """A version that cannot be read: a clear message, never a traceback."""


@dataclass
class Snapshot:
    label: str
    package: Package
    tables: dict[str, dict[str, dict[str, str]]]  # table -> id -> row


@dataclass
class TableDiff:
    added: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, tuple[str | None, str | None]]] = field(default_factory=dict)

    def empty(self) -> bool:
        return not (self.added or self.withdrawn or self.changed)


def snapshot(spec: str, repo: Path) -> Snapshot:
    """Read a version given as a folder (a source tree or a built release) or a git revision of `repo`."""
    path = Path(spec)
    if path.is_dir():
        if not (path / "datapackage.json").exists():
            raise SnapshotError(f"{spec}: no datapackage.json in that folder")
        package = Package.read(path / "datapackage.json")
    else:
        revision = released_revision(spec, repo) or spec
        descriptor = _git_show(repo, revision, "datapackage.json")
        if descriptor is None:
            raise SnapshotError(f"{spec}: neither a folder, a released version (releases/<version>/manifest.json) nor a git revision with datapackage.json")
        package = Package(json.loads(descriptor), repo, opener=lambda relative: _git_show(repo, revision, relative))
    tables = {name: {table.key(row): row for row in package.rows(name)} for name, table in package.tables.items()}
    return Snapshot(spec, package, tables)


def released_revision(spec: str, repo: Path) -> str | None:
    """The commit holding exactly the data of released version `spec`: its tag if present, else the commit
    whose CSVs hash to what releases/<version>/manifest.json recorded. None if `spec` is not a released version."""
    from .releases import VERSION

    version = spec.removeprefix("v")
    manifest_path = repo / "releases" / version / "manifest.json"
    if not VERSION.match(version) or not manifest_path.exists():
        return None
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    listed = subprocess.run(["git", "-C", str(repo), "log", "--format=%H", "--", f"releases/{version}/manifest.json"], capture_output=True, text=True)
    tag = subprocess.run(["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", f"v{version}^{{commit}}"], capture_output=True, text=True)
    for candidate in [tag.stdout.strip()] + listed.stdout.split():
        if candidate and _holds(repo, candidate, manifest):
            return candidate
    raise SnapshotError(f"release {version} is recorded in {manifest_path.relative_to(repo)}, but no commit in this clone holds its data "
                        "(a shallow clone? fetch the history with `git fetch --unshallow`), or compare against a built release folder")


def _holds(repo: Path, revision: str, manifest: dict) -> bool:
    """Every CSV the release shipped hashes, at `revision`, to the digest its manifest recorded."""
    descriptor = _git_show(repo, revision, "datapackage.json")
    if descriptor is None:
        return False
    for resource in json.loads(descriptor)["resources"]:
        digest = manifest["files"].get(f"csv/{resource['name']}.csv")
        text = _git_show(repo, revision, resource["path"])
        if digest is None or text is None or hashlib.sha256(text).hexdigest() != digest:
            return False
    return True


def _git_show(repo: Path, revision: str, path: str) -> bytes | None:
    result = subprocess.run(["git", "-C", str(repo), "show", f"{revision}:{path}"], capture_output=True)
    return result.stdout if result.returncode == 0 else None


def diff(old: Snapshot, new: Snapshot) -> dict[str, TableDiff]:
    out = {}
    for name in dict.fromkeys([*new.tables, *old.tables]):
        before, after = old.tables.get(name, {}), new.tables.get(name, {})
        result = TableDiff(
            added=sorted(set(after) - set(before)),
            withdrawn=sorted(set(before) - set(after)),
        )
        for key in sorted(set(before) & set(after)):
            fields = dict.fromkeys([*before[key], *after[key]])
            changes = {f: (before[key].get(f), after[key].get(f)) for f in fields if before[key].get(f) != after[key].get(f)}
            if changes:
                result.changed[key] = changes
        out[name] = result
    return out


def as_json(result: dict[str, TableDiff]) -> str:
    return json.dumps(
        {
            name: {
                "added": d.added,
                "withdrawn": d.withdrawn,
                "changed": {key: {f: {"before": b, "after": a} for f, (b, a) in changes.items()} for key, changes in d.changed.items()},
            }
            for name, d in result.items()
        },
        indent=2,
        ensure_ascii=False,
    )


def as_text(result: dict[str, TableDiff]) -> str:
    lines = []
    for name, d in result.items():
        if d.empty():
            continue
        lines.append(f"{name}: +{len(d.added)} added, -{len(d.withdrawn)} withdrawn, ~{len(d.changed)} changed")
        lines += [f"  + {key}" for key in d.added]
        lines += [f"  - {key}" for key in d.withdrawn]
        for key, changes in d.changed.items():
            lines.append(f"  ~ {key}")
            lines += [f"      {f}: {b!r} -> {a!r}" for f, (b, a) in changes.items()]
    return "\n".join(lines) if lines else "no differences"


def as_markdown(result: dict[str, TableDiff]) -> str:
    lines = []
    for name, d in result.items():
        if d.empty():
            continue
        lines += [f"## {name}", "", f"{len(d.added)} added, {len(d.withdrawn)} withdrawn, {len(d.changed)} changed.", ""]
        if d.changed:
            lines += ["| ID | field | before | after |", "| --- | --- | --- | --- |"]
            for key, changes in d.changed.items():
                lines += [f"| `{key}` | {f} | {_cell(b)} | {_cell(a)} |" for f, (b, a) in changes.items()]
            lines.append("")
        for word, keys in (("Added", d.added), ("Withdrawn", d.withdrawn)):
            if keys:
                lines += [f"{word}: " + ", ".join(f"`{k}`" for k in keys), ""]
    return "\n".join(lines) if lines else "No differences.\n"


def as_changelog(result: dict[str, TableDiff], corrections: dict[tuple[str, str], list[dict]] | None = None) -> str:
    """A Keep-a-Changelog section body: Added / Changed / Corrected / Withdrawn, with IDs, for a person to edit."""
    corrections = corrections or {}
    sections = {"Added": [], "Changed": [], "Corrected": [], "Withdrawn": []}
    for name, d in result.items():
        if d.added:
            sections["Added"].append(f"- `{name}`: {len(d.added)} rows: " + ", ".join(f"`{k}`" for k in d.added))
        for key, changes in d.changed.items():
            logged = corrections.get((name, key))
            fields = ", ".join(sorted(changes))
            if logged:
                reasons = "; ".join(sorted({c["reason"] for c in logged}))
                sections["Corrected"].append(f"- `{name}` `{key}`: {fields} ({reasons})")
            else:
                sections["Changed"].append(f"- `{name}` `{key}`: {fields}")
        if d.withdrawn:
            sections["Withdrawn"].append(f"- `{name}`: " + ", ".join(f"`{k}`" for k in d.withdrawn))
    lines = []
    for title, items in sections.items():
        if items:
            lines += [f"### {title}", *items, ""]
    return "\n".join(lines)


def _cell(value: str | None) -> str:
    if value is None:
        return "*(none)*"
    value = value.replace("|", "\\|")
    return value if len(value) <= 120 else value[:117] + "..."
