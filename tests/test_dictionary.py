"""The data dictionary in docs/ is generated from datapackage.json and must be current."""

from conftest import REPO

from kratom_data.dictionary import render
from kratom_data.schema import Package


def test_dictionary_is_current():
    expected = render(Package.read(REPO / "datapackage.json"))
    assert (REPO / "docs" / "data-dictionary.md").read_text() == expected, "run `make dictionary`"


def test_every_field_has_a_description():
    for table in Package.read(REPO / "datapackage.json").tables.values():
        for field in table.fields:
            assert len(field.description) > 10, f"{table.name}.{field.name}"
