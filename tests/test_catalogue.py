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


def test_no_code_is_hard_wired_in_the_package():
    """Rules reach codes through `Table.vocabulary(...)`, which raises on a code the schema lacks, so renaming
    a code can never silently switch a rule off. A string literal equal to a code is a repetition."""
    codes, names = _codes(), _names()
    found = []
    for path in sorted((REPO / "src" / "kratom_data").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in codes and node.value not in names:
                found.append(f"{path.relative_to(REPO)}:{node.lineno}: {node.value!r}")
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
