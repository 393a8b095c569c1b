"""Layer 3: cross-table and domain rules that no schema can express."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from ..problems import Problem
from .files import TableText

TODAY = dt.date.today
VERIFIED = ("verified", "secondary")
FACT_TABLES = ("legal_status", "alkaloids", "alkaloid_content", "receptor_activity")


def _p(table, line, column, rule, value, message, fix) -> Problem:
    return Problem(table, line, column, rule, value, message, fix, "domain")


def _rows(texts: dict[str, TableText], name: str):
    text = texts.get(name)
    if text is None or not text.readable:
        return []
    return list(zip(text.lines, text.rows))


def _ids(texts: dict[str, TableText], name: str, column: str) -> set[str] | None:
    text = texts.get(name)
    if text is None or not text.readable:
        return None  # unknown: do not report dangling references against a broken table
    return {row[column] for row in text.rows}


def check(texts: dict[str, TableText]) -> list[Problem]:
    problems: list[Problem] = []
    for check_fn in (check_lists, check_jurisdiction_codes, check_legal_periods, check_substances,
                     check_verification, check_study_rules, check_identifiers):
        problems += check_fn(texts)
    from . import chemistry

    problems += chemistry.check(_rows(texts, "alkaloids"))
    return problems


def check_lists(texts):
    """`;`-lists: no spaces, no empty or repeated items, each item well-formed and existing in its target."""
    out = []
    for name, text in texts.items():
        if not text.readable:
            continue
        for field in text.table.fields:
            if field.type != "list":
                continue
            target = field.item_references
            known = _ids(texts, *target) if target else None
            for line, row in zip(text.lines, text.rows):
                cell = row[field.name]
                if not cell:
                    continue
                items = cell.split(";")
                if any(item != item.strip() for item in items):
                    out.append(_p(name, line, field.name, "list-format", cell, "list items must not have spaces around `;`", "write items as a;b;c with no spaces"))
                    continue
                if "" in items or len(set(items)) != len(items):
                    out.append(_p(name, line, field.name, "list-format", cell, "list has an empty or repeated item", "remove doubled `;` and repeated items"))
                for item in items:
                    if field.item_pattern and item and not re.fullmatch(field.item_pattern, item):
                        out.append(_p(name, line, field.name, "list-item-pattern", item, f"item does not match {field.item_pattern}", "use lowercase IDs made of a-z, 0-9, '-' and '.'"))
                    elif known is not None and item and item not in known:
                        out.append(_p(name, line, field.name, "list-item-reference", item, f"{item!r} is not a {target[1]} in {target[0]}", f"add the row to {target[0]} first, or fix the ID"))
    return out


def check_jurisdiction_codes(texts):
    """Country and subdivision codes must exist in ISO 3166 (pycountry); localities sit under their parent."""
    import pycountry

    out = []
    for line, row in _rows(texts, "jurisdictions"):
        code, level, parent = row["jurisdiction_id"], row["level"], row["parent_id"]
        if level == "country" and pycountry.countries.get(alpha_2=code) is None:
            out.append(_p("jurisdictions", line, "jurisdiction_id", "iso-3166-1", code, f"{code!r} is not an ISO 3166-1 alpha-2 country code", "use the two-letter code from ISO 3166-1 (e.g. TH, US)"))
        elif level == "subdivision":
            territory = pycountry.countries.get(alpha_2=code) and pycountry.subdivisions.get(code=f"{parent}-{code}")
            if pycountry.subdivisions.get(code=code) is None and not territory:
                out.append(_p("jurisdictions", line, "jurisdiction_id", "iso-3166-2", code, f"{code!r} is not an ISO 3166-2 subdivision code", "use the ISO 3166-2 code (e.g. US-AL, AU-NSW)"))
            elif not territory and code.split("-")[0] != parent:
                out.append(_p("jurisdictions", line, "parent_id", "parent-mismatch", parent, f"subdivision {code} must have parent {code.split('-')[0]}", "set parent_id to the country prefix of the code"))
        elif level == "locality" and code.split(":")[0] != parent:
            out.append(_p("jurisdictions", line, "parent_id", "parent-mismatch", parent, f"locality {code} must have parent {code.split(':')[0]}", "set parent_id to the part of the ID before ':'"))
        elif level in ("country", "supranational") and parent:
            out.append(_p("jurisdictions", line, "parent_id", "parent-mismatch", parent, f"a {level} has no parent", "leave parent_id empty"))
    return out


def check_legal_periods(texts):
    """Periods of one jurisdiction x substance never overlap; status_id spells jurisdiction, substance and start year."""
    out = []
    periods = defaultdict(list)
    for line, row in _rows(texts, "legal_status"):
        start, end = row["valid_from"] or "0000-01-01", row["valid_to"] or "9999-12-31"
        periods[(row["jurisdiction_id"], row["substance"])].append((start, end, line, row["status_id"]))
        year = row["valid_from"][:4] if row["valid_from"] else "baseline"
        expected = f"{row['jurisdiction_id']}.{row['substance']}.{year}"
        if not re.fullmatch(re.escape(expected) + ("[a-z]?" if year != "baseline" else ""), row["status_id"]):
            out.append(_p("legal_status", line, "status_id", "status-id-form", row["status_id"], f"status_id should read {expected} (jurisdiction.substance.year of valid_from)", f"for a new row use {expected}; a released ID is never changed, so record a correction instead"))
        if row["status"] == "no_specific_control" and row["legal_basis"] == "kratom_specific":
            out.append(_p("legal_status", line, "legal_basis", "status-basis", row["legal_basis"], "no_specific_control cannot rest on a kratom-specific law", "use legal_basis other, or code the kratom law's status"))
    for (jurisdiction, substance), spans in periods.items():
        spans.sort()
        for (s1, e1, l1, id1), (s2, e2, l2, id2) in zip(spans, spans[1:]):
            if s2 < e1:
                out.append(_p("legal_status", l2, "valid_from", "overlapping-period", s2, f"{id2} starts before {id1} (line {l1}) ends ({e1}) for {jurisdiction} x {substance}", f"set valid_to of {id1} to {s2} or correct the dates"))
    return out


def check_substances(texts):
    alkaloids = _ids(texts, "alkaloids", "alkaloid_id")
    if alkaloids is None:
        return []
    return [
        _p("legal_status", line, "substance", "substance-reference", row["substance"], f"{row['substance']!r} is neither kratom nor an alkaloid_id", "use kratom, or an alkaloid_id from alkaloids.csv")
        for line, row in _rows(texts, "legal_status")
        if row["substance"] != "kratom" and row["substance"] not in alkaloids
    ]


def check_verification(texts):
    """Verified rows cite a source and say when it was read; none rests on advocacy pages alone; no future dates."""
    out = []
    source_types = {row["source_id"]: row["source_type"] for _, row in _rows(texts, "sources")}
    today = TODAY().isoformat()
    for name in FACT_TABLES + ("studies",):
        for line, row in _rows(texts, name):
            level = row["verification"]
            cited = [s for s in row.get("source_ids", row.get("source_id", "")).split(";") if s]
            if name in FACT_TABLES and not cited:
                out.append(_p(name, line, "source_ids", "needs-source", None, "every factual row cites at least one source", "add the source to sources.csv and its source_id here"))
            if name == "alkaloids" and level in VERIFIED and not row["smiles"]:
                out.append(_p(name, line, "smiles", "verified-needs-structure", None, f"a {level} alkaloid row records its structure", "add the isomeric SMILES from the cited source, or mark the row unverified"))
            if level in VERIFIED and not row["verified_on"]:
                out.append(_p(name, line, "verified_on", "verified-needs-date", None, f"a {level} row records the day its source was read", "set verified_on (YYYY-MM-DD), or mark the row unverified"))
            if row["verified_on"] and row["verified_on"] > today:
                out.append(_p(name, line, "verified_on", "future-date", row["verified_on"], "verified_on is in the future", "use the day the source was actually read"))
            if level in VERIFIED and cited and source_types and all(source_types.get(s) == "advocacy" for s in cited):
                out.append(_p(name, line, "verification", "advocacy-only", level, "vendor or advocacy pages alone cannot back a verified or secondary row", "cite a primary or reliable secondary source, or mark the row unverified"))
    for line, row in _rows(texts, "sources"):
        if row["accessed"] and row["accessed"] > today:
            out.append(_p("sources", line, "accessed", "future-date", row["accessed"], "accessed is in the future", "use the day the URL was read"))
        if row["url"] == "" and row["doi"] == "" and row["pmid"] == "":
            out.append(_p("sources", line, "url", "needs-locator", None, "a source needs a URL, DOI or PMID so readers can find it", "add the URL you read"))
    return out


UNFINDABLE = "neither, no URL + note"


def publication_locator(source: dict) -> str:
    """How readers find a study's publication: by DOI or PMID, else by the URL read plus a note saying why none."""
    if source.get("doi") or source.get("pmid"):
        return "DOI or PMID"
    return "neither, URL + note" if source.get("url") and source.get("notes") else UNFINDABLE


def check_study_rules(texts):
    """Outcome IDs spell study and domain; a study's publication is findable; a claim never rests only on retracted studies."""
    out = []
    study_sources = {row["source_id"] for _, row in _rows(texts, "studies")}
    for line, row in _rows(texts, "sources"):
        if row["source_id"] in study_sources and publication_locator(row) == UNFINDABLE:
            out.append(_p("sources", line, "notes", "study-needs-identifier", row["source_id"], "a study's publication has neither DOI nor PMID, so it needs a URL and a note saying why none is recorded", "add the DOI or PMID you saw on the publication's page, or the URL you read and a note (e.g. conference abstract, not indexed in PubMed)"))
    for line, row in _rows(texts, "study_outcomes"):
        expected = f"{row['study_id']}.{row['domain']}"
        if row["outcome_id"] != expected:
            out.append(_p("study_outcomes", line, "outcome_id", "outcome-id-form", row["outcome_id"], f"outcome_id should read {expected}", f"use {expected} for a new row"))
    retracted = {row["study_id"] for _, row in _rows(texts, "studies") if row["retracted"] == "true"}
    for line, row in _rows(texts, "claims"):
        ids = [s for s in row["study_ids"].split(";") if s]
        if ids and all(s in retracted for s in ids):
            out.append(_p("claims", line, "study_ids", "retracted-evidence", row["study_ids"], "the verdict rests only on retracted studies", "cite non-retracted evidence or set verdict insufficient_evidence"))
    return out


def check_identifiers(texts):
    """CAS numbers must pass their check digit (the pattern alone cannot tell)."""
    out = []
    for line, row in _rows(texts, "alkaloids"):
        if row["cas"] and re.fullmatch(r"\d{2,7}-\d{2}-\d", row["cas"]) and not cas_check_digit_ok(row["cas"]):
            out.append(_p("alkaloids", line, "cas", "cas-check-digit", row["cas"], "the CAS number's check digit is wrong", "copy the CAS number again from the source; leave it empty if unsure"))
    return out


def cas_check_digit_ok(cas: str) -> bool:
    digits = cas.replace("-", "")
    body, check = digits[:-1], int(digits[-1])
    return sum(int(d) * i for i, d in enumerate(reversed(body), start=1)) % 10 == check
