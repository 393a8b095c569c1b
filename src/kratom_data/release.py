"""Cut a release: validate, build with the validation report, then record (or reproduce) its
manifest and draft its CHANGELOG section."""

from __future__ import annotations

import json
from pathlib import Path

from . import diff, releases
from .build import build
from .metadata import release_date
from .outputs import OutputFolder
from .schema import Package


class ReleaseError(ValueError):
    """A release that would break the record: a clear message, never a traceback."""


def release(root: Path, out: Path, progress=None) -> tuple[Path, str]:
    """Build into `out`; write releases/<version>/manifest.json, or check a rebuild matches it byte for byte."""
    from .validate import run

    package = Package.read(root / "datapackage.json")
    date = release_date(root, package)
    outcome = run(root)
    if outcome.problems:
        raise ReleaseError(f"the data has {len(outcome.problems)} problem(s): run `kratom-data validate` and fix them first")
    build(root, out, report=outcome.report(package.version), progress=progress)
    built = Package.read(out / "datapackage.json")
    ids = {name: [table.key(row) for row in built.rows(name)] for name, table in built.tables.items()}
    manifest = releases.make_manifest(package.version, date, out, ids)
    path = root / "releases" / package.version / "manifest.json"
    if path.exists():
        recorded = json.loads(path.read_text(encoding="utf-8"))
        if recorded != manifest:
            changed = sorted(f for f in set(recorded["files"]) | set(manifest["files"]) if recorded["files"].get(f) != manifest["files"].get(f))
            raise ReleaseError(f"{package.version} was already released with different content ({', '.join(changed)}): bump the version in catalogue/package.toml (then `kratom-data generate`), CHANGELOG.md and CITATION.cff")
        outcome_text = f"release {package.version} reproduced: every file matches {path.relative_to(root)}"
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        outcome_text = f"release {package.version} recorded in {path.relative_to(root)}"
    notes = OutputFolder(out, "release")
    notes.clear(["CHANGES.md"])
    (out / "CHANGES.md").write_text(changelog_draft(root, package.version), encoding="utf-8")
    notes.record([out / "CHANGES.md"])
    return path, outcome_text


def changelog_draft(root: Path, version: str) -> str:
    """The CHANGELOG section for `version`, from the diff against the previous release's git tag."""
    manifests = releases.manifests(root)
    earlier = [v for v in manifests if releases.version_key(v) < releases.version_key(version)]
    new = diff.snapshot(str(root), root)
    if earlier:
        try:
            old = diff.snapshot(f"v{earlier[-1]}", root)
        except diff.SnapshotError:
            old = _ids_only(manifests[earlier[-1]], new)
    else:
        old = diff.Snapshot("nothing", new.package, {name: {} for name in new.tables})
    logged = {}
    for record in new.package.rows("corrections"):
        if record["version"] == version:
            logged.setdefault((record["table"], record["id"]), []).append(record)
    body = diff.as_changelog(diff.diff(old, new), logged)
    return f"## [{version}] - (draft against {old.label}; edit before publishing)\n\n{body}"


def _ids_only(manifest: dict, new: diff.Snapshot) -> diff.Snapshot:
    """The previous release from its manifest when its git tag is absent (e.g. a shallow CI checkout):
    added and withdrawn IDs are exact; field-level changes need the tag."""
    tables = {name: {key: new.tables.get(name, {}).get(key, {"id": key}) for key in keys} for name, keys in manifest["ids"].items()}
    label = f"the {manifest['version']} manifest (tag v{manifest['version']} not in this checkout, so changed fields are not listed)"
    return diff.Snapshot(label, new.package, tables)
