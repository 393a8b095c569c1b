"""The data dictionary, generated from datapackage.json so it is never written twice."""

from __future__ import annotations

from pathlib import Path

from .schema import Field, Package


def rules(field: Field) -> str:
    parts = []
    constraints = field.constraints
    if constraints.get("required"):
        parts.append("required")
    if constraints.get("unique"):
        parts.append("unique")
    if field.enum:
        parts.append("one of: " + ", ".join(f"`{v}`" for v in field.enum))
    if "pattern" in constraints:
        parts.append(f"pattern `{constraints['pattern']}`")
    for key, word in (("minimum", "at least"), ("maximum", "at most"), ("minLength", "min length"), ("maxLength", "max length")):
        if key in constraints:
            parts.append(f"{word} {constraints[key]}")
    if field.item_references:
        parts.append("items reference {0}.{1}".format(*field.item_references))
    return "; ".join(parts)


def render(package: Package) -> str:
    lines = [
        "# Data dictionary",
        "",
        f"Generated from `datapackage.json` (version {package.version}) by `kratom-data dictionary`; do not edit by hand.",
        "",
    ]
    for table in package.all_tables.values():
        lines += [f"## {table.name}", "", table.description, ""]
        if table.derived:
            lines += [f"*Derived by every build, not edited:* {table.derived}. Shipped in the release only.", ""]
        lines.append(f"Primary key: `{', '.join(table.primary_key)}`.")
        for column, ref_table, ref_column in table.foreign_keys:
            lines.append(f"`{column}` references `{ref_table}.{ref_column}`.")
        warning = table.descriptor.get("usageWarning")
        if warning:
            lines += ["", f"> **Usage warning.** {warning}"]
        lines += ["", "| field | type | description | rules |", "| --- | --- | --- | --- |"]
        for field in table.fields:
            kind = f"list of {field.descriptor.get('itemType', 'string')} (`;`)" if field.type == "list" else field.type
            lines.append(f"| `{field.name}` | {kind} | {field.description.replace('|', '/')} | {rules(field).replace('|', '/')} |")
        lines.append("")
    return "\n".join(lines)


def write_dictionary(package: Package, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(package), encoding="utf-8")
