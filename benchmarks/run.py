"""Benchmarks: ratios against a floor measured in the same run, never absolute timings in tests.

- loader: `kratom_data.load(t)` vs `pyarrow.parquet.read_table(path).to_pandas()` (target <= 1.2x)
- import: `import kratom_data` vs `import pandas, pyarrow.parquet` in fresh interpreters
- validation: the real data (target <= 10 s with imports) and every table scaled x10, x100, x1000:
  rows/s per layer and the growth ratio (target: 10x rows costs <= 11x time)
- build: time, reproducibility (two builds, same SHA256SUMS), wheel size (target <= 3 MB)

Usage: python benchmarks/run.py [--scales 10 100 1000] [--out DIR] [--record]
Writes results.json and benchmarks.md into --out (default dist/benchmarks, untracked); --record also
updates the tracked benchmarks/results.json and docs/benchmarks.md (a maintainer's choice).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def best_of(fn, repeat: int = 21) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_loader(repeat: int = 51) -> dict:
    """Floor and loader alternate in one loop; the minimum of each is the least noisy estimate at millisecond scale."""
    import pyarrow.parquet as pq

    import kratom_data
    from kratom_data.loader import release_folder

    DATA = release_folder() / "parquet"  # noqa: N806 - the release the loader reads (the installed one, or $KRATOM_DATA_RELEASE)

    out = {}
    for name in kratom_data.tables():
        floor, ours = [], []
        for _ in range(repeat):
            for fn, times in ((lambda: pq.read_table(DATA / f"{name}.parquet").to_pandas(), floor), (lambda: kratom_data.load(name), ours)):
                start = time.perf_counter()
                fn()
                times.append(time.perf_counter() - start)
        out[name] = {"floor_s": min(floor), "load_s": min(ours), "ratio": min(ours) / min(floor)}
    return out


def bench_import() -> dict:
    def run(code: str) -> float:
        return best_of(lambda: subprocess.run([sys.executable, "-c", code], check=True), repeat=5)

    floor = run("import pandas, pyarrow.parquet")
    ours = run("import kratom_data")
    return {"floor_s": floor, "import_s": ours, "ratio": ours / floor}


def scaled_copy(factor: int, folder: Path) -> int:
    """The package with every table's rows repeated `factor` times under new, sorted, unique IDs."""
    from kratom_data.schema import Package

    shutil.copy(REPO / "datapackage.json", folder / "datapackage.json")
    shutil.copytree(REPO / "validation", folder / "validation")
    shutil.copytree(REPO / "releases", folder / "releases")  # the logs are tables too; they are not scaled
    (folder / "data").mkdir()
    package = Package.read(REPO / "datapackage.json")
    total = 0
    for name, table in package.tables.items():
        if not table.path.startswith("data/"):
            continue
        (key,) = table.primary_key
        with open(REPO / table.path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        scaled = []
        for copy in range(factor):
            for row in rows:
                clone = dict(row)
                if copy and name != "jurisdictions":  # jurisdiction codes must stay real ISO codes
                    clone[key] = f"{row[key]}x{copy:04d}"
                scaled.append(clone)
        if name == "jurisdictions":
            scaled = rows  # the referenced table; its size is fixed by ISO 3166
        scaled.sort(key=lambda r: r[key])
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=table.field_names, lineterminator="\n")
        writer.writeheader()
        writer.writerows(scaled)
        (folder / table.path).write_text(buffer.getvalue(), encoding="utf-8")
        total += len(scaled)
    return total


def bench_validation(scales: list[int]) -> dict:
    from kratom_data.validate import validate

    wall = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kratom_data.cli", "--root", str(REPO), "validate"], check=True, capture_output=True)
    results = {"real_data_cli_s": time.perf_counter() - wall, "scales": {}}
    validate(REPO)  # warm-up: imports and the Great Expectations context are paid once, outside the timings
    for factor in [1, *scales]:
        with tempfile.TemporaryDirectory() as folder:
            rows = scaled_copy(factor, Path(folder))
            marks = []
            start = time.perf_counter()
            validate(Path(folder), progress=lambda stage: marks.append((stage, time.perf_counter())))
            end = time.perf_counter()
        stages = ["files", *[m[0] for m in marks]]
        times = [start, *[m[1] for m in marks], end]
        layers = {stage: times[i + 1] - times[i] for i, stage in enumerate(stages)}
        results["scales"][str(factor)] = {
            "rows": rows,
            "seconds": end - start,
            "rows_per_s": {stage: rows / max(t, 1e-9) for stage, t in layers.items()},
            "layer_seconds": layers,
        }
    ordered = [results["scales"][str(f)] for f in [1, *scales]]
    results["growth"] = [
        {"from": a["rows"], "to": b["rows"], "row_ratio": b["rows"] / a["rows"], "time_ratio": b["seconds"] / a["seconds"]}
        for a, b in zip(ordered, ordered[1:])
    ]
    return results


def bench_build() -> dict:
    from kratom_data.build import build

    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        build(REPO, Path(folder) / "a")
        seconds = time.perf_counter() - start
        build(REPO, Path(folder) / "b")
        same = (Path(folder) / "a" / "SHA256SUMS").read_text() == (Path(folder) / "b" / "SHA256SUMS").read_text()
    wheels = sorted((REPO / "dist" / "python").glob("*.whl"))
    return {"seconds": seconds, "byte_identical": same, "wheel_bytes": wheels[-1].stat().st_size if wheels else None}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="*", default=[10, 100, 1000])
    parser.add_argument("--out", type=Path, default=REPO / "dist" / "benchmarks", help="where to write the results (default: dist/benchmarks)")
    parser.add_argument("--record", action="store_true", help="also update the tracked benchmarks/results.json and docs/benchmarks.md")
    args = parser.parse_args()
    results = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": __import__("os").cpu_count()},
        "loader": bench_loader(),
        "import": bench_import(),
        "build": bench_build(),
        "validation": bench_validation(args.scales),
    }
    table = summary(results)
    machine = results["machine"]
    report = ("# Benchmarks\n\nWritten by `make bench` (`benchmarks/run.py`); raw numbers in `benchmarks/results.json`. "
              "Every ratio compares against a floor measured in the same run.\n\n"
              f"Machine: Python {machine['python']}, {machine['cpus']} CPUs, {machine['platform']}.\n\n{table}\n\n"
              "Rows/s per validation layer at each scale:\n\n" + layer_table(results) + "\n")
    targets = [(args.out / "results.json", args.out / "benchmarks.md")]
    if args.record:
        targets.append((REPO / "benchmarks" / "results.json", REPO / "docs" / "benchmarks.md"))
    for raw, text in targets:
        raw.parent.mkdir(parents=True, exist_ok=True)
        raw.write_text(json.dumps(results, indent=2) + "\n")
        text.write_text(report)
    print(table)
    print(f"written to {args.out}" + (" and recorded in benchmarks/ and docs/" if args.record else ""))


def summary(results: dict) -> str:
    lines = ["| measure | value | target |", "| --- | --- | --- |"]
    worst = max(results["loader"].values(), key=lambda r: r["ratio"])
    median = statistics.median(r["ratio"] for r in results["loader"].values())
    lines.append(f"| load(t) / read_table().to_pandas(), median over tables | {median:.2f}x | <= 1.2x |")
    lines.append(f"| load(t) / read_table().to_pandas(), worst table | {worst['ratio']:.2f}x | <= 1.2x |")
    lines.append(f"| import kratom_data / import pandas+pyarrow | {results['import']['ratio']:.2f}x | - |")
    lines.append(f"| validate real data, CLI with imports | {results['validation']['real_data_cli_s']:.1f} s | <= 10 s |")
    for step in results["validation"]["growth"]:
        lines.append(f"| validation growth {step['from']} -> {step['to']} rows | {step['time_ratio']:.1f}x time for {step['row_ratio']:.0f}x rows | <= 1.1x per row ratio |")
    lines.append(f"| build, two builds byte-identical | {results['build']['seconds']:.1f} s, {results['build']['byte_identical']} | True |")
    if results["build"]["wheel_bytes"]:
        lines.append(f"| wheel size | {results['build']['wheel_bytes'] / 1e6:.2f} MB | <= 3 MB |")
    return "\n".join(lines)


def layer_table(results: dict) -> str:
    scales = results["validation"]["scales"]
    layers = list(next(iter(scales.values()))["rows_per_s"])
    lines = ["| rows | seconds | " + " | ".join(layers) + " |", "| --- | --- | " + " | ".join("---" for _ in layers) + " |"]
    for entry in scales.values():
        lines.append(f"| {entry['rows']} | {entry['seconds']:.1f} | " + " | ".join(f"{entry['rows_per_s'][layer]:,.0f}" for layer in layers) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
