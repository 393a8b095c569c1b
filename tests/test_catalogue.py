"""One definition of every field: the descriptor is generated from catalogue/, and code never
repeats a code (an enum value) that the schema defines."""

from __future__ import annotations

import ast
import json
import tomllib

from conftest import REPO

from kratom_data import catalogue
from kratom_data.schema import Package

PACKAGE = Package.read(REPO / "datapackage.json")


def test_descriptor_is_generated_from_the_catalogue():
    assert (REPO / "datapackage.json").read_text() == catalogue.render(REPO), "run `kratom-data generate`"


def test_every_catalogued_field_is_used_and_defined_once():
    fields = tomllib.loads((REPO / "catalogue" / "fields.toml").read_text())
    used = {name for table in PACKAGE.tables.values() for name in table.field_names}
    assert set(fields) == used
    text = (REPO / "catalogue" / "fields.toml").read_text()
    assert all(text.count(f"\n[{name}]\n") + text.startswith(f"[{name}]\n") == 1 for name in fields)


def test_shared_definitions_are_not_repeated_in_the_descriptor_source():
    """The slug pattern and the verification codes appear once in the catalogue, however many tables use them."""
    package_toml = (REPO / "catalogue" / "package.toml").read_text()
    slug = tomllib.loads(package_toml)["patterns"]["slug"]
    everything = "".join((REPO / "catalogue" / f"{name}.toml").read_text() for name in ("package", "fields", "resources"))
    assert everything.count(slug) == 1
    assert everything.count("'verified', 'secondary', 'unverified'") == 1
    assert sum(1 for table in PACKAGE.tables.values() if "verification" in table.field_names) >= 5


def _codes() -> set[str]:
    return {code for table in PACKAGE.tables.values() for field in table.fields for code in (field.enum or [])}


def _names() -> set[str]:
    return {field.name for table in PACKAGE.tables.values() for field in table.fields} | set(PACKAGE.tables)


def hard_wired(source: str, codes: set[str], names: set[str]) -> list[tuple[int, str]]:
    """Codes written into code where they would be hard-wired: compared with, used as a mapping key, or a default argument."""
    found = []
    for node in ast.walk(ast.parse(source)):
        places = [node] if isinstance(node, ast.Compare) else [k for k in node.keys if k] if isinstance(node, ast.Dict) else \
            node.defaults + node.kw_defaults if isinstance(node, ast.arguments) else []
        for place in (p for p in places if p is not None):
            for constant in ast.walk(place):
                if isinstance(constant, ast.Constant) and isinstance(constant.value, str) and constant.value in codes and constant.value not in names:
                    found.append((constant.lineno, constant.value))
    return found


def test_the_scan_catches_hard_wired_codes():
    snippet = 'if row["status"] == "controlled": pass\nWIDTH = {"year": 4}\ndef f(freq="month"): pass\nlabel = "controlled"\n'
    assert hard_wired(snippet, _codes(), _names()) == [(1, "controlled"), (2, "year"), (3, "month")]


def test_no_code_is_hard_wired_in_the_package():
    """Rules reach codes through `Table.vocabulary(...)`, which raises on a code the schema lacks, so renaming
    a code can never silently switch a rule off."""
    codes, names = _codes(), _names()
    found = [f"{path.relative_to(REPO)}:{line}: {code!r}" for path in sorted((REPO / "src" / "kratom_data").rglob("*.py"))
             for line, code in hard_wired(path.read_text(), codes, names)]
    assert found == []


def test_vocabulary_refuses_an_unknown_code():
    import pytest

    statuses = PACKAGE.table("legal_status").vocabulary("status")
    assert statuses.controlled == "controlled"
    with pytest.raises(AttributeError, match="legal_status.status has no code 'banned'"):
        statuses.banned  # noqa: B018


def test_suites_name_only_codes_the_schema_has():
    """The expectation suites are checked the same way by the validator; here on the committed suites."""
    from kratom_data.validate.expectations_layer import schema_errors

    for name, table in PACKAGE.tables.items():
        path = REPO / "validation" / "expectations" / f"{name}.json"
        assert path.exists(), f"every table has a suite: {name}"
        assert schema_errors(table, json.loads(path.read_text()), path) == []
