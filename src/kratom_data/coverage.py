"""Coverage figures: how much is researched, and how well it is verified, read straight from data/."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .schema import Package
from .validate.files import read_table

VERIFIED_TABLES = ("legal_status", "alkaloids", "alkaloid_content", "receptor_activity", "studies")


def _rows(package: Package, name: str) -> list[dict[str, str]]:
    text, _ = read_table(package.csv_path(name), package.table(name))
    return text.rows


def coverage(root: Path) -> dict:
    package = Package.read(root / "datapackage.json")
    rows = {name: _rows(package, name) for name in package.tables}
    source_type = {r["source_id"]: r["source_type"] for r in rows["sources"]}
    researched = {r["jurisdiction_id"] for r in rows["legal_status"]}
    levels = Counter(r["level"] for r in rows["jurisdictions"])
    researched_levels = Counter(r["level"] for r in rows["jurisdictions"] if r["jurisdiction_id"] in researched)
    us = [r["jurisdiction_id"] for r in rows["jurisdictions"] if r["parent_id"] == "US" and r["level"] == "subdivision"]
    cited = lambda r: [s for s in r.get("source_ids", "").split(";") if s]  # noqa: E731
    legal_sources = Counter(source_type.get(s, "?") for r in rows["legal_status"] for s in cited(r))
    advocacy_only = {
        name: sum(1 for r in rows[name] if cited(r) and all(source_type.get(s) == "advocacy" for s in cited(r)))
        for name in ("legal_status", "alkaloids", "alkaloid_content", "receptor_activity")
    }
    full_ids = ("smiles", "inchikey", "cas", "pubchem_cid")
    return {
        "version": package.version,
        "rows": {name: len(table_rows) for name, table_rows in rows.items()},
        "verification": {name: dict(Counter(r["verification"] for r in rows[name])) for name in VERIFIED_TABLES},
        "jurisdictions_researched": {level: f"{researched_levels[level]}/{count}" for level, count in sorted(levels.items())},
        "us_states_dc_territories_researched": f"{sum(1 for j in us if j in researched)}/{len(us)}",
        "legal_status_citations_by_source_type": dict(legal_sources.most_common()),
        "rows_resting_only_on_advocacy_pages": advocacy_only,
        "alkaloids_with_full_identifiers": sum(1 for r in rows["alkaloids"] if all(r[c] for c in full_ids)),
        "alkaloids_with_structure": sum(1 for r in rows["alkaloids"] if r["smiles"]),
        "measurements_by_material": dict(Counter(r["material"] for r in rows["alkaloid_content"])),
        "measurement_sources": len({s for r in rows["alkaloid_content"] for s in cited(r)}),
        "activity_values_by_target": dict(Counter(r["target"] for r in rows["receptor_activity"]).most_common()),
        "activity_sources": len({s for r in rows["receptor_activity"] for s in cited(r)}),
        "studies_by_design": dict(Counter(r["design"] for r in rows["studies"]).most_common()),
        "studies_human_vs_preclinical": dict(Counter("human" if r["human"] == "true" else "preclinical" for r in rows["studies"])),
        "outcome_rows_by_domain": dict(Counter(r["domain"] for r in rows["study_outcomes"]).most_common()),
        "studies_with_sleep_outcome": len({r["study_id"] for r in rows["study_outcomes"] if r["domain"] == "sleep"}),
        "claims_by_verdict": dict(Counter(r["verdict"] for r in rows["claims"]).most_common()),
    }


def render(figures: dict) -> str:
    lines = [f"kratom-data {figures['version']} coverage"]
    for key, value in figures.items():
        if key == "version":
            continue
        title = key.replace("_", " ")
        if isinstance(value, dict):
            lines.append(f"\n{title}:")
            lines += [f"  {k:<32} {_flat(v)}" for k, v in value.items()]
        else:
            lines.append(f"\n{title}: {value}")
    return "\n".join(lines)


def _flat(value) -> str:
    return ", ".join(f"{k} {v}" for k, v in value.items()) if isinstance(value, dict) else str(value)
