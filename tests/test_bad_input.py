"""The hostile-input corpus: every rule, shown failing on a small corruption of the real data.

Each case runs the contributor's command (`kratom-data validate --json`) in process, on only the layer
that owns the rule under test, and asserts the exact located problem, a non-zero exit, no traceback,
and that no file was modified. Rows are chosen by a condition, never by an ID curation may change.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json

import pytest
from conftest import REPO, edit_cell, read_rows, write_rows

from kratom_data.cli import main
from kratom_data.problems import Problem
from kratom_data.schema import Package


def _digest(root):
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


FILES_RULES = {"missing-file", "empty-file", "byte-order-mark", "line-ending", "invalid-utf8", "nul-byte", "final-newline", "csv-syntax",
               "header-missing-column", "header-extra-column", "header-order", "column-count", "formula-injection",
               "surrounding-whitespace", "unicode-nfc", "sort-order", "descriptor-error", "descriptor-stale"}
FRICTIONLESS_RULES = {"type-error", "constraint-error", "unique-error", "primary-key", "foreign-key"}


def layer_of(rule: str) -> str:
    if rule.startswith("expect"):
        return "great_expectations"
    return "files" if rule in FILES_RULES else "frictionless" if rule in FRICTIONLESS_RULES else "domain"


def validate(root, layers=None):
    """`kratom-data validate --json` in process; `layers` limits it to the layers under test."""
    before = _digest(root)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--root", str(root), "validate", "--json"] + (["--layers", ",".join(layers)] if layers else []))
    report = json.loads(out.getvalue())
    problems = [Problem(**p) for p in report["problems"]]
    assert code == (1 if problems else 0) and report["valid"] is (not problems)
    assert _digest(root) == before, "validation must never modify files"
    return problems


def expect(root, table, line, column, rule):
    """Validate with only the rule's layer and return the one located problem expected."""
    return find(validate(root, [layer_of(rule)]), table, line, column, rule)


def find(problems, table, line, column, rule):
    hits = [p for p in problems if (p.table, p.line, p.column, p.rule) == (table, line, column, rule)]
    assert hits, f"expected {table}:{line} [{column}] {rule}; got:\n" + "\n".join(p.render() for p in problems)
    return hits[0]


def only_rules(problems):
    return {p.rule for p in problems}


# --- files layer -------------------------------------------------------------------------------

def test_missing_table_file(package_copy):
    (package_copy / "data" / "claims.csv").unlink()
    problem = expect(package_copy, "claims", None, None, "missing-file")
    assert problem.render().startswith("data/claims.csv: missing-file: data/claims.csv does not exist")


def test_empty_file(package_copy):
    (package_copy / "data" / "claims.csv").write_text("")
    expect(package_copy, "claims", 1, None, "empty-file")


def test_byte_order_mark(package_copy):
    path = package_copy / "data" / "studies.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    problems = validate(package_copy, ["files"])
    assert only_rules(problems) == {"byte-order-mark"}
    assert "save as UTF-8 without BOM" in problems[0].render()


def test_crlf_line_endings(package_copy):
    path = package_copy / "data" / "sources.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    problems = validate(package_copy, ["files"])
    assert only_rules(problems) == {"line-ending"}
    assert problems[0].line == 1


def test_invalid_utf8(package_copy):
    path = package_copy / "data" / "alkaloids.csv"
    lines = path.read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b",", b",\xe9", 1)  # Latin-1 e-acute in line 3
    path.write_bytes(b"\n".join(lines))
    problem = expect(package_copy, "alkaloids", 3, None, "invalid-utf8")
    assert "0xe9" in problem.message


def test_nul_byte(package_copy):
    path = package_copy / "data" / "jurisdictions.csv"
    lines = path.read_bytes().split(b"\n")
    lines[4] += b"\x00"
    path.write_bytes(b"\n".join(lines))
    expect(package_copy, "jurisdictions", 5, None, "nul-byte")


def test_missing_final_newline(package_copy):
    path = package_copy / "data" / "claims.csv"
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    assert only_rules(validate(package_copy, ["files"])) == {"final-newline"}


def test_unclosed_quote(package_copy):
    path = package_copy / "data" / "claims.csv"
    path.write_text(path.read_text() + 'x-claim,"unclosed,sleep\n')
    assert "csv-syntax" in only_rules(validate(package_copy, ["files"]))


@pytest.mark.parametrize(
    "change, rule, column",
    [
        (lambda h: h[:-1], "header-missing-column", "notes"),
        (lambda h: h + ["colour"], "header-extra-column", "colour"),
        (lambda h: [("note" if c == "notes" else c) for c in h], "header-missing-column", "notes"),
        (lambda h: [h[1], h[0]] + h[2:], "header-order", None),
    ],
    ids=["missing", "extra", "renamed", "reordered"],
)
def test_header_problems(package_copy, change, rule, column):
    header, rows = read_rows(package_copy, "alkaloids")
    new_header = change(header)
    path = package_copy / "data" / "alkaloids.csv"
    text = path.read_text().split("\n", 1)
    path.write_text(",".join(new_header) + "\n" + text[1])
    problem = expect(package_copy, "alkaloids", 1, column, rule)
    assert problem.fix


def test_row_with_extra_cell(package_copy):
    path = package_copy / "data" / "claims.csv"
    lines = path.read_text().split("\n")
    lines[1] += ",surplus"
    path.write_text("\n".join(lines))
    expect(package_copy, "claims", 2, None, "column-count")


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\")", "+1 555", "@SUM(A1)", "-see above"])
def test_formula_injection(package_copy, value):
    line = edit_cell(package_copy, "legal_status", "notes", value)
    expect(package_copy, "legal_status", line, "notes", "formula-injection")


def test_negative_number_is_not_injection(package_copy):
    edit_cell(package_copy, "legal_status", "notes", "-5")
    assert "formula-injection" not in only_rules(validate(package_copy, ["files"]))




def test_reordered_file_fails_only_sort_rule_with_hint(package_copy):
    header, rows = read_rows(package_copy, "legal_status")
    write_rows(package_copy, "legal_status", header, list(reversed(rows)))
    problems = validate(package_copy, ["files", "frictionless", "domain"])
    assert only_rules(problems) == {"sort-order"}
    assert "kratom-data sort" in problems[0].fix


def test_one_megabyte_cell(package_copy):
    line = edit_cell(package_copy, "legal_status", "notes", "x" * 1_000_000)
    problem = expect(package_copy, "legal_status", line, "notes", "constraint-error")
    assert "maxLength" in problem.message


# --- Frictionless layer -----------------------------------------------------------------------

@pytest.mark.parametrize("value, says", [
    ("2021-02-30", "February 2021 has 28 days, so day 30 does not exist"),
    ("2021-13-01", "month 13 does not exist"),
    ("30/02/2021", "is not a date written YYYY-MM-DD"),
], ids=["day", "month", "format"])
def test_impossible_date_says_what_is_wrong(package_copy, value, says):
    line = edit_cell(package_copy, "sources", "published", value, where=lambda r: r["published"])
    problem = expect(package_copy, "sources", line, "published", "type-error")
    assert says in problem.message and "YYYY-MM-DD" in problem.fix


def test_unknown_enum_value(package_copy):
    line = edit_cell(package_copy, "legal_status", "status", "banned")
    problem = expect(package_copy, "legal_status", line, "status", "constraint-error")
    assert "no_specific_control" in problem.fix


@pytest.mark.parametrize(
    "column, value",
    [("doi", "https://doi.org/10.1021/jacs.6b00360"), ("pmid", "PMID123"), ("pmcid", "12345")],
)
def test_malformed_identifiers(package_copy, column, value):
    line = edit_cell(package_copy, "sources", column, value)
    expect(package_copy, "sources", line, column, "constraint-error")



def test_duplicate_id(package_copy):
    header, rows = read_rows(package_copy, "claims")
    rows.insert(1, dict(rows[0]))
    write_rows(package_copy, "claims", header, rows)
    problems = validate(package_copy, ["frictionless"])
    assert {"primary-key", "unique-error"} & only_rules(problems)
    assert any(p.line == 3 and p.table == "claims" for p in problems)



SCHEMA = Package.read(__import__("conftest").REPO / "datapackage.json")
FOREIGN_KEYS = [(t.name, column) for t in SCHEMA.tables.values() for column, _, _ in t.foreign_keys]
LIST_REFERENCES = [(t.name, f.name) for t in SCHEMA.tables.values() for f in t.fields if f.item_references]


@pytest.mark.parametrize("table, column", FOREIGN_KEYS, ids=[f"{t}.{c}" for t, c in FOREIGN_KEYS])
def test_dangling_foreign_key(package_copy, table, column):
    dangling = "ZZ" if "jurisdiction" in column or column in ("parent_id", "origin_id", "country_id") else "no-such-id"
    line = edit_cell(package_copy, table, column, dangling, where=lambda r: r[column])
    problem = expect(package_copy, table, line, column, "foreign-key")
    target = next(t for c, t, _ in SCHEMA.table(table).foreign_keys if c == column)
    assert f"the {target} table" in problem.message and "or add that row there first" in problem.fix


def test_missing_foreign_key_names_the_table_and_suggests_the_closest_id(package_copy):
    line = edit_cell(package_copy, "studies", "country_id", "UK", where=lambda r: r["country_id"])
    problem = expect(package_copy, "studies", line, "country_id", "foreign-key")
    assert "'UK' is not a jurisdiction_id in the jurisdictions table (data/jurisdictions.csv)" in problem.message
    assert problem.fix.startswith("did you mean 'GB'?")


@pytest.mark.parametrize("table, column", LIST_REFERENCES, ids=[f"{t}.{c}" for t, c in LIST_REFERENCES])
def test_dangling_list_item(package_copy, table, column):
    header, rows = read_rows(package_copy, table)
    index = next(i for i, r in enumerate(rows) if r[column])
    ghost = "ZZ.kratom.1999" if column == "status_ids" else "ghost-1999-nothing"  # well-formed for the list's item pattern
    rows[index][column] += ";" + ghost
    write_rows(package_copy, table, header, rows)
    problem = expect(package_copy, table, index + 2, column, "list-item-reference")
    assert problem.value == ghost



def test_changed_released_id(package_copy):
    """Renaming an ID that a release recorded is caught against the latest manifest."""
    _, rows = read_rows(package_copy, "claims")
    released = {"version": "99.0.0", "date": "2099-01-01", "files": {}, "rows": {}, "ids": {"claims": [rows[0]["claim_id"]]}}
    (package_copy / "releases" / "99.0.0").mkdir(parents=True)
    (package_copy / "releases" / "99.0.0" / "manifest.json").write_text(json.dumps(released))
    edit_cell(package_copy, "claims", "claim_id", rows[0]["claim_id"] + "-renamed")
    problem = next(p for p in validate(package_copy, ["domain"]) if p.rule == "released-id-missing")
    assert problem.value == rows[0]["claim_id"] and "99.0.0" in problem.message


def test_withdrawn_id_reused(package_copy):
    _, rows = read_rows(package_copy, "claims")
    (package_copy / "releases" / "withdrawn.csv").write_text(f"version,table,id,reason,replaced_by\n0.0.1,claims,{rows[0]['claim_id']},a duplicate of another claim,\n")
    expect(package_copy, "claims", 2, "claim_id", "withdrawn-id-reused")


def _log_correction(root, **values) -> int:
    """Append one correction to the log; returns its line."""
    header, rows = read_rows(root, "corrections")
    _, claims = read_rows(root, "claims")
    rows.append({"version": "9.9.9", "table": "claims", "id": claims[0]["claim_id"], "field": "verdict", "old_value": "a", "new_value": "b",
                 "reason": "the verdict was misread", "source_id": claims[0]["study_ids"].split(";")[0], "date": "2026-11-24", **values})
    write_rows(root, "corrections", header, rows)
    return len(rows) + 1


def test_correction_naming_unknown_field(package_copy):
    line = _log_correction(package_copy, field="colour")
    expect(package_copy, "corrections", line, "field", "correction-unknown-field")


def test_correction_naming_unknown_id(package_copy):
    line = _log_correction(package_copy, id="no-such-claim")
    problem = expect(package_copy, "corrections", line, "id", "correction-unknown-id")
    assert problem.render().startswith(f"releases/corrections.csv:{line} [id]: correction-unknown-id")


@pytest.mark.parametrize("column", ["reason", "source_id"])
def test_correction_must_say_why_and_on_what_source(package_copy, column):
    line = _log_correction(package_copy, **{column: ""})
    problem = expect(package_copy, "corrections", line, column, "constraint-error")
    assert "required" in problem.fix


def test_unreadable_manifest(package_copy):
    (package_copy / "releases" / "99.0.0").mkdir()
    (package_copy / "releases" / "99.0.0" / "manifest.json").write_text("{ truncated")
    problem = expect(package_copy, "releases", None, None, "manifest-unreadable")
    assert problem.location() == "releases/99.0.0/manifest.json" and "git" in problem.fix


def test_renamed_log_header_and_broken_outcome_id_are_both_reported(package_copy):
    """One broken input must not hide another: each is reported where it is."""
    path = package_copy / "releases" / "corrections.csv"
    path.write_text(path.read_text().replace("old_value", "previous_value", 1))
    line = edit_cell(package_copy, "study_outcomes", "outcome_id", "not-the-right-id.sleep")
    problems = validate(package_copy)
    find(problems, "corrections", 1, "old_value", "header-missing-column")
    find(problems, "study_outcomes", line, "outcome_id", "outcome-id-form")
    assert not any(p.rule.endswith("crashed") for p in problems)


def test_one_crashing_rule_is_reported_for_its_table_and_the_others_still_run(package_copy, monkeypatch):
    from kratom_data.validate import domain

    def explode(context):
        raise RuntimeError("boom")

    table, _ = next((t, f) for t, f in domain.RULES if f is domain.check_identifiers)
    monkeypatch.setattr(domain, "RULES", [(t, explode if f is domain.check_identifiers else f) for t, f in domain.RULES])
    line = edit_cell(package_copy, "study_outcomes", "outcome_id", "not-the-right-id.sleep")
    problems = validate(package_copy, ["domain"])
    crash = find(problems, table, None, None, "explode-crashed")
    assert "RuntimeError: boom" in crash.message
    find(problems, "study_outcomes", line, "outcome_id", "outcome-id-form")


def test_broken_datapackage_json(package_copy):
    path = package_copy / "datapackage.json"
    path.write_text(path.read_text()[:-20])
    problems = validate(package_copy)
    assert [p.rule for p in problems] == ["descriptor-error"]
    assert "not valid JSON" in problems[0].message


def test_descriptor_edited_by_hand_is_stale(package_copy):
    path = package_copy / "datapackage.json"
    descriptor = json.loads(path.read_text())
    descriptor["resources"][0]["schema"]["fields"][1]["constraints"]["maxLength"] = 5
    path.write_text(json.dumps(descriptor, indent=2) + "\n")
    problem = expect(package_copy, "datapackage", None, None, "descriptor-stale")
    assert "kratom-data generate" in problem.fix


def test_descriptor_missing_schema(package_copy):
    path = package_copy / "datapackage.json"
    descriptor = json.loads(path.read_text())
    del descriptor["resources"][0]["schema"]
    path.write_text(json.dumps(descriptor))
    assert [p.rule for p in validate(package_copy)] == ["descriptor-error"]


def test_duplicate_doi(package_copy):
    header, rows = read_rows(package_copy, "sources")
    with_doi = [i for i, r in enumerate(rows) if r["doi"]]
    rows[with_doi[1]]["doi"] = rows[with_doi[0]]["doi"]
    write_rows(package_copy, "sources", header, rows)
    expect(package_copy, "sources", with_doi[1] + 2, "doi", "unique-error")


# --- Great Expectations layer: the release as a whole ------------------------------------------

def test_rows_deleted_since_the_last_release(package_copy):
    header, rows = read_rows(package_copy, "claims")
    write_rows(package_copy, "claims", header, rows[:-3])
    problem = expect(package_copy, "claims", None, None, "expect_table_row_count_to_be_between")
    assert problem.value == str(len(rows) - 3) and "withdrawn.csv" in problem.fix


def test_share_of_verified_studies_falls(package_copy):
    header, rows = read_rows(package_copy, "studies")
    write_rows(package_copy, "studies", header, [dict(row, verification="secondary") for row in rows])
    problem = expect(package_copy, "studies", None, "verification", "expect_column_values_to_be_in_set")
    assert problem.value.startswith("0.0%")


def _suite(root, table):
    path = root / "validation" / "expectations" / f"{table}.json"
    return path, json.loads(path.read_text())


@pytest.mark.parametrize("change, message", [
    (lambda suite: suite.__setitem__("expectations", "not a list"), "cannot read the suite"),
    (lambda suite: suite["expectations"][1]["kwargs"].__setitem__("row_condition", 'design=="case_reports"'), "'case_reports'"),
    (lambda suite: suite["expectations"][1]["kwargs"].__setitem__("column", "verifcation"), "'verifcation'"),
], ids=["unreadable", "unknown-code-in-condition", "unknown-column"])
def test_broken_expectation_suite(package_copy, change, message):
    path, suite = _suite(package_copy, "studies")
    change(suite)
    path.write_text(json.dumps(suite))
    problem = expect(package_copy, "studies", None, None, "expectation-suite")
    assert message in problem.message and problem.location() == "validation/expectations/studies.json"


# --- domain layer ------------------------------------------------------------------------------

@pytest.mark.parametrize("code, name, level, parent, rule", [
    ("XK", "Kosovo", "country", "", "iso-3166-1"),
    ("US-ZZ", "Nowhere", "subdivision", "US", "iso-3166-2"),
], ids=["unknown_country_code", "unknown_subdivision_code"])
def test_unknown_iso_code(package_copy, code, name, level, parent, rule):
    header, rows = read_rows(package_copy, "jurisdictions")
    rows.append({"jurisdiction_id": code, "name": name, "level": level, "parent_id": parent, "wikidata_id": ""})
    rows.sort(key=lambda r: r["jurisdiction_id"])
    write_rows(package_copy, "jurisdictions", header, rows)
    line = [r["jurisdiction_id"] for r in rows].index(code) + 2
    expect(package_copy, "jurisdictions", line, "jurisdiction_id", rule)



def test_overlapping_periods(package_copy):
    header, rows = read_rows(package_copy, "legal_status")
    keys = [(r["jurisdiction_id"], r["substance"]) for r in rows]
    index = next(i for i in range(1, len(rows)) if keys[i] == keys[i - 1] and rows[i - 1]["valid_to"])
    rows[index - 1]["valid_to"] = "2099-01-01"
    write_rows(package_copy, "legal_status", header, rows)
    problem = expect(package_copy, "legal_status", index + 2, "valid_from", "overlapping-period")
    assert rows[index - 1]["status_id"] in problem.fix




@pytest.mark.parametrize(
    "value, rule",
    [("no-such-source", "list-item-reference"), ("a; b", "list-format"), ("a;;b", "list-format"), ("Bad_ID", "list-item-pattern")],
)
def test_source_list_cells(package_copy, value, rule):
    line = edit_cell(package_copy, "legal_status", "source_ids", value)
    expect(package_copy, "legal_status", line, "source_ids", rule)







def test_advocacy_page_alone_cannot_verify(package_copy):
    header, rows = read_rows(package_copy, "sources")
    rows.append({**{c: "" for c in header}, "source_id": "zz-vendor-blog", "source_type": "advocacy", "title": "Vendor blog", "url": "https://example.com/blog"})
    write_rows(package_copy, "sources", header, rows)
    line = edit_cell(package_copy, "legal_status", "source_ids", "zz-vendor-blog", where=lambda r: r["verification"] == "verified")
    expect(package_copy, "legal_status", line, "verification", "advocacy-only")



def test_claim_resting_on_retracted_study(package_copy):
    header, claims = read_rows(package_copy, "claims")
    study = claims[0]["study_ids"].split(";")[0]
    edit_cell(package_copy, "claims", "study_ids", study)
    edit_cell(package_copy, "studies", "retracted", "true", where=lambda r: r["study_id"] == study)
    expect(package_copy, "claims", 2, "study_ids", "retracted-evidence")


def test_cas_check_digit(package_copy):
    header, rows = read_rows(package_copy, "alkaloids")
    index = next(i for i, r in enumerate(rows) if r["cas"])
    cas = rows[index]["cas"]
    rows[index]["cas"] = cas[:-1] + str((int(cas[-1]) + 1) % 10)
    write_rows(package_copy, "alkaloids", header, rows)
    expect(package_copy, "alkaloids", index + 2, "cas", "cas-check-digit")



@pytest.mark.parametrize(
    "column, value, rule",
    [("formula", "C99H99N9O9", "smiles-formula"), ("inchikey", "AAAAAAAAAAAAAA-BBBBBBBBBB-N", "smiles-inchikey"), ("molar_mass", "999.99", "smiles-molar-mass")],
)
def test_identifiers_disagree_with_smiles(package_copy, column, value, rule):
    line = edit_cell(package_copy, "alkaloids", column, value, where=lambda r: r["smiles"] and r["molar_mass"])
    problem = expect(package_copy, "alkaloids", line, column, rule)
    assert "SMILES" in problem.message


def test_two_periods_starting_same_day(package_copy):
    header, rows = read_rows(package_copy, "legal_status")
    index = next(i for i, r in enumerate(rows) if r["valid_from"] and not r["valid_to"])
    twin = {**rows[index], "status_id": rows[index]["status_id"] + "z"}
    rows.insert(index + 1, twin)
    write_rows(package_copy, "legal_status", header, rows)
    expect(package_copy, "legal_status", index + 3, "valid_from", "overlapping-period")


def test_same_action_recorded_twice(package_copy):
    header, rows = read_rows(package_copy, "legal_events")
    twin = dict(rows[0], event_id=rows[0]["event_id"] + "-again")
    rows.insert(1, twin)
    write_rows(package_copy, "legal_events", header, rows)
    problem = expect(package_copy, "legal_events", 3, "event_id", "duplicate-event")
    assert rows[0]["event_id"] in problem.message


def test_dated_period_without_its_opening_event(package_copy):
    header, rows = read_rows(package_copy, "legal_events")
    opening = next(r for r in rows if r["changes_status"] == "true" and ";" not in r["status_ids"])
    write_rows(package_copy, "legal_events", header, [r for r in rows if r is not opening])
    _, periods = read_rows(package_copy, "legal_status")
    line = next(i for i, p in enumerate(periods) if p["status_id"] == opening["status_ids"]) + 2
    expect(package_copy, "legal_status", line, "valid_from", "period-not-opened")


def test_period_ends_before_it_starts(package_copy):
    line = edit_cell(package_copy, "legal_status", "valid_to", "1900-01-01", where=lambda r: r["valid_from"] > "1901")
    problem = expect(package_copy, "legal_status", line, "valid_to", "period-order")
    assert problem.layer == "domain"






def test_same_publication_coded_twice(package_copy):
    header, rows = read_rows(package_copy, "studies")
    rows[1]["source_id"] = rows[0]["source_id"]
    write_rows(package_copy, "studies", header, rows)
    expect(package_copy, "studies", 3, "source_id", "unique-error")




def test_source_needs_a_locator(package_copy):
    header, rows = read_rows(package_copy, "sources")
    index = next(i for i, r in enumerate(rows) if not r["doi"] and not r["pmid"])
    rows[index]["url"] = ""
    write_rows(package_copy, "sources", header, rows)
    expect(package_copy, "sources", index + 2, "url", "needs-locator")


def test_verified_alkaloid_needs_structure(package_copy):
    header, rows = read_rows(package_copy, "alkaloids")
    index = next(i for i, r in enumerate(rows) if r["verification"] == "secondary")
    rows[index].update(smiles="", inchikey="", formula="", molar_mass="")
    write_rows(package_copy, "alkaloids", header, rows)
    expect(package_copy, "alkaloids", index + 2, "smiles", "verified-needs-structure")


def test_crashing_layer_is_reported_not_raised(package_copy, monkeypatch):
    from kratom_data.validate import domain

    def explode(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(domain, "check", explode)
    problems = validate(package_copy, ["domain"])
    assert [p.rule for p in problems] == ["domain-crashed"]
    assert "RuntimeError: boom" in problems[0].message


# --- one corrupted cell, one located problem, across every layer ------------------------------

STUDY_SOURCES = {row["source_id"] for row in read_rows(REPO, "studies")[1]}

SINGLE_CELL_CASES = [
    # (case, table, column edited, new value, which row (first by default), column reported, rule)
    ("surrounding_whitespace", "sources", "publisher", " Lancet ", None, "publisher", "surrounding-whitespace"),
    ("text_not_nfc", "sources", "publisher", "Universite\u0301 de Lyon", None, "publisher", "unicode-nfc"),
    ("malformed_inchikey", "alkaloids", "inchikey", "LOWERCASE-key", None, "inchikey", "constraint-error"),
    ("missing_required_value", "studies", "summary", "", None, "summary", "constraint-error"),
    ("malformed_cas", "alkaloids", "cas", "4098402", lambda r: r["cas"], "cas", "constraint-error"),
    ("implausible_year", "sources", "published", "1066-10-14", None, "published", "constraint-error"),
    ("percentage_above_100", "alkaloid_content", "value", "150", lambda r: r["unit"].startswith("percent"), "value", "expect_column_values_to_be_between"),
    ("subdivision_under_wrong_parent", "jurisdictions", "parent_id", "CA", lambda r: r["jurisdiction_id"].startswith("US-") and r["level"] == "subdivision", "parent_id", "parent-mismatch"),
    ("status_id_must_spell_its_row", "legal_status", "substance", "mitragynine", lambda r: r["substance"] == "kratom", "status_id", "status-id-form"),
    ("unknown_substance", "legal_status", "substance", "kratomine", None, "substance", "substance-reference"),
    ("fact_without_source", "alkaloid_content", "source_ids", "", None, "source_ids", "needs-source"),
    ("verified_row_needs_date", "legal_status", "verified_on", "", lambda r: r["verification"] == "verified", "verified_on", "verified-needs-date"),
    ("verified_in_the_future", "alkaloids", "verified_on", "2099-01-01", lambda r: r["verified_on"], "verified_on", "future-date"),
    ("outcome_id_spells_study_and_domain", "study_outcomes", "domain", "energy", lambda r: not r["outcome_id"].endswith(".energy"), "outcome_id", "outcome-id-form"),
    ("smiles_that_does_not_parse", "alkaloids", "smiles", "C1CC(", None, "smiles", "smiles-parse"),
    ("implausible_minimum_age", "legal_status", "min_age", "12", lambda r: r["min_age"], "min_age", "constraint-error"),
    ("emax_out_of_range", "receptor_activity", "value", "450", lambda r: r["measure"] == "Emax", "value", "expect_column_values_to_be_between"),
    ("concentration_in_percent", "receptor_activity", "unit", "percent", lambda r: r["measure"] == "Ki", "unit", "expect_column_values_to_be_in_set"),
    ("source_read_before_2020", "sources", "accessed", "2009-01-01", lambda r: r["accessed"], "accessed", "constraint-error"),
    ("summary_too_short", "studies", "summary", "Good.", None, "summary", "constraint-error"),
    ("study_without_identifier_needs_note", "sources", "notes", "", lambda r: r["source_id"] in STUDY_SOURCES and not r["doi"] and not r["pmid"], "notes", "study-needs-identifier"),
    ("undated_period_is_coded_baseline", "legal_status", "event", "enacted", lambda r: not r["valid_from"], "event", "undated-needs-baseline"),
    ("undated_period_says_when_it_is_attested", "legal_status", "attested_from", "", lambda r: not r["valid_from"], "attested_from", "undated-needs-attestation"),
    ("attested_after_its_sources_were_read", "legal_status", "attested_from", "2026-12-31", lambda r: not r["valid_from"], "attested_from", "attested-after-reading"),
    ("dated_period_needs_no_attestation", "legal_status", "attested_from", "2020-01-01", lambda r: r["valid_from"], "attested_from", "attested-with-start"),
    ("status_change_names_its_period", "legal_events", "status_ids", "", lambda r: r["changes_status"] == "true", "status_ids", "event-needs-period"),
    ("only_a_status_change_names_a_period", "legal_events", "changes_status", "false", lambda r: r["changes_status"] == "true", "status_ids", "period-without-change"),
    ("event_falls_off_its_period", "legal_events", "date", "1999-01-01", lambda r: r["changes_status"] == "true", "date", "event-off-period"),
    ("event_names_an_unknown_substance", "legal_events", "substances", "kratomine", None, "substances", "substance-reference"),
    ("unknown_event_type", "legal_events", "event_type", "banned", None, "event_type", "constraint-error"),
    ("sleep_outcome_says_how_it_was_measured", "study_outcomes", "measure_type", "", lambda r: r["domain"] == "sleep", "measure_type", "sleep-needs-measure-type"),
    ("sleep_outcome_says_use_or_withdrawal", "study_outcomes", "phase", "", lambda r: r["domain"] == "sleep", "phase", "sleep-needs-phase"),
    ("unknown_certainty_grade", "claims", "certainty", "certain", None, "certainty", "constraint-error"),
    ("claim_grade_needs_its_reason", "claims", "certainty_reason", "", None, "certainty_reason", "constraint-error"),
    ("unknown_search_corpus", "search_queries", "corpus", "google", None, "corpus", "constraint-error"),
    ("unknown_research_state", "jurisdictions", "research_state", "maybe", None, "research_state", "constraint-error"),
    ("no_control_cannot_rest_on_kratom_law", "legal_status", "legal_basis", "kratom_specific", lambda r: r["status"] == "no_specific_control", "legal_basis", "status-basis"),
]


@pytest.mark.parametrize("table, column, value, where, reported, rule", [c[1:] for c in SINGLE_CELL_CASES], ids=[c[0] for c in SINGLE_CELL_CASES])
def test_single_cell_corruption(package_copy, table, column, value, where, reported, rule):
    line = edit_cell(package_copy, table, column, value, where=where)
    expect(package_copy, table, line, reported, rule)
