"""Coverage figures: how much is researched, and how well it is verified, read straight from data/."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .schema import Package
from .validate.domain import UNFINDABLE, prisma, publication_locator

# The curation goals of the open issues (11: legal history, 12: evidence and chemistry): (figure, measure, comparison, goal).
TARGETS = (
    ("countries with a finding", lambda f: f["countries_by_research_state"].get("finding", 0), ">=", 55),
    ("countries searched (finding or nothing found)", lambda f: f["countries_searched"], ">=", 120),
    ("US states, DC, territories researched", lambda f: f["us_states_dc_territories_researched"], "==", "56/56"),
    ("legal_status verified %", lambda f: _share(f, "legal_status"), ">=", 40),
    ("legal_status rows resting only on advocacy pages", lambda f: f["rows_resting_only_on_advocacy_pages"]["legal_status"], "==", 0),
    ("legal events", lambda f: f["rows"]["legal_events"], ">=", 250),
    ("dated periods without an opening event", lambda f: f["dated_periods_not_opened"], "==", 0),
    ("human studies", lambda f: f["studies_human_vs_preclinical"].get("human", 0), ">=", 350),
    ("studies verified %", lambda f: _share(f, "studies"), ">=", 80),
    ("studies without DOI/PMID and without URL + note", lambda f: f["studies_by_identifier"].get(UNFINDABLE, 0), "==", 0),
    ("claims without a certainty grade", lambda f: f["rows"]["claims"] - sum(f["claims_by_certainty"].values()), "==", 0),
    ("studies with a sleep outcome that do not say how sleep was measured", lambda f: f["studies_with_sleep_outcome"] - f["studies_with_sleep_measure_named"], "==", 0),
    ("alkaloids with an RDKit-checked structure", lambda f: f["alkaloids_with_structure"], ">=", 12),
    ("receptor values", lambda f: f["rows"]["receptor_activity"], ">=", 45),
)


def _share(figures: dict, *tables: str) -> float:
    total = sum(figures["rows"][t] for t in tables)
    return round(100 * sum(figures["verified_rows"][t] for t in tables) / total, 1) if total else 0.0


def targets(figures: dict) -> list[dict]:
    """Each goal with the measured value and whether it is met, so progress is read, not guessed."""
    compare = {">=": lambda a, b: a >= b, "==": lambda a, b: a == b}
    return [
        {"goal": name, "measured": value, "target": f"{op} {goal}", "met": compare[op](value, goal)}
        for name, measure, op, goal in TARGETS
        for value in [measure(figures)]
    ]


def coverage(package: Package) -> dict:
    """The figures for a source tree (`Package.read`) or a built release (`loader.source_package`)."""
    rows = {name: package.rows(name) for name in package.tables}
    level = package.table("jurisdictions").vocabulary("level")
    advocacy = package.table("sources").vocabulary("source_type").advocacy
    sleep = package.table("study_outcomes").vocabulary("domain").sleep
    checked = package.tables_with("verification")
    cites = {name: package.table(name).field("source_ids") for name in package.tables_with("source_ids")}
    source_type = {r["source_id"]: r["source_type"] for r in rows["sources"]}
    researched = {r["jurisdiction_id"] for r in rows["legal_status"]}
    levels = Counter(r["level"] for r in rows["jurisdictions"])
    researched_levels = Counter(r["level"] for r in rows["jurisdictions"] if r["jurisdiction_id"] in researched)
    us = [r["jurisdiction_id"] for r in rows["jurisdictions"] if r["parent_id"] == "US" and r["level"] == level.subdivision]
    state = package.table("jurisdictions").vocabulary("research_state")
    status_ids = package.table("legal_events").field("status_ids")
    opened = {s for r in rows["legal_events"] if r["changes_status"] == "true" for s in status_ids.items(r["status_ids"])}
    cited = lambda name, r: cites[name].items(r["source_ids"])  # noqa: E731
    legal_sources = Counter(source_type.get(s, "?") for r in rows["legal_status"] for s in cited("legal_status", r))
    advocacy_only = {
        name: sum(1 for r in rows[name] if cited(name, r) and all(source_type.get(s) == advocacy for s in cited(name, r)))
        for name in cites if name in checked
    }
    full_ids = ("smiles", "inchikey", "cas", "pubchem_cid")
    # `human` also marks reviews of human data; the split keeps the count of original research in view.
    design = package.table("studies").vocabulary("design")
    reviews = {design.systematic_review, design.meta_analysis, design.narrative_review}
    publication = {r["source_id"]: r for r in rows["sources"]}
    figures = {
        "version": package.version,
        "rows": {name: len(table_rows) for name, table_rows in rows.items()},
        "verification": {name: dict(Counter(r["verification"] for r in rows[name])) for name in checked},
        "verified_rows": {name: sum(r["verification"] == package.table(name).vocabulary("verification").verified for r in rows[name]) for name in checked},
        "jurisdictions_researched": {kind: f"{researched_levels[kind]}/{count}" for kind, count in sorted(levels.items())},
        "countries_researched": researched_levels[level.country],
        "us_states_dc_territories_researched": f"{sum(1 for r in rows['jurisdictions'] if r['jurisdiction_id'] in us and r['research_state'] != state.not_searched)}/{len(us)}",
        "legal_status_citations_by_source_type": dict(legal_sources.most_common()),
        "rows_resting_only_on_advocacy_pages": advocacy_only,
        "alkaloids_with_full_identifiers": sum(1 for r in rows["alkaloids"] if all(r[c] for c in full_ids)),
        "alkaloids_with_structure": sum(1 for r in rows["alkaloids"] if r["smiles"]),
        "measurements_by_material": dict(Counter(r["material"] for r in rows["alkaloid_content"])),
        "measurements_by_source": dict(Counter(s for r in rows["alkaloid_content"] for s in cited("alkaloid_content", r)).most_common()),
        "measurement_sources": len({s for r in rows["alkaloid_content"] for s in cited("alkaloid_content", r)}),
        "activity_values_by_target": dict(Counter(r["target"] for r in rows["receptor_activity"]).most_common()),
        "activity_sources": len({s for r in rows["receptor_activity"] for s in cited("receptor_activity", r)}),
        "studies_by_design": dict(Counter(r["design"] for r in rows["studies"]).most_common()),
        "studies_human_vs_preclinical": dict(Counter("human" if r["human"] == "true" else "preclinical" for r in rows["studies"])),
        "human_studies_original_vs_review": dict(Counter("review" if r["design"] in reviews else "original" for r in rows["studies"] if r["human"] == "true")),
        "outcome_rows_by_domain": dict(Counter(r["domain"] for r in rows["study_outcomes"]).most_common()),
        "studies_with_sleep_outcome": len({r["study_id"] for r in rows["study_outcomes"] if r["domain"] == sleep}),
        "studies_by_identifier": dict(Counter(publication_locator(publication.get(r["source_id"], {})) for r in rows["studies"]).most_common()),
        "claims_by_verdict": dict(Counter(r["verdict"] for r in rows["claims"]).most_common()),
        "events_by_type": dict(Counter(r["event_type"] for r in rows["legal_events"]).most_common()),
        "dated_periods_not_opened": len({r["status_id"] for r in rows["legal_status"] if r["valid_from"]} - opened),
        "countries_by_research_state": dict(Counter(r["research_state"] for r in rows["jurisdictions"] if r["level"] == level.country).most_common()),
        "countries_searched": sum(1 for r in rows["jurisdictions"] if r["level"] == level.country and r["research_state"] != state.not_searched),
        "us_states_dc_territories_by_research_state": dict(Counter(r["research_state"] for r in rows["jurisdictions"] if r["jurisdiction_id"] in us).most_common()),
        "screening_flow (PRISMA)": prisma(package),
        "studies_with_sleep_measure_named": len({r["study_id"] for r in rows["study_outcomes"] if r["domain"] == sleep and r["measure"] and r["measure_type"] and r["phase"]}),
        "sleep_outcomes_by_measure_type": dict(Counter(r["measure_type"] for r in rows["study_outcomes"] if r["domain"] == sleep).most_common()),
        "sleep_outcomes_by_phase": dict(Counter(r["phase"] for r in rows["study_outcomes"] if r["domain"] == sleep).most_common()),
        "claims_by_certainty": dict(Counter(r["certainty"] for r in rows["claims"]).most_common()),
        "localities_by_research_state": dict(Counter(r["research_state"] for r in rows["jurisdictions"] if r["level"] == level.locality).most_common()),
    }
    figures["targets"] = targets(figures)
    return figures


def render(figures: dict) -> str:
    lines = [f"kratom-data {figures['version']} coverage"]
    for key, value in figures.items():
        if key == "version":
            continue
        title = key.replace("_", " ")
        if key == "targets":
            lines.append(f"\n{title}:")
            lines += [f"  [{'met' if t['met'] else 'OPEN'}] {t['goal']:<48} {t['measured']} (target {t['target']})" for t in value]
        elif isinstance(value, dict):
            lines.append(f"\n{title}:")
            lines += [f"  {k:<32} {_flat(v)}" for k, v in value.items()]
        else:
            lines.append(f"\n{title}: {value}")
    return "\n".join(lines)


def _flat(value) -> str:
    return ", ".join(f"{k} {v}" for k, v in value.items()) if isinstance(value, dict) else str(value)
