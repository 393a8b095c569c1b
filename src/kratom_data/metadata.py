"""One version string everywhere: datapackage.json is the source; CHANGELOG.md and CITATION.cff must agree.

Also writes the schema.org Dataset description of a release, for search engines and catalogues.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .schema import Package

RELEASE_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\] - (?P<date>\d{4}-\d{2}-\d{2})\s*$", re.MULTILINE)
FORMATS = {".csv": "text/csv", ".parquet": "application/vnd.apache.parquet", ".sqlite": "application/vnd.sqlite3",
           ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".json": "application/json"}


class VersionError(ValueError):
    """The version strings disagree: a release must not be built."""


def changelog_releases(root: Path) -> dict[str, str]:
    """version -> release date, from the Keep a Changelog headings."""
    text = (root / "CHANGELOG.md").read_text(encoding="utf-8") if (root / "CHANGELOG.md").exists() else ""
    return {m["version"]: m["date"] for m in RELEASE_HEADING.finditer(text)}


def citation_version(root: Path) -> str | None:
    path = root / "CITATION.cff"
    if not path.exists():
        return None
    match = re.search(r"^version:\s*\"?([^\"\n]+)\"?\s*$", path.read_text(encoding="utf-8"), re.MULTILINE)
    return match.group(1) if match else None


def release_date(root: Path, package: Package) -> str:
    """The date of this version's CHANGELOG heading; raises if the version strings disagree."""
    dates = changelog_releases(root)
    if package.version not in dates:
        raise VersionError(f"CHANGELOG.md has no '## [{package.version}] - YYYY-MM-DD' heading for datapackage.json's version")
    cited = citation_version(root)
    if cited is not None and cited != package.version:
        raise VersionError(f"CITATION.cff says version {cited}, datapackage.json says {package.version}")
    return dates[package.version]


def citation_cff(package: Package, date: str) -> str:
    """CITATION.cff, generated from the descriptor (checked current by the tests; `cffconvert --validate` passes)."""
    descriptor = package.descriptor
    lines = [
        "# Generated from catalogue/package.toml by `kratom-data generate`; do not edit by hand.",
        "cff-version: 1.2.0",
        'message: "If you use this data set, please cite the release you used."',
        "type: dataset",
        f"title: {json.dumps(descriptor['title'])}",
        f'version: "{package.version}"',
        f'date-released: "{date}"',
        f"license: {package.licence['name']}",
        f"repository-code: {json.dumps(descriptor['homepage'])}",
        f"url: {json.dumps(descriptor['homepage'])}",
        "authors:",
        *[f"  - name: {json.dumps(c['title'])}" for c in descriptor.get("contributors", [])],
        "keywords:",
        *[f"  - {json.dumps(k)}" for k in descriptor.get("keywords", [])],
        f"abstract: {json.dumps(descriptor['description'])}",
    ]
    if package.publication.get("doi"):
        lines.append(f"doi: {package.publication['doi']}")
    return "\n".join(lines) + "\n"


def zenodo(package: Package, date: str) -> dict:
    """.zenodo.json: what Zenodo (DataCite) needs to mint a DOI when a release is published on GitHub."""
    descriptor = package.descriptor
    return {
        "title": f"{descriptor['title']}, version {package.version}",
        "upload_type": "dataset",
        "description": descriptor["description"],
        "version": package.version,
        "publication_date": date,
        "license": package.licence["name"].lower(),
        "creators": [{"name": c["title"]} for c in descriptor.get("contributors", [])],
        "keywords": descriptor.get("keywords", []),
        "related_identifiers": [{"identifier": descriptor["homepage"], "relation": "isSupplementTo", "resource_type": "software"}],
        "notes": f"Cite as: {package.citation(date)}",
    }


def citation_files(root: Path, package: Package) -> dict[str, str]:
    """The citation metadata files at the repository root, as `kratom-data generate` writes them."""
    date = changelog_releases(root).get(package.version)
    if date is None:
        raise VersionError(f"CHANGELOG.md has no '## [{package.version}] - YYYY-MM-DD' heading for the catalogue's version")
    return {"CITATION.cff": citation_cff(package, date), ".zenodo.json": json.dumps(zenodo(package, date), indent=2, ensure_ascii=False) + "\n"}


def schema_org(package: Package, date: str, files: list[str]) -> dict:
    descriptor = package.descriptor
    base = package.publication.get("download_base", "")
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": descriptor.get("title", descriptor["name"]),
        "alternateName": descriptor["name"],
        "description": descriptor.get("description", ""),
        "version": package.version,
        "datePublished": date,
        "license": package.licence["path"],
        "keywords": descriptor.get("keywords", []),
        "creator": {"@type": "Organization", "name": package.authors},
        "isAccessibleForFree": True,
        "variableMeasured": [f"{t.name}.{f.name}" for t in package.all_tables.values() for f in t.fields],
        "distribution": [
            {"@type": "DataDownload", "contentUrl": base.rstrip("/") + "/" + name if base else name, "encodingFormat": FORMATS.get(Path(name).suffix, "application/octet-stream")}
            for name in files
        ],
        "citation": package.citation(date),
        "url": descriptor["homepage"],
        **({"identifier": f"https://doi.org/{package.publication['doi']}"} if package.publication.get("doi") else {}),
    }


def datasette_metadata(package: Package) -> dict:
    """Titles, descriptions, licence and source for `datasette kratom-data.sqlite -m datasette.json`."""
    descriptor = package.descriptor
    return {
        "title": descriptor.get("title", descriptor["name"]),
        "description": f"{descriptor.get('description', '')} Version {package.version}. Not legal or medical advice.",
        "license": package.licence["name"],
        "license_url": package.licence["path"],
        "source": "kratom-data: every row cites its own sources (see the sources table)",
        "databases": {
            "kratom-data": {
                "tables": {
                    table.name: {
                        "title": table.descriptor.get("title", table.name),
                        "description": table.description + (f" Usage warning: {table.descriptor['usageWarning']}" if table.descriptor.get("usageWarning") else ""),
                        "columns": {field.name: field.description for field in table.fields},
                    }
                    for table in package.all_tables.values()
                }
            }
        },
    }
