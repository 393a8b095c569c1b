"""A static site generated from a built release: maps, timelines, the evidence map, the checks.

It reads the release folder (Parquet, descriptor, checksums, validation report), never the CSVs
again, renders HTML through Jinja2 templates with autoescaping, and writes only files it owns.
Plain HTML and one stylesheet; it works opened from disk and fetches nothing at view time
(boundaries ship in `kratom_data/boundaries`). Two builds of one release are byte-identical.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pandas as pd

from .dictionary import rules
from .loader import load, package, status_on
from .outputs import OutputFolder
from .schema import missing, shown_date

BOUNDARIES = Path(__file__).parent / "boundaries"
ASSETS = Path(__file__).parent / "site_assets"
TEMPLATES = Path(__file__).parent / "templates"
NOT_RESEARCHED = "not_researched"
FIRST_YEAR = 2010
NAV = (("index.html", "Maps"), ("evidence.html", "Evidence"), ("claims.html", "Claims"), ("alkaloids.html", "Alkaloids"), ("dictionary.html", "Data dictionary"),
       ("manual.html", "Coding manual"), ("queries.html", "Queries"), ("validation.html", "Checks"), ("downloads.html", "Downloads & citation"))
CSS = """
body{font-family:system-ui,sans-serif;margin:0;color:#222;line-height:1.45}
header{background:#1f3b4d;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.3rem 1rem}header a{color:#fff;text-decoration:none}
main{max-width:1280px;margin:1rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.3rem .4rem;text-align:left;vertical-align:top}th{background:#f0f3f5}
svg{width:100%;height:auto;background:#f7fbff;border:1px solid #ccc}svg path{stroke:#fff;stroke-width:.4}
svg a:hover path{stroke:#000;stroke-width:1}.legend span{display:inline-block;width:1em;height:1em;margin:0 .3em 0 1em;vertical-align:middle}
.badge{padding:.1rem .4rem;border-radius:.3rem;color:#fff;font-size:.8rem}footer{font-size:.8rem;color:#555;margin:2rem 1rem}
code{background:#f0f3f5;padding:0 .2rem}.scroll{overflow-x:auto}
.search{margin-left:auto;position:relative}.search input{font-size:.9rem;padding:.15rem .3rem;width:16rem;max-width:70vw}
#search-results{position:absolute;right:0;z-index:5;background:#fff;color:#222;list-style:none;margin:0;padding:0;width:24rem;max-width:90vw}
#search-results li{padding:.3rem .5rem;border-bottom:1px solid #ddd}#search-results a{color:#0a4f8a}
.inset a{margin-left:1rem;white-space:nowrap}.swatch{display:inline-block;width:1em;height:1em;margin-right:.3em;vertical-align:middle;border:1px solid #999}
.fact{border-top:1px solid #ccc;padding:.3rem 0}.fact h2{font-size:1rem;overflow-wrap:anywhere}.fact dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.3rem 0}
.fact dt{font-weight:600}.fact dd{margin:0;overflow-wrap:anywhere}.cite{background:#f0f3f5;padding:.3rem .5rem;overflow-wrap:anywhere}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}pre{overflow-x:auto;background:#f0f3f5;padding:.5rem}
#evidence-grid{font-size:.8rem;table-layout:fixed}#evidence-grid th,#evidence-grid td{padding:.2rem .25rem}#evidence-grid th{overflow-wrap:anywhere;hyphens:auto}#evidence-grid tr:first-child th:first-child{width:13%}h1{overflow-wrap:anywhere}
@media (max-width:600px){main{padding:0 .5rem}table{font-size:.8rem}}
.today{border:1px solid #ccc;border-left:6px solid #1f3b4d;padding:.2rem 1rem;margin:1rem 0}
svg.timeline{background:#fff}svg.timeline text{font-size:11px;fill:#333}circle.event{fill:#1f3b4d}.muted{color:#555}
"""
# ColorBrewer RdBu, safe for colour-blind readers; in the order of each enum (least to most controlled; supported to contradicted).
STATUS_PALETTE = ("#0571b0", "#92c5de", "#f4a582", "#ca0020")
VERDICT_PALETTE = ("#0571b0", "#92c5de", "#d9d9d9", "#f4a582", "#ca0020")


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def text_on(colour: str) -> str:
    """White or near-black text, whichever contrasts more with the badge (WCAG relative luminance)."""
    light = _luminance(colour)
    return "#ffffff" if (1.05 / (light + 0.05)) >= ((light + 0.05) / (_luminance("#222222") + 0.05)) else "#222222"


def colours(codes, palette) -> dict[str, str]:
    """Colours by code, from the enum's order in the schema: a new code without a colour fails loudly."""
    codes = list(codes)
    if len(codes) != len(palette):
        raise ValueError(f"{len(codes)} codes but {len(palette)} colours: extend the palette in site.py")
    return dict(zip(codes, palette))


def page_name(jurisdiction_id: str) -> str:
    """A file name safe in a relative URL (':' would read as a scheme)."""
    return jurisdiction_id.replace(":", "--") + ".html"


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows for the templates: dates as YYYY-MM-DD, missing as None, codes as strings, lists as lists."""
    def shown(value):
        if isinstance(value, list):
            return value
        if hasattr(value, "tolist") and not isinstance(value, str):
            value = value.tolist()
            if isinstance(value, list):
                return value
        if missing(value):
            return None
        if isinstance(value, pd.Timestamp):
            return value.date().isoformat()
        return value if isinstance(value, (bool, int, float)) else str(value)
    return [{column: shown(value) for column, value in row.items()} for row in frame.to_dict("records")]


# --- maps: drawn in the browser by d3-geo and topojson-client (site_assets/) -----------------------

def map_codes() -> dict[str, dict[str, str]]:
    """Which boundary is which jurisdiction: world shapes by ISO 3166-1 numeric id, US shapes by name."""
    import pycountry

    world = json.loads((BOUNDARIES / "countries-110m.json").read_text(encoding="utf-8"))
    numeric = {g["id"] for g in world["objects"]["countries"]["geometries"] if "id" in g}
    countries = {code: getattr(pycountry.countries.get(numeric=code), "alpha_2", None) for code in sorted(numeric)}
    states = {s.name: s.code for s in pycountry.subdivisions.get(country_code="US")}
    return {"world": {k: v for k, v in countries.items() if v}, "us": dict(sorted(states.items()))}


def _assets() -> dict[str, str]:
    """The vendored libraries, our drawing script and the boundaries as scripts (file:// pages cannot fetch JSON)."""
    files = {f"assets/{p.name}": p.read_text(encoding="utf-8") for p in sorted(ASSETS.iterdir()) if p.suffix in (".js", ".md")}
    world = (BOUNDARIES / "countries-110m.json").read_text(encoding="utf-8").strip()
    us = (BOUNDARIES / "states-albers-10m.json").read_text(encoding="utf-8").strip()
    files["assets/boundaries.js"] = f"var WORLD = {world};\nvar US = {us};\n"
    files["assets/BOUNDARIES.md"] = (BOUNDARIES / "ATTRIBUTION.md").read_text(encoding="utf-8")
    return files


def timeline_drawing(periods: list[dict], events: list[dict], release_date: str, colours: dict, shown, label) -> dict | None:
    """Coordinates for the page's timeline: one bar per period (a lane per substance), one mark per event."""
    starts = [p["valid_from"] or p["attested_from"] for p in periods if p["valid_from"] or p["attested_from"]] + [e["date"] for e in events]
    if not starts:
        return None
    first, last = int(min(starts)[:4]), int(release_date[:4]) + 1
    width, left, lane = 860.0, 130.0, 22
    span = max(last - first, 1)

    def x(date: str) -> float:
        year, day_of_year = int(date[:4]), (int(date[5:7]) - 1) * 30.4 + int(date[8:10])
        return round(left + (year - first + day_of_year / 366) / span * (width - left), 1)

    substances = sorted({p["substance"] for p in periods}, key=lambda s: (s != "kratom", s))
    bars = []
    for p in periods:
        start = p["valid_from"] or p["attested_from"]
        if not start:
            continue
        end = p["valid_to"] or release_date
        y = 10 + substances.index(p["substance"]) * lane
        bars.append({"x": x(start), "y": y, "w": max(x(end) - x(start), 2), "colour": colours[p["status"]], "id": p["status_id"],
                     "label": f"{p['substance']}: {label('legal_status', 'status', p['status'])} from {shown(start, p['date_precision'] if p['valid_from'] else None)}"
                              + ("" if p["valid_from"] else " (first attested)") + (f" to {p['valid_to']}" if p["valid_to"] else "")})
    marks_y = 10 + len(substances) * lane + 8
    marks = [{"x": x(e["date"]), "y": marks_y, "id": e["event_id"], "label": f"{shown(e['date'], e['date_precision'])}: {label('legal_events', 'event_type', e['event_type'])}"}
             for e in events]
    ticks = [{"x": x(f"{year}-01-01"), "label": str(year)} for year in range(first, last + 1, max(1, span // 10))]
    lanes = [{"y": 10 + i * lane, "label": s} for i, s in enumerate(substances)] + [{"y": marks_y - 6, "label": "events"}]
    return {"height": marks_y + 34, "width": width, "bars": bars, "marks": marks, "ticks": ticks, "lanes": lanes, "axis_y": marks_y + 14}


def status_by_year(release: Path, release_date: str) -> dict[str, dict[str, str]]:
    """For each year (1 January) and the release date: the status of the plant in every jurisdiction with a row."""
    out = {}
    dates = [f"{year}-01-01" for year in range(FIRST_YEAR, int(release_date[:4]) + 1)] + [release_date]
    for day in dates:
        frame = status_on(day, release)
        plant = frame[frame["substance"] == "kratom"]
        out[day[:4] if day != release_date else release_date] = dict(zip(plant["jurisdiction_id"], plant["status"].astype(str)))
    return out


def build_site(root: Path, out: Path, release: Path) -> list[Path]:
    """Write the site for the release in `release` into `out`; `root` supplies the manual and queries pages."""
    import jinja2

    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, keep_trailing_newline=True)
    environment.filters["inline_markdown"] = inline_markdown
    pkg = package(release)
    descriptor = pkg.descriptor
    date = descriptor["created"]
    frames = {name: load(name, release) for name in pkg.tables}
    sources = {r["source_id"]: r for r in records(frames["sources"])}
    link_template = environment.get_template("sources.html")

    def source_links(ids) -> str:
        return jinja2.filters.Markup(link_template.render(sources=[{"id": s, "url": (sources.get(s) or {}).get("url"), "title": (sources.get(s) or {}).get("title", s)} for s in ids]))

    status = pkg.table("legal_status").field("status")
    status_level = pkg.table("jurisdictions").vocabulary("level")
    status_colours = {**colours(status.enum, STATUS_PALETTE), NOT_RESEARCHED: "#d9d9d9"}
    status_labels = {code: status.label(code) if code in status.enum else "not researched" for code in status_colours}
    common = {"text_on": text_on, "version": pkg.version, "licence": pkg.licence["name"], "nav": NAV, "page_name": page_name, "source_links": source_links,
              "colours": status_colours, "status_label": status_labels.get, "status_labels": status_labels,
              "label": lambda table, field, code: pkg.table(table).field(field).label(code)}
    pages: dict[str, str] = {}

    def render(name: str, template: str, title: str, depth: int = 0, **values) -> None:
        pages[name] = environment.get_template(template).render(title=title, up="../" * depth, **common, **values)

    names = dict(zip(frames["jurisdictions"]["jurisdiction_id"], frames["jurisdictions"]["name"]))
    statuses = status_by_year(release, date)
    maps = [("world", "World", "0 0 900 440"), ("us", "United States", "0 0 975 610")]
    today = sorted((names.get(code, code), code, status) for code, status in statuses[date].items())
    shown_on_map = set(map_codes()["us"].values())
    territories = [(r["jurisdiction_id"], r["name"]) for r in records(frames["jurisdictions"])
                   if r["parent_id"] == "US" and r["jurisdiction_id"] not in shown_on_map and r["level"] == status_level.subdivision]
    render("index.html", "index.html", "Where kratom is controlled", statuses=statuses, today=today, years=list(statuses),
           release_date=date, maps=maps, names=names, codes=map_codes(), territories=territories, today_by_code=statuses[date])
    legal = records(frames["legal_status"].sort_values(["substance", "valid_from"], na_position="first"))
    by_place: dict[str, list] = {}
    for period in legal:
        by_place.setdefault(period["jurisdiction_id"], []).append(period)
    events_by_place: dict[str, list] = {}
    for event in records(frames["legal_events"].sort_values(["date", "event_id"])):
        events_by_place.setdefault(event["jurisdiction_id"], []).append(event)
    in_force = {row["status_id"] for row in records(status_on(date, release))}
    shown = functools.partial(shown_date, codes=pkg.table("legal_events").vocabulary("date_precision"))
    for place in records(frames["jurisdictions"]):
        code = place["jurisdiction_id"]
        periods, events = by_place.get(code, []), events_by_place.get(code, [])
        cited = sorted({s for row in periods + events for s in row["source_ids"]})
        render(f"j/{page_name(code)}", "jurisdiction.html", f"{place['name']} ({code})", depth=1, place=place,
               parent=place["parent_id"], periods=periods, events=events, today=[p for p in periods if p["status_id"] in in_force],
               drawing=timeline_drawing(periods, events, date, status_colours, shown, common["label"]), release_date=date, shown_date=shown,
               sources=[sources[s] for s in cited if s in sources])
    studies, outcomes = frames["studies"], frames["study_outcomes"]
    grid = outcomes.merge(studies[["study_id", "design"]], on="study_id").pivot_table(
        index="design", columns="domain", values="study_id", aggfunc="nunique", fill_value=0, observed=True)
    sleep_code = pkg.table("study_outcomes").vocabulary("domain").sleep
    sleep = records(outcomes[outcomes["domain"] == sleep_code].merge(studies, on="study_id"))
    render("evidence.html", "evidence.html", "The evidence map", grid_columns=[str(c) for c in grid.columns],
           grid_rows=[(str(d), [int(v) for v in row]) for d, row in zip(grid.index, grid.values)], sleep=sleep, studies=records(studies))
    verdicts = colours(pkg.table("claims").field("verdict").enum, VERDICT_PALETTE)
    render("claims.html", "claims.html", "Popular claims, checked", claims=records(frames["claims"]), verdict_colours=verdicts)
    render("dictionary.html", "dictionary.html", "Data dictionary", tables=list(pkg.all_tables.values()), rules=rules)
    render("alkaloids.html", "alkaloids.html", "Alkaloids", alkaloids=records(frames["alkaloids"]))
    for name, table in pkg.tables.items():
        render(f"t/{name}.html", "table.html", f"{table.descriptor.get('title', name)}: every row", depth=1, table=table,
               rows=fact_rows(table, records(frames[name]), sources, shown), citation=pkg.citation(date),
               address=f"{pkg.publication.get('download_base', '').rstrip('/')}/site/t/{name}.html" if pkg.publication.get("download_base") else f"t/{name}.html")
    pages["assets/search-index.js"] = "var SEARCH_DOCS = " + json.dumps(search_documents(pkg, frames), ensure_ascii=False, sort_keys=True) + ";\n"
    docs = root / "docs" if (root / "docs" / "queries.md").exists() else Path(__file__).parent / "docs"  # the wheel ships a copy
    for name, title, source in (("manual.html", "Coding manual", "coding-manual.md"), ("queries.html", "Queries", "queries.md")):
        render(name, "markdown.html", title, content=_markdown(docs / source))
    report = json.loads((release / "validation-report.json").read_text(encoding="utf-8")) if (release / "validation-report.json").exists() else {"valid": True, "checks": [], "problems": []}
    layers: dict[str, list] = {}
    for check in report["checks"]:
        layers.setdefault(check["layer"], []).append(check)
    render("validation.html", "validation.html", "What this release was checked for", report=report, checks=report["checks"], layers=list(layers.items()))
    render("downloads.html", "downloads.html", "Downloads and citation", citation=pkg.citation(date), files=downloads(pkg, release, out),
           doi=pkg.publication.get("doi"))
    pages["feed.xml"] = atom_feed(pkg, root, date, records(frames["corrections"]))
    pages["style.css"] = CSS
    pages.update(_assets())

    folder = OutputFolder(out, "site")
    folder.clear(list(pages))
    written = []
    for name, text in sorted(pages.items()):
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    folder.record(written)
    return written


PRECISE_DATES = ("valid_from", "valid_to", "date", "published")  # the dates a row's date_precision describes


def fact_rows(table, rows: list[dict], sources: dict, shown) -> list[dict]:
    """Each row as a citable fact: its ID, every field shown for readers (labels, dates with their precision), its sources by title."""
    out = []
    for row in rows:
        cells = []
        for field in table.fields:
            value = row.get(field.name)
            if value is None or value == []:
                continue
            if field.type == "date":
                value = shown(value, row.get("date_precision") if field.name in PRECISE_DATES else None)
            elif field.enum:
                value = field.label(value)
            elif field.type == "list":
                value = ", ".join(value)
            cells.append((field.name, value))
        cited = row.get("source_ids") or ([row["source_id"]] if row.get("source_id") else [])
        out.append({"key": table.key(row), "cells": cells, "sources": [sources[s] for s in cited if s in sources]})
    return out


def search_documents(pkg, frames: dict) -> list[dict]:
    """What the search box finds: places, studies, claims and alkaloids, each with the page it lives on."""
    design = pkg.table("studies").field("design")
    docs = [{"id": f"j:{r['jurisdiction_id']}", "kind": "place", "title": f"{r['name']} ({r['jurisdiction_id']})", "text": r["jurisdiction_id"],
             "href": f"j/{page_name(r['jurisdiction_id'])}"} for r in records(frames["jurisdictions"])]
    titles = {r["source_id"]: r["title"] for r in records(frames["sources"])}
    docs += [{"id": f"s:{r['study_id']}", "kind": f"study, {design.label(r['design'])}", "title": titles.get(r["source_id"]) or r["study_id"],
              "text": f"{r['study_id']} {r['summary']}", "href": f"evidence.html#{r['study_id']}"} for r in records(frames["studies"])]
    docs += [{"id": f"c:{r['claim_id']}", "kind": "claim", "title": r["claim"], "text": r["rationale"], "href": f"claims.html#{r['claim_id']}"}
             for r in records(frames["claims"])]
    docs += [{"id": f"a:{r['alkaloid_id']}", "kind": "alkaloid", "title": r["name"], "text": " ".join([r["alkaloid_id"], *(r["synonyms"] or [])]),
              "href": f"alkaloids.html#{r['alkaloid_id']}"} for r in records(frames["alkaloids"])]
    return docs


def downloads(pkg, release: Path, out: Path) -> list[dict]:
    """Every release file with its size, checksum and a link (absolute where a download base is configured)."""
    import os

    base = pkg.publication.get("download_base", "")
    files = []
    for line in (release / "SHA256SUMS").read_text(encoding="utf-8").splitlines() + [f"-  SHA256SUMS"]:
        digest, name = line.split("  ", 1)
        size = (release / name).stat().st_size
        href = f"{base.rstrip('/')}/{name}" if base else os.path.relpath(release / name, out).replace(os.sep, "/")
        files.append({"name": name, "digest": digest if digest != "-" else "(the list itself)", "href": href,
                      "size": f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.1f} kB"})
    python = release.parent / "python"
    for wheel in sorted(python.glob("*.whl")) if python.is_dir() else []:
        files.append({"name": f"python/{wheel.name}", "digest": "", "href": os.path.relpath(wheel, out).replace(os.sep, "/"),
                      "size": f"{wheel.stat().st_size / 1e6:.1f} MB"})
    return files


def atom_feed(pkg, root: Path, date: str, corrections: list[dict]) -> str:
    """An Atom feed of releases and corrections, so people who quote the data learn when a fact changed."""
    from xml.etree import ElementTree as ET

    from .metadata import changelog_releases

    atom = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", atom)
    feed = ET.Element(f"{{{atom}}}feed")

    def add(parent, tag, text=None, **attributes):
        node = ET.SubElement(parent, f"{{{atom}}}{tag}", attributes)
        node.text = text
        return node

    add(feed, "title", f"{pkg.descriptor['title']}: releases and corrections")
    add(feed, "id", f"{pkg.descriptor['homepage']}/feed")
    add(feed, "updated", f"{date}T00:00:00Z")
    add(add(feed, "author"), "name", pkg.authors)
    add(feed, "link", href="feed.xml", rel="self")
    releases = changelog_releases(root) or {pkg.version: date}
    entries = [(day, f"Release {version}", f"tag:kratom-data,{day}:release/{version}", f"Version {version} of the data set, released {day}. Cite as: {pkg.citation(day) if version == pkg.version else version}")
               for version, day in releases.items()]
    entries += [(c["date"], f"Correction in {c['version']}: {c['table']} {c['id']} ({c['field']})", f"tag:kratom-data,{c['date']}:correction/{c['table']}/{c['id']}/{c['field']}",
                 f"{c['field']} changed from {c['old_value'] or '(empty)'} to {c['new_value'] or '(empty)'}. Why: {c['reason']} Source: {c['source_id']}.")
                for c in corrections]
    for day, title, identifier, summary in sorted(entries, key=lambda e: (e[0], e[2]), reverse=True):
        entry = add(feed, "entry")
        add(entry, "title", title)
        add(entry, "id", identifier)
        add(entry, "updated", f"{day}T00:00:00Z")
        add(entry, "link", href="downloads.html")
        add(entry, "summary", summary)
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def inline_markdown(text: str):
    """A description from our own descriptor, with its `code` and *emphasis* rendered (no literal backticks)."""
    import markdown
    from markupsafe import Markup

    html = markdown.markdown(str(text or ""))
    return Markup(html.removeprefix("<p>").removesuffix("</p>"))


def _markdown(source: Path) -> str:
    import markdown

    text = source.read_text(encoding="utf-8").split("\n", 1)[1]  # the page supplies its own heading
    return markdown.markdown(text, extensions=["tables", "fenced_code"])
