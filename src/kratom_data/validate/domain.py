"""Domain checks: cross-table and semantic rules that no Table Schema can express.

Each rule is registered with the table it reports on and runs under its own guard, so one rule
that stops on unexpected input is reported where it belongs and never hides the others' findings.
Codes come from the schema (`Table.vocabulary`), never from literals, and the tables a rule covers
are chosen by the fields they have.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..problems import Problem
from ..schema import Package
from .files import TableText

TODAY = dt.date.today


@dataclass
class Context:
    package: Package
    texts: dict[str, TableText]
    root: Path

    def rows(self, name: str) -> list[tuple[int, dict[str, str]]]:
        text = self.texts.get(name)
        if text is None or not text.readable:
            return []
        return list(zip(text.lines, text.rows))

    def ids(self, name: str, column: str) -> set[str] | None:
        text = self.texts.get(name)
        if text is None or not text.readable:
            return None  # unknown: do not report dangling references against a broken table
        return {row[column] for row in text.rows}

    def codes(self, table: str, field: str):
        return self.package.table(table).vocabulary(field)


RULES: list[tuple[str, object]] = []


def rule(table: str):
    """Register a rule; `table` is where a crash of the rule is reported."""
    def register(function):
        RULES.append((table, function))
        return function
    return register


def _p(table, line, column, rule_name, value, message, fix) -> Problem:
    return Problem(table, line, column, rule_name, value, message, fix, "domain")


def check(package: Package, texts: dict[str, TableText], root: Path) -> tuple[list[Problem], list[dict]]:
    """Every rule, each under its own guard; returns the problems and one check record per rule."""
    context = Context(package, texts, root)
    problems: list[Problem] = []
    checks = []
    for table, function in RULES:
        name = function.__name__.removeprefix("check_").replace("_", "-")
        try:
            found = function(context)
        except Exception as error:  # report where the rule looks, keep running the others
            found = [_p(table, None, None, f"{name}-crashed", None, f"the rule {name} stopped: {type(error).__name__}: {error}",
                        "fix the problems reported for this table first; if none, report this as a bug")]
        problems += found
        checks.append({"layer": "domain", "table": table, "check": name, "description": (function.__doc__ or "").strip().split("\n")[0], "problems": len(found)})
    return problems, checks


@rule("sources")
def check_lists(ctx: Context):
    """Lists: no spaces, no empty or repeated items, each item well-formed and existing in its target."""
    out = []
    for name, text in ctx.texts.items():
        if not text.readable:
            continue
        for field in text.table.fields:
            if field.type != "list":
                continue
            target = field.item_references
            known = ctx.ids(*target) if target else None
            for line, row in zip(text.lines, text.rows):
                cell = row[field.name]
                if not cell:
                    continue
                items = field.items(cell)
                if any(item != item.strip() for item in items):
                    out.append(_p(name, line, field.name, "list-format", cell, f"list items must not have spaces around `{field.delimiter}`", f"write items as a{field.delimiter}b{field.delimiter}c with no spaces"))
                    continue
                if "" in items or len(set(items)) != len(items):
                    out.append(_p(name, line, field.name, "list-format", cell, "list has an empty or repeated item", f"remove doubled `{field.delimiter}` and repeated items"))
                for item in items:
                    if field.item_pattern and item and not re.fullmatch(field.item_pattern, item):
                        out.append(_p(name, line, field.name, "list-item-pattern", item, f"item does not match {field.item_pattern}", f"write each item as an ID of {target[0]}.{target[1]}" if target else "write each item as the field's description says (see the data dictionary)"))
                    elif known is not None and item and item not in known:
                        out.append(_p(name, line, field.name, "list-item-reference", item, f"{item!r} is not a {target[1]} in {target[0]}", f"add the row to {target[0]} first, or fix the ID"))
    return out


@rule("jurisdictions")
def check_jurisdiction_codes(ctx: Context):
    """Country and subdivision codes must exist in ISO 3166 (pycountry); localities sit under their parent."""
    import pycountry

    level = ctx.codes("jurisdictions", "level")
    out = []
    for line, row in ctx.rows("jurisdictions"):
        code, kind, parent = row["jurisdiction_id"], row["level"], row["parent_id"]
        if kind == level.country and pycountry.countries.get(alpha_2=code) is None:
            out.append(_p("jurisdictions", line, "jurisdiction_id", "iso-3166-1", code, f"{code!r} is not an ISO 3166-1 alpha-2 country code", "use the two-letter code from ISO 3166-1 (e.g. TH, US)"))
        elif kind == level.subdivision:
            territory = pycountry.countries.get(alpha_2=code) and pycountry.subdivisions.get(code=f"{parent}-{code}")
            if pycountry.subdivisions.get(code=code) is None and not territory:
                out.append(_p("jurisdictions", line, "jurisdiction_id", "iso-3166-2", code, f"{code!r} is not an ISO 3166-2 subdivision code", "use the ISO 3166-2 code (e.g. US-AL, AU-NSW)"))
            elif not territory and code.split("-")[0] != parent:
                out.append(_p("jurisdictions", line, "parent_id", "parent-mismatch", parent, f"subdivision {code} must have parent {code.split('-')[0]}", "set parent_id to the country prefix of the code"))
        elif kind == level.locality and code.split(":")[0] != parent:
            out.append(_p("jurisdictions", line, "parent_id", "parent-mismatch", parent, f"locality {code} must have parent {code.split(':')[0]}", "set parent_id to the part of the ID before ':'"))
        elif kind in (level.country, level.supranational) and parent:
            out.append(_p("jurisdictions", line, "parent_id", "parent-mismatch", parent, f"a {kind} has no parent", "leave parent_id empty"))
    return out


@rule("legal_status")
def check_legal_periods(ctx: Context):
    """Periods end after they start and never overlap; status_id spells jurisdiction, substance and start year."""
    status, basis = ctx.codes("legal_status", "status"), ctx.codes("legal_status", "legal_basis")
    undated = ctx.codes("legal_status", "event").baseline
    out = []
    periods = defaultdict(list)
    for line, row in ctx.rows("legal_status"):
        start, end = row["valid_from"] or "0000-01-01", row["valid_to"] or "9999-12-31"
        if row["valid_from"] and row["valid_to"] and row["valid_to"] <= row["valid_from"]:
            out.append(_p("legal_status", line, "valid_to", "period-order", row["valid_to"], f"the period ends ({row['valid_to']}) before or on the day it starts ({row['valid_from']})", "valid_to is the first day the position no longer held: make it later than valid_from"))
        periods[(row["jurisdiction_id"], row["substance"])].append((start, end, line, row["status_id"]))
        year = row["valid_from"][:4] if row["valid_from"] else undated
        expected = f"{row['jurisdiction_id']}.{row['substance']}.{year}"
        if not re.fullmatch(re.escape(expected) + ("[a-z]?" if year != undated else ""), row["status_id"]):
            out.append(_p("legal_status", line, "status_id", "status-id-form", row["status_id"], f"status_id should read {expected} (jurisdiction.substance.year of valid_from)", f"for a new row use {expected}; a released ID is never changed, so record a correction instead"))
        if row["status"] == status.no_specific_control and row["legal_basis"] == basis.kratom_specific:
            out.append(_p("legal_status", line, "legal_basis", "status-basis", row["legal_basis"], "no_specific_control cannot rest on a kratom-specific law", "use legal_basis other, or code the kratom law's status"))
    for (jurisdiction, substance), spans in periods.items():
        spans.sort()
        for (s1, e1, l1, id1), (s2, e2, l2, id2) in zip(spans, spans[1:]):
            if s2 < e1:
                out.append(_p("legal_status", l2, "valid_from", "overlapping-period", s2, f"{id2} starts before {id1} (line {l1}) ends ({e1}) for {jurisdiction} x {substance}", f"set valid_to of {id1} to {s2} or correct the dates"))
    return out


@rule("legal_status")
def check_undated_periods(ctx: Context):
    """An undated period is coded `baseline` and says from when its sources attest it (never after they were read); a dated one does not need to."""
    undated = ctx.codes("legal_status", "event").baseline
    cited = ctx.package.table("legal_status").field("source_ids")
    accessed = {row["source_id"]: row["accessed"] for _, row in ctx.rows("sources")}
    out = []
    for line, row in ctx.rows("legal_status"):
        if not row["valid_from"] and row["event"] != undated:
            out.append(_p("legal_status", line, "event", "undated-needs-baseline", row["event"], "a period without valid_from is coded with event baseline",
                          "set event to baseline and record the action itself as a row of legal_events"))
        if not row["valid_from"] and not row["attested_from"]:
            out.append(_p("legal_status", line, "attested_from", "undated-needs-attestation", None, "a period without valid_from must say from when its sources attest it, or maps and status_on would project it onto every earlier date",
                          "set attested_from to the earliest date a cited source states this position (a source's publication date, or the day it was read)"))
        if row["valid_from"] and row["attested_from"]:
            out.append(_p("legal_status", line, "attested_from", "attested-with-start", row["attested_from"], "a period with valid_from needs no attested_from", "empty attested_from"))
        read = max((accessed[s] for s in cited.items(row["source_ids"]) if accessed.get(s)), default="")
        if row["attested_from"] and read and row["attested_from"] > read:
            out.append(_p("legal_status", line, "attested_from", "attested-after-reading", row["attested_from"], f"the sources attest the position by {read}, the day the last of them was read, not later",
                          f"set attested_from to {read} or earlier (a source dated only to its year attests from the day it was read, if that comes first)"))
    return out


def _same_day(date: str, width: int, other: str) -> bool:
    """Whether `date`, known to its first `width` characters (its precision), can be the day `other`."""
    return bool(other) and date[:width] == other[:width]


@rule("legal_events")
def check_events(ctx: Context):
    """An event that changes a status names the periods it opened or closed and falls on their start or end;
    every dated period is opened by an event; no action is recorded twice."""
    periods = {row["status_id"]: row for _, row in ctx.rows("legal_status")}
    status_ids = ctx.package.table("legal_events").field("status_ids")
    precision = ctx.codes("legal_events", "date_precision")
    widths = {precision.day: 10, precision.month: 7, precision.year: 4}
    out, opened, seen = [], set(), {}
    for line, row in ctx.rows("legal_events"):
        named = status_ids.items(row["status_ids"])
        if row["changes_status"] == "true" and not named:
            out.append(_p("legal_events", line, "status_ids", "event-needs-period", None, "an event that changes a status names the period(s) it opened or closed", "add the status_id, or set changes_status to false"))
        if row["changes_status"] != "true" and named:
            out.append(_p("legal_events", line, "status_ids", "period-without-change", row["status_ids"], "only an event that opened or closed a period names it", "set changes_status to true, or empty status_ids"))
        for status_id in named:
            period = periods.get(status_id)
            if period is None:
                continue  # the list rule reports a dangling ID
            width = widths.get(row["date_precision"], 10)
            if _same_day(row["date"], width, period["valid_from"]):
                opened.add(status_id)
            elif not _same_day(row["date"], width, period["valid_to"]):
                out.append(_p("legal_events", line, "date", "event-off-period", row["date"], f"{status_id} runs from {period['valid_from'] or '(undated)'} to {period['valid_to'] or '(open)'}; an event that opens or closes it falls on one of those days",
                              "correct the event's date, or the period's valid_from / valid_to"))
        key = (row["jurisdiction_id"], row["date"], row["event_type"], row["instrument"])
        if key in seen:
            out.append(_p("legal_events", line, "event_id", "duplicate-event", row["event_id"], f"the same action as {seen[key]} (jurisdiction, date, type and instrument)", "merge the two rows: one action, one row"))
        seen.setdefault(key, row["event_id"])
    if ctx.ids("legal_events", "event_id") is not None:
        for line, row in ctx.rows("legal_status"):
            if row["valid_from"] and row["status_id"] not in opened:
                out.append(_p("legal_status", line, "valid_from", "period-not-opened", row["valid_from"], f"no row of legal_events opens {row['status_id']} on {row['valid_from']}",
                              "add the action that started the period to legal_events (changes_status true, status_ids naming this row)"))
    return out


@rule("legal_status")
def check_substances(ctx: Context):
    """A substance is the plant (`kratom`) or an alkaloid of the alkaloids table."""
    alkaloids = ctx.ids("alkaloids", "alkaloid_id")
    if alkaloids is None:
        return []
    events = ctx.package.table("legal_events").field("substances")
    named = [("legal_status", line, "substance", [row["substance"]]) for line, row in ctx.rows("legal_status")]
    named += [("legal_events", line, "substances", events.items(row["substances"])) for line, row in ctx.rows("legal_events")]
    return [
        _p(table, line, column, "substance-reference", item, f"{item!r} is neither kratom nor an alkaloid_id", "use kratom, or an alkaloid_id from alkaloids.csv")
        for table, line, column, items in named for item in items
        if item != "kratom" and item not in alkaloids
    ]


@rule("sources")
def check_verification(ctx: Context):
    """Verified rows cite a source and say when it was read; none rests on advocacy pages alone; no future dates."""
    out = []
    advocacy = ctx.codes("sources", "source_type").advocacy
    source_types = {row["source_id"]: row["source_type"] for _, row in ctx.rows("sources")}
    today = TODAY().isoformat()
    for name in ctx.package.tables_with("verification", "verified_on"):
        table = ctx.package.table(name)
        level = table.vocabulary("verification")
        checked = (level.verified, level.secondary)
        citing = next((f for f in table.fields if f.item_references == ("sources", "source_id")), None)
        for line, row in ctx.rows(name):
            cited = citing.items(row[citing.name]) if citing else [row["source_id"]] if row.get("source_id") else []
            if citing and not cited:
                out.append(_p(name, line, citing.name, "needs-source", None, "every factual row cites at least one source", "add the source to sources.csv and its source_id here"))
            if table.has("smiles") and row["verification"] in checked and not row["smiles"]:
                out.append(_p(name, line, "smiles", "verified-needs-structure", None, f"a {row['verification']} alkaloid row records its structure", "add the isomeric SMILES from the cited source, or mark the row unverified"))
            if row["verification"] in checked and not row["verified_on"]:
                out.append(_p(name, line, "verified_on", "verified-needs-date", None, f"a {row['verification']} row records the day its source was read", "set verified_on (YYYY-MM-DD), or mark the row unverified"))
            if row["verified_on"] and row["verified_on"] > today:
                out.append(_p(name, line, "verified_on", "future-date", row["verified_on"], "verified_on is in the future", "use the day the source was actually read"))
            if row["verification"] in checked and cited and source_types and all(source_types.get(s) == advocacy for s in cited):
                out.append(_p(name, line, "verification", "advocacy-only", row["verification"], "vendor or advocacy pages alone cannot back a verified or secondary row", "cite a primary or reliable secondary source, or mark the row unverified"))
    for line, row in ctx.rows("sources"):
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


@rule("sources")
def check_study_publications(ctx: Context):
    """A study's publication is findable: DOI or PMID, or the URL read and a note saying why neither."""
    study_sources = {row["source_id"] for _, row in ctx.rows("studies")}
    return [
        _p("sources", line, "notes", "study-needs-identifier", row["source_id"], "a study's publication has neither DOI nor PMID, so it needs a URL and a note saying why none is recorded", "add the DOI or PMID you saw on the publication's page, or the URL you read and a note (e.g. conference abstract, not indexed in PubMed)")
        for line, row in ctx.rows("sources")
        if row["source_id"] in study_sources and publication_locator(row) == UNFINDABLE
    ]


@rule("study_outcomes")
def check_outcome_ids(ctx: Context):
    """An outcome ID spells its study and domain (one row per study and domain); a sleep outcome says how and when sleep was measured."""
    sleep = ctx.codes("study_outcomes", "domain").sleep
    out = []
    for line, row in ctx.rows("study_outcomes"):
        for column in ("measure_type", "phase"):
            if row["domain"] == sleep and not row[column]:
                out.append(_p("study_outcomes", line, column, "sleep-needs-" + column.replace("_", "-"), None, f"a sleep outcome records its {column.replace('_', ' ')}",
                              f"set {column} (see the data dictionary for the codes)"))
        expected = f"{row['study_id']}.{row['domain']}"
        if row["outcome_id"] != expected:
            out.append(_p("study_outcomes", line, "outcome_id", "outcome-id-form", row["outcome_id"], f"outcome_id should read {expected}", f"use {expected} for a new row"))
    return out


@rule("claims")
def check_claim_evidence(ctx: Context):
    """A claim's verdict never rests only on retracted studies."""
    out = []
    retracted = {row["study_id"] for _, row in ctx.rows("studies") if row["retracted"] == "true"}
    study_ids = ctx.package.table("claims").field("study_ids")
    for line, row in ctx.rows("claims"):
        ids = study_ids.items(row["study_ids"])
        if ids and all(s in retracted for s in ids):
            out.append(_p("claims", line, "study_ids", "retracted-evidence", row["study_ids"], "the verdict rests only on retracted studies", "cite non-retracted evidence or set verdict insufficient_evidence"))
    return out


@rule("screened_records")
def check_screening(ctx: Context):
    """An included record is a coded study; an excluded one says why; a duplicate names the study it repeats."""
    decision = ctx.codes("screened_records", "decision")
    duplicate = ctx.codes("screened_records", "exclusion_reason").duplicate_of_included
    out = []
    for line, row in ctx.rows("screened_records"):
        if row["decision"] == decision.included and not row["study_id"]:
            out.append(_p("screened_records", line, "study_id", "included-needs-study", None, "an included record names the study it was coded as", "set study_id, or mark the record awaiting_coding"))
        if row["decision"] == decision.excluded and not row["exclusion_reason"]:
            out.append(_p("screened_records", line, "exclusion_reason", "excluded-needs-reason", None, "an excluded record says why it was left out", "set exclusion_reason"))
        if row["decision"] != decision.excluded and row["exclusion_reason"]:
            out.append(_p("screened_records", line, "exclusion_reason", "reason-without-exclusion", row["exclusion_reason"], f"a record that is {row['decision']} has no exclusion reason", "empty exclusion_reason, or set decision to excluded"))
        if row["exclusion_reason"] == duplicate and not row["study_id"]:
            out.append(_p("screened_records", line, "study_id", "duplicate-needs-study", None, "a duplicate names the included study it repeats", "set study_id to that study"))
    return out


def prisma(package: Package) -> dict:
    """The PRISMA-style flow of the screening log, computed from its rows (never typed by hand)."""
    from collections import Counter

    rows = package.rows("screened_records")
    decision = package.table("screened_records").vocabulary("decision")
    duplicate = package.table("screened_records").vocabulary("exclusion_reason").duplicate_of_included
    duplicates = sum(1 for r in rows if r["exclusion_reason"] == duplicate)
    excluded = Counter(r["exclusion_reason"] for r in rows if r["decision"] == decision.excluded and r["exclusion_reason"] != duplicate)
    return {
        "searches run": len(package.rows("search_queries")),
        "records identified": len(rows),
        "duplicates of included studies removed": duplicates,
        "records screened": len(rows) - duplicates,
        "excluded, by reason": dict(excluded.most_common()),
        "included (coded in studies)": sum(1 for r in rows if r["decision"] == decision.included),
        "awaiting coding": sum(1 for r in rows if r["decision"] == decision.awaiting_coding),
    }


@rule("alkaloids")
def check_identifiers(ctx: Context):
    """CAS numbers must pass their check digit (the pattern alone cannot tell)."""
    out = []
    for line, row in ctx.rows("alkaloids"):
        if row["cas"] and re.fullmatch(r"\d{2,7}-\d{2}-\d", row["cas"]) and not cas_check_digit_ok(row["cas"]):
            out.append(_p("alkaloids", line, "cas", "cas-check-digit", row["cas"], "the CAS number's check digit is wrong", "copy the CAS number again from the source; leave it empty if unsure"))
    return out


def cas_check_digit_ok(cas: str) -> bool:
    digits = cas.replace("-", "")
    body, check_digit = digits[:-1], int(digits[-1])
    return sum(int(d) * i for i, d in enumerate(reversed(body), start=1)) % 10 == check_digit


@rule("alkaloids")
def check_structures(ctx: Context):
    from . import chemistry

    return chemistry.check(ctx.rows("alkaloids"))


# --- the release record: released IDs kept or withdrawn, corrections that match the data ----------

def _current(ctx: Context) -> dict[str, dict[str, tuple[int, dict]]]:
    return {name: {text.table.key(row): (line, row) for line, row in zip(text.lines, text.rows)}
            for name, text in ctx.texts.items() if text.readable}


@rule("withdrawn")
def check_released_ids(ctx: Context):
    """Every ID of the latest release is still here, or listed as withdrawn."""
    from ..releases import version_key

    paths = sorted((ctx.root / "releases").glob("*/manifest.json"), key=lambda p: version_key(p.parent.name))
    if not paths:
        return []
    try:
        manifest = json.loads(paths[-1].read_text(encoding="utf-8"))
        manifest["ids"].items()
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError, AttributeError) as error:
        return [Problem("releases", None, None, "manifest-unreadable", None, f"the release manifest cannot be read: {type(error).__name__}: {error}",
                        "restore it from git (git checkout -- releases/); manifests are written by `kratom-data release`", "domain",
                        paths[-1].relative_to(ctx.root).as_posix())]
    withdrawn = {(row["table"], row["id"]) for _, row in ctx.rows("withdrawn")}
    current = _current(ctx)
    out = []
    for name, released in manifest["ids"].items():
        if name not in current:
            continue
        for key in released:
            if key not in current[name] and (name, key) not in withdrawn:
                out.append(_p(name, None, ",".join(ctx.package.table(name).primary_key), "released-id-missing", key,
                              f"{key!r} was released in {manifest['version']} but is no longer in the table",
                              "restore the row (IDs never change: correct it in place), or withdraw it in releases/withdrawn.csv"))
    return out


@rule("withdrawn")
def check_withdrawn_not_reused(ctx: Context):
    current = _current(ctx)
    out = []
    for _, record in ctx.rows("withdrawn"):
        if record["id"] in current.get(record["table"], {}):
            line, _ = current[record["table"]][record["id"]]
            out.append(_p(record["table"], line, ",".join(ctx.package.table(record["table"]).primary_key), "withdrawn-id-reused", record["id"],
                          f"{record['id']!r} was withdrawn in {record['version']} and may never be used again", "give the new row a new ID"))
    return out


@rule("corrections")
def check_corrections(ctx: Context):
    """A correction names a row that exists (or was withdrawn) and a field that row has."""
    current = _current(ctx)
    withdrawn = {(row["table"], row["id"]) for _, row in ctx.rows("withdrawn")}
    out = []
    for line, record in ctx.rows("corrections"):
        rows = current.get(record["table"])
        if rows is None:
            continue
        if record["id"] not in rows:
            if (record["table"], record["id"]) not in withdrawn:
                out.append(_p("corrections", line, "id", "correction-unknown-id", record["id"], f"no row {record['id']!r} in {record['table']}", "fix the ID in the corrections log"))
        elif record["field"] not in ctx.package.table(record["table"]).field_names:
            out.append(_p("corrections", line, "field", "correction-unknown-field", record["field"], f"{record['table']} has no field {record['field']!r}", "fix the field name in the corrections log"))
    return out
