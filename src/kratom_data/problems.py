"""One error record shared by every validation layer, so every message reads the same."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    """A located, actionable finding: where it is, which rule, the value, and what to do."""

    table: str
    line: int | None  # line in the CSV file (header = 1); None for table- or package-level problems
    column: str | None
    rule: str
    value: str | None
    message: str
    fix: str
    layer: str  # files, frictionless, great_expectations, domain
    file: str | None = None  # the file, relative to the package root; set from the table's path by `validate`

    def location(self) -> str:
        where = self.file or {"datapackage": "datapackage.json"}.get(self.table, f"data/{self.table}.csv")
        if self.line:
            where += f":{self.line}"
        if self.column:
            where += f" [{self.column}]"
        return where

    def render(self) -> str:
        value = "" if self.value is None else f" (value: {_short(self.value)!r})"
        return f"{self.location()}: {self.rule}: {self.message}{value}\n    fix: {self.fix}"

    def as_dict(self) -> dict:
        return asdict(self)


def _short(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[:limit] + f"... ({len(value)} chars)"
