"""The `kratom-data` command: parses arguments and hands over to the modules that do the work."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kratom-data", description="Validate, build and inspect the kratom-data package.")
    parser.add_argument("--root", type=Path, default=Path("."), help="folder holding datapackage.json and data/ (default: .)")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check data/ with every layer (files, Frictionless, Great Expectations, domain); never modifies files")
    validate.add_argument("--json", action="store_true", help="print a machine-readable report")
    validate.add_argument("--layers", type=_layers, default=None, help="comma-separated subset of: files,frictionless,great_expectations,domain")
    build = commands.add_parser("build", help="validate, then write the release (and its validation report) to --out")
    build.add_argument("--out", type=Path, default=Path("dist"), help="release folder (default: dist); only files a build wrote are ever replaced")
    release = commands.add_parser("release", help="validate, build, and record or reproduce the release manifest")
    release.add_argument("--out", type=Path, default=Path("dist"), help="release folder (default: dist)")
    compare = commands.add_parser("diff", help="rows added, withdrawn and changed between two versions")
    compare.add_argument("old", help="release folder, source tree or git revision (e.g. v0.1.0)")
    compare.add_argument("new", nargs="?", default=".", help="the same kinds (default: the working tree)")
    compare.add_argument("--format", choices=["text", "json", "markdown", "changelog"], default="text")
    site = commands.add_parser("site", help="write the static site (maps, timelines, evidence map) to --out")
    site.add_argument("--out", type=Path, default=Path("dist/site"), help="site folder (default: dist/site)")
    site.add_argument("--release", type=Path, default=Path("dist"), help="release folder whose files and checksums to list")
    serve = commands.add_parser("serve", help="open the SQLite release in Datasette with its metadata (pip install datasette)")
    serve.add_argument("--release", type=Path, default=Path("dist"), help="release folder (default: dist)")
    serve.add_argument("--port", type=int, default=8001)
    coverage = commands.add_parser("coverage", help="print coverage figures: researched jurisdictions, verification levels, sources")
    coverage.add_argument("--json", action="store_true", help="print the figures as JSON")
    commands.add_parser("sort", help="repair the tables' CSVs: byte-order mark, CRLF, final newline, primary-key order (the only command that edits data)")
    commands.add_parser("generate", help="write datapackage.json and docs/data-dictionary.md from catalogue/*.toml")
    dictionary = commands.add_parser("dictionary", help="write the data dictionary generated from datapackage.json")
    dictionary.add_argument("--out", type=Path, default=Path("docs/data-dictionary.md"))
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ImportError as error:  # the validation extra is not installed
        print(f"kratom-data {args.command} needs the validation tools: pip install 'kratom-data[validate]' ({error})", file=sys.stderr)
        return 2


def _layers(text: str) -> tuple[str, ...]:
    from .validate import LAYERS

    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [layer for layer in chosen if layer not in LAYERS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"unknown layer(s) {', '.join(unknown) or '(none)'}; choose from {','.join(LAYERS)}")
    return chosen


def run_validate(args) -> int:
    from .validate import LAYERS, validate

    problems = validate(args.root.resolve(), layers=args.layers or LAYERS, progress=_stage if not args.json else None)
    if args.json:
        print(json.dumps({"valid": not problems, "problems": [p.as_dict() for p in problems]}, indent=2, ensure_ascii=False))
    else:
        _print_problems(problems)
    return 1 if problems else 0


def run_build(args) -> int:
    from .build import build
    from .schema import Package
    from .validate import run

    def step(root, out):
        outcome = run(root, progress=_stage)
        if outcome.problems:
            _print_problems(outcome.problems)
            raise StepError("fix the problems above first")
        report = outcome.report(Package.read(root / "datapackage.json").version)
        return f"built {len(build(root, out, report=report, progress=_track))} files into {out}"

    return _stopping_cleanly(args, "build", step)


def run_release(args) -> int:
    from .release import release

    def step(root, out):
        _, outcome = release(root, out, progress=_track)
        return f"{outcome}\nchangelog draft: {out / 'CHANGES.md'}"

    return _stopping_cleanly(args, "release", step)


class StepError(ValueError):
    """A step that stopped for a reason already explained to the user."""


def _stopping_cleanly(args, step: str, action) -> int:
    """Run a step that writes into --out; a refusal (invalid data, version mismatch, someone else's files) is a message."""
    from .metadata import VersionError
    from .outputs import OutputError
    from .release import ReleaseError

    root = args.root.resolve()
    if not (root / "datapackage.json").exists():
        print(f"{step}: no datapackage.json in {root}; run it in the source tree (datapackage.json, data/), or pass --root FOLDER", file=sys.stderr)
        return 1
    out = args.out if args.out.is_absolute() else root / args.out
    try:
        print(action(root, out))
    except (ReleaseError, VersionError, OutputError, StepError) as error:
        print(f"{step} stopped: {error}", file=sys.stderr)
        return 1
    return 0


def run_diff(args) -> int:
    from . import diff

    root = args.root.resolve()
    try:
        old, new = diff.snapshot(args.old, root), diff.snapshot(args.new, root)
    except diff.SnapshotError as error:
        print(f"diff: {error}", file=sys.stderr)
        return 2
    result = diff.diff(old, new)
    render = {"text": diff.as_text, "json": diff.as_json, "markdown": diff.as_markdown, "changelog": diff.as_changelog}[args.format]
    print(render(result))
    return 0


def run_site(args) -> int:
    from .outputs import OutputError
    from .site import build_site

    from .loader import release_folder

    root = args.root.resolve()
    out = args.out if args.out.is_absolute() else root / args.out
    release = args.release if args.release.is_absolute() else root / args.release
    if not (release / "datapackage.json").exists():
        if (root / "datapackage.json").exists():
            print(f"site: no release in {release}; build one first (kratom-data build --out {args.release})", file=sys.stderr)
            return 1
        release = release_folder()  # outside a source tree: the release shipped in the package
        print(f"site: using the release shipped in the installed package ({release})", file=sys.stderr)
    try:
        files = build_site(root, out, release)
    except OutputError as error:
        print(f"site stopped: {error}", file=sys.stderr)
        return 1
    print(f"wrote {len(files)} files; open {out / 'index.html'}")
    return 0


def run_serve(args) -> int:
    import shutil
    import subprocess

    release = args.release if args.release.is_absolute() else args.root.resolve() / args.release
    database, metadata = release / "kratom-data.sqlite", release / "datasette.json"
    if not database.exists():
        print(f"serve: {database} not found; run `kratom-data build` first", file=sys.stderr)
        return 1
    if shutil.which("datasette") is None:
        print("serve: Datasette is not installed: pip install datasette", file=sys.stderr)
        return 2
    return subprocess.call(["datasette", "serve", str(database), "--metadata", str(metadata), "--host", "127.0.0.1", "--port", str(args.port)])


def _package(args):
    """The source tree at --root, or else (outside one) the release shipped in the installed package."""
    from .loader import source_package
    from .schema import Package

    root = args.root.resolve()
    if (root / "datapackage.json").exists():
        return Package.read(root / "datapackage.json")
    print(f"no datapackage.json in {root}: using the release shipped in the installed package", file=sys.stderr)
    return source_package()


def run_coverage(args) -> int:
    from .coverage import coverage, render

    figures = coverage(_package(args))
    print(json.dumps(figures, indent=2) if args.json else render(figures))
    return 0


def run_sort(args) -> int:
    from .sorting import sort_tables

    root = args.root.resolve()
    if not (root / "datapackage.json").exists():
        print(f"sort: no datapackage.json in {root}; run it in the folder that holds datapackage.json and data/, or pass --root FOLDER", file=sys.stderr)
        return 1
    changed = sort_tables(root)
    for path, repairs in changed.items():
        print(f"{path}: " + "; ".join(repairs))
    print(f"repaired {len(changed)} file(s)" if changed else "nothing to repair")
    return 0


def run_generate(args) -> int:
    from . import catalogue
    from .dictionary import write_dictionary
    from .schema import Package

    root = args.root.resolve()
    if not catalogue.exists(root):
        print(f"generate: no catalogue/ in {root}; run it in the source tree that holds catalogue/*.toml, or pass --root FOLDER", file=sys.stderr)
        return 1
    try:
        path = catalogue.write(root)
    except (catalogue.CatalogueError, OSError, ValueError) as error:
        print(f"generate stopped: {error}", file=sys.stderr)
        return 1
    from .metadata import VersionError, citation_files

    out = root / "docs" / "data-dictionary.md"
    package = Package.read(path)
    write_dictionary(package, out)
    try:
        cited = citation_files(root, package)
    except VersionError as error:
        print(f"generate stopped: {error}", file=sys.stderr)
        return 1
    for name, text in cited.items():
        (root / name).write_text(text, encoding="utf-8")
    print(f"wrote {path}, {out}, " + ", ".join(str(root / name) for name in cited))
    return 0


def run_dictionary(args) -> int:
    from .dictionary import write_dictionary

    out = args.out if args.out.is_absolute() else args.root / args.out
    write_dictionary(_package(args), out)
    print(f"wrote {out}")
    return 0


def _print_problems(problems) -> None:
    for problem in problems:
        print(problem.render())
    if problems:
        by_table = Counter(p.table for p in problems)
        print(f"\n{len(problems)} problem(s): " + ", ".join(f"{t} {n}" for t, n in sorted(by_table.items())))
    else:
        print("valid: every table passed the files, Frictionless, Great Expectations and domain checks")


def _stage(name: str) -> None:
    print(f"checking: {name}", file=sys.stderr)


def _track(items, description):
    try:
        from rich.progress import track
    except ImportError:
        return items
    return track(items, description=f"building {description}", transient=True)


COMMANDS = {"validate": run_validate, "build": run_build, "release": run_release, "diff": run_diff, "site": run_site, "serve": run_serve, "coverage": run_coverage, "sort": run_sort, "generate": run_generate, "dictionary": run_dictionary}

if __name__ == "__main__":
    sys.exit(main())
