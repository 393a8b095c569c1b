"""The catalogue in `catalogue/*.toml` defines every field, vocabulary and pattern once;
`datapackage.json` is generated from it (`kratom-data generate`) and checked to be current.

A resource lists the fields it has and may override a key for its own use (PUDL's way), so a
shared field such as `verification` or `source_ids` is written once however many tables carry it.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

FOLDER = "catalogue"
CONSTRAINTS = ("required", "unique", "enum", "pattern", "minimum", "maximum", "minLength", "maxLength")
RESOURCE_KEYS = ("type", "path", "scheme", "format", "mediatype", "encoding", "title", "description", "dialect", "usageWarning", "derived")


class CatalogueError(ValueError):
    """The catalogue names something it does not define: a clear message, never a traceback."""


def _load(root: Path, name: str) -> dict:
    with open(root / FOLDER / f"{name}.toml", "rb") as handle:
        return tomllib.load(handle)


def exists(root: Path) -> bool:
    return (root / FOLDER / "resources.toml").exists()


def descriptor(root: Path) -> dict:
    """The Data Package descriptor the catalogue describes."""
    package, fields, resources = _load(root, "package"), _load(root, "fields"), _load(root, "resources")
    patterns = package.get("patterns", {})
    labels = package.get("labels", {})
    vocabularies = {name: _generated(value, resources) if isinstance(value, str) else value
                    for name, value in package.get("vocabularies", {}).items()}
    defaults = package.get("resource_defaults", {})
    delimiter = package["conventions"]["list_delimiter"]

    def spec(resource: str, name: str) -> dict:
        if name not in fields:
            raise CatalogueError(f"resource {resource!r} lists field {name!r}, which catalogue/fields.toml does not define")
        merged = {**fields[name], **resources[resource].get("overrides", {}).get(name, {})}
        for key in merged.pop("unset", []):
            merged.pop(key, None)
        return merged

    def pattern(value: str) -> str:
        return patterns.get(value, value)

    def field(resource: str, name: str) -> dict:
        merged = spec(resource, name)
        out = {"name": name, "type": merged["type"], "description": merged["description"]}
        constraints = {}
        for key in CONSTRAINTS:
            if key not in merged or (key == "pattern" and merged["type"] == "list"):  # a list's pattern applies to its items
                continue
            value = merged[key]
            if key == "enum":
                if value not in vocabularies:
                    raise CatalogueError(f"{resource}.{name} names vocabulary {value!r}, which catalogue/package.toml does not define")
                value = vocabularies[value]
            elif key == "pattern":
                value = pattern(value)
            constraints[key] = value
        if constraints:
            out["constraints"] = constraints
        if "enum" in constraints:
            out["categories"] = [{"value": code, "label": labels.get(code, code.replace("_", " "))} for code in constraints["enum"]]
        if merged["type"] == "list":
            out.update(delimiter=delimiter, itemType="string")
            if "items" in merged:
                target_resource, target_field = merged["items"].split(".")
                out["itemReferences"] = {"resource": target_resource, "field": target_field}
                out["itemPattern"] = pattern(spec(target_resource, target_field)["pattern"])
            elif "pattern" in merged:
                out["itemPattern"] = pattern(merged["pattern"])
        return out

    out = {key: value for key, value in package["package"].items()}
    publication = {key: value for key, value in package.get("publication", {}).items() if value}
    if publication:
        out["kratom_data:publication"] = publication
    out["resources"] = []
    for name, resource in resources.items():
        merged = {**defaults, **resource}
        entry = {"name": name, **{key: merged[key] for key in RESOURCE_KEYS if key in merged}}
        schema = {"fields": [field(name, f) for f in resource["fields"]], "missingValues": defaults.get("missingValues", [""]),
                  "primaryKey": resource["primaryKey"]}
        schema["foreignKeys"] = [
            {"fields": [column], "reference": {"resource": target.split(".")[0], "fields": [target.split(".")[1]]}}
            for column, target in resource.get("foreignKeys", {}).items()
        ]
        entry["schema"] = schema
        out["resources"].append(entry)
    return out


def _generated(kind: str, resources: dict) -> list[str]:
    """A vocabulary the catalogue computes instead of repeating, e.g. the names of the data tables."""
    if kind == "data resources":
        return [name for name, resource in resources.items() if resource["path"].startswith("data/") and "derived" not in resource]
    raise CatalogueError(f"unknown generated vocabulary {kind!r}")


def render(root: Path) -> str:
    return json.dumps(descriptor(root), indent=2, ensure_ascii=False) + "\n"


def is_current(root: Path) -> bool:
    path = root / "datapackage.json"
    return path.exists() and path.read_text(encoding="utf-8") == render(root)


def write(root: Path) -> Path:
    path = root / "datapackage.json"
    path.write_text(render(root), encoding="utf-8")
    return path
