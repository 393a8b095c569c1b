"""A static site generated from the data and the schemas: maps, timelines, the evidence map.

Plain HTML, one stylesheet and a few lines of inline script: it works opened from disk and
fetches nothing at view time (boundaries ship in `kratom_data/boundaries`).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import shutil
from pathlib import Path

import pandas as pd

from .build import read_arrow
from .dictionary import rules
from .loader import typed_frame
from .schema import Package

BOUNDARIES = Path(__file__).parent / "boundaries"
COLOURS = {
    "controlled": "#b2182b",
    "restricted": "#ef8a62",
    "regulated": "#67a9cf",
    "no_specific_control": "#1a9850",
    "unknown": "#d9d9d9",
}
FIRST_YEAR = 2010
CSS = """
body{font-family:system-ui,sans-serif;margin:0;color:#222;line-height:1.45}
header{background:#1f3b4d;color:#fff;padding:.6rem 1rem}header a{color:#fff;margin-right:1rem;text-decoration:none}
main{max-width:1100px;margin:1rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.3rem .4rem;text-align:left;vertical-align:top}th{background:#f0f3f5}
svg{width:100%;height:auto;background:#f7fbff;border:1px solid #ccc}svg path{stroke:#fff;stroke-width:.4}
svg a:hover path{stroke:#000;stroke-width:1}.legend span{display:inline-block;width:1em;height:1em;margin:0 .3em 0 1em;vertical-align:middle}
.badge{padding:.1rem .4rem;border-radius:.3rem;color:#fff;font-size:.8rem}footer{font-size:.8rem;color:#555;margin:2rem 1rem}
code{background:#f0f3f5;padding:0 .2rem}.scroll{overflow-x:auto}
"""


def build_site(root: Path, out: Path, release: Path | None = None) -> list[Path]:
    """Write the site into `out` from the package rooted at `root`; `release` adds checksummed downloads."""
    package = Package.read(root / "datapackage.json")
    frames = {name: typed_frame(package.table(name), read_arrow(package, package.table(name))) for name in package.tables}
    if out.exists():
        shutil.rmtree(out)
    (out / "j").mkdir(parents=True)
    pages = Pages(package, frames, out)
    (out / "style.css").write_text(CSS, encoding="utf-8")
    pages.index()
    pages.jurisdictions()
    pages.evidence()
    pages.claims()
    pages.dictionary()
    pages.markdown_page("manual.html", "Coding manual", root / "docs" / "coding-manual.md")
    pages.markdown_page("queries.html", "Queries", root / "docs" / "queries.md")
    pages.downloads(release)
    return sorted(p for p in out.rglob("*") if p.is_file())


def page_name(jurisdiction_id: str) -> str:
    """A file name safe in a relative URL (':' would read as a scheme)."""
    return jurisdiction_id.replace(":", "--") + ".html"


def e(value) -> str:
    if value is None or (not isinstance(value, (list, str)) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return html.escape(str(value))


# --- maps --------------------------------------------------------------------------------------

def _arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs, delta-decoded and de-quantised."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _rings(geometry: dict, arcs) -> list[list[tuple[float, float]]]:
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    rings = []
    for polygon in polygons:
        for ring in polygon:
            points = []
            for index in ring:
                arc = arcs[index] if index >= 0 else arcs[~index][::-1]
                points.extend(arc if not points else arc[1:])
            rings.append(points)
    return rings


def _path(rings, project, max_jump: float = 450) -> str:
    """SVG path data; a jump wider than `max_jump` (a ring crossing the antimeridian) starts a new subpath."""
    parts = []
    for ring in rings:
        points = [project(p) for p in ring]
        segment = [f"M{points[0][0]:.1f},{points[0][1]:.1f}"]
        for (x0, _), (x, y) in zip(points, points[1:]):
            segment.append(f"{'M' if abs(x - x0) > max_jump else 'L'}{x:.1f},{y:.1f}")
        parts.append("".join(segment) + "Z")
    return "".join(parts)


def map_shapes(kind: str) -> list[tuple[str, str, str]]:
    """(jurisdiction_id, name, SVG path) for every shape of the world or US map."""
    import pycountry

    if kind == "world":
        topology = json.loads((BOUNDARIES / "countries-110m.json").read_text())
        geometries, project = topology["objects"]["countries"]["geometries"], lambda p: ((p[0] + 180) * 2.5, (90 - p[1]) * 2.5)
        code = lambda g: getattr(pycountry.countries.get(numeric=g.get("id", "")), "alpha_2", None)  # noqa: E731
    else:
        topology = json.loads((BOUNDARIES / "states-albers-10m.json").read_text())
        geometries, project = topology["objects"]["states"]["geometries"], lambda p: p
        names = {s.name: s.code for s in pycountry.subdivisions.get(country_code="US")}
        code = lambda g: names.get(g["properties"]["name"])  # noqa: E731
    arcs = _arcs(topology)
    shapes = []
    for geometry in geometries:
        jurisdiction = code(geometry)
        if jurisdiction and geometry.get("arcs"):
            shapes.append((jurisdiction, geometry["properties"]["name"], _path(_rings(geometry, arcs), project)))
    return shapes


def status_by_year(legal: pd.DataFrame, today: dt.date) -> dict[str, dict[str, str]]:
    """For each year (1 January) and today: the status of the plant in every jurisdiction with a row."""
    plant = legal[legal["substance"] == "kratom"]
    dates = {str(year): pd.Timestamp(year, 1, 1) for year in range(FIRST_YEAR, today.year + 1)}
    dates["today"] = pd.Timestamp(today)
    out = {}
    for label, day in dates.items():
        started = plant["valid_from"].isna() | (plant["valid_from"] <= day)
        open_ = plant["valid_to"].isna() | (plant["valid_to"] > day)
        out[label] = dict(zip(plant.loc[started & open_, "jurisdiction_id"], plant.loc[started & open_, "status"].astype(str)))
    return out


def _study_links(ids: list[str]) -> str:
    return " ".join(f'<a href="evidence.html#{e(s)}">{e(s)}</a>' for s in ids)


class Pages:
    def __init__(self, package: Package, frames: dict[str, pd.DataFrame], out: Path):
        self.package, self.frames, self.out = package, frames, out
        self.sources = frames["sources"].set_index("source_id")

    def write(self, name: str, title: str, body: str, depth: int = 0) -> None:
        up = "../" * depth
        nav = "".join(f'<a href="{up}{href}">{label}</a>' for href, label in (
            ("index.html", "Maps"), ("evidence.html", "Evidence"), ("claims.html", "Claims"), ("dictionary.html", "Data dictionary"),
            ("manual.html", "Coding manual"), ("queries.html", "Queries"), ("downloads.html", "Downloads & citation")))
        document = (
            f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{e(title)} - kratom-data</title>'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><link rel="stylesheet" href="{up}style.css"></head>'
            f"<body><header>{nav}</header><main><h1>{e(title)}</h1>{body}</main>"
            f"<footer>kratom-data {e(self.package.version)} · data CC BY 4.0 · not legal or medical advice · "
            "boundaries: Natural Earth and U.S. Census Bureau (public domain) via world-atlas/us-atlas</footer></body></html>\n"
        )
        (self.out / name).write_text(document, encoding="utf-8")

    def source_links(self, ids: list[str], depth: int = 0) -> str:
        links = []
        for source_id in ids:
            row = self.sources.loc[source_id] if source_id in self.sources.index else None
            url = e(row["url"]) if row is not None else ""
            title = e(row["title"]) if row is not None else e(source_id)
            links.append(f'<a href="{url}" title="{title}">{e(source_id)}</a>' if url else e(source_id))
        return "; ".join(links)

    def index(self) -> None:
        legal, names = self.frames["legal_status"], dict(zip(self.frames["jurisdictions"]["jurisdiction_id"], self.frames["jurisdictions"]["name"]))
        statuses = status_by_year(legal, dt.date.today())
        today = statuses["today"]
        maps = []
        for kind, view in (("world", "0 0 900 440"), ("us", "0 0 975 610")):
            paths = "".join(
                f'<a href="j/{page_name(code)}"><path data-id="{code}" fill="{COLOURS[today.get(code, "unknown")]}" d="{d}">'
                f"<title>{e(names.get(code, name))}</title></path></a>"
                for code, name, d in map_shapes(kind)
            )
            maps.append(f'<h2>{"World" if kind == "world" else "United States"}</h2><svg id="map-{kind}" viewBox="{view}" role="img">{paths}</svg>')
        legend = "".join(f'<span style="background:{c}"></span>{s.replace("_", " ")}' for s, c in COLOURS.items())
        years = [k for k in statuses if k != "today"]
        body = (
            "<p>Legal status of the kratom plant and its products on a chosen date. Click a place for its history, "
            "instruments and sources. Grey: not researched yet or no period recorded for that date.</p>"
            f'<p><label>Date: <input id="year" type="range" min="0" max="{len(years)}" value="{len(years)}"></label> '
            f'<strong id="year-label">today</strong></p><p class="legend">{legend}</p>{"".join(maps)}'
            f"<script>const STATUS={json.dumps(statuses, sort_keys=True)};const COLOURS={json.dumps(COLOURS)};"
            f"const YEARS={json.dumps(years + ['today'])};"
            "document.getElementById('year').addEventListener('input',function(){const key=YEARS[this.value];"
            "document.getElementById('year-label').textContent=key==='today'?'today':'1 January '+key;"
            "document.querySelectorAll('path[data-id]').forEach(function(p){p.setAttribute('fill',COLOURS[STATUS[key][p.dataset.id]||'unknown']);});});"
            "</script>"
        )
        self.write("index.html", "Where kratom is controlled", body)

    def jurisdictions(self) -> None:
        legal = self.frames["legal_status"]
        for row in self.frames["jurisdictions"].itertuples():
            periods = legal[legal["jurisdiction_id"] == row.jurisdiction_id].sort_values(["substance", "valid_from"], na_position="first")
            parent = f'<p>Part of <a href="{page_name(row.parent_id)}">{e(row.parent_id)}</a>.</p>' if isinstance(row.parent_id, str) else ""
            if periods.empty:
                body = parent + "<p><strong>Not yet researched.</strong> No period is recorded; this is not a finding that kratom is legal here.</p>"
            else:
                cells = "".join(
                    f'<tr id="{e(p.status_id)}"><td>{e(p.substance)}</td><td><span class="badge" style="background:{COLOURS[str(p.status)]}">{e(p.status)}</span></td>'
                    f"<td>{e(p.valid_from) or 'unknown'}</td><td>{e(p.valid_to) or 'in force'}</td><td>{e(p.instrument)}</td><td>{e(p.citation)}</td>"
                    f"<td>{e(p.event)}</td><td>{e(p.verification)}</td><td>{self.source_links(p.source_ids, 1)}</td><td>{e(p.notes)}</td></tr>"
                    for p in periods.itertuples()
                )
                body = parent + (
                    "<table><tr><th>substance</th><th>status</th><th>from</th><th>to</th><th>instrument</th><th>citation</th>"
                    f"<th>event</th><th>verification</th><th>sources</th><th>notes</th></tr>{cells}</table>"
                )
            self.write(f"j/{page_name(row.jurisdiction_id)}", f"{row.name} ({row.jurisdiction_id})", body, depth=1)

    def evidence(self) -> None:
        studies, outcomes = self.frames["studies"], self.frames["study_outcomes"]
        grid = outcomes.merge(studies[["study_id", "design"]], on="study_id").pivot_table(
            index="design", columns="domain", values="study_id", aggfunc="nunique", fill_value=0, observed=True)
        head = "".join(f"<th>{e(c)}</th>" for c in grid.columns)
        rows = "".join(f"<tr><th>{e(d)}</th>" + "".join(f"<td>{v or ''}</td>" for v in r) + "</tr>" for d, r in zip(grid.index, grid.values))
        sleep = outcomes[outcomes["domain"] == "sleep"].merge(studies, on="study_id")
        sleep_rows = "".join(
            f'<tr><td><a href="#{e(s.study_id)}">{e(s.study_id)}</a></td><td>{e(s.design)}</td><td>{e(s.n_participants)}</td>'
            f"<td>{e(s.finding)}</td><td>{e(s.measure)}</td><td>{e(s.detail)}</td></tr>"
            for s in sleep.itertuples()
        )
        all_rows = "".join(
            f'<tr id="{e(s.study_id)}"><td>{self.source_links([s.source_id])}</td><td>{e(s.design)}</td><td>{"yes" if s.human else "no"}</td>'
            f"<td>{e(s.country_id)}</td><td>{e(s.n_participants)}</td><td>{e(s.summary)}</td><td>{e(s.verification)}</td></tr>"
            for s in studies.itertuples()
        )
        body = (
            f"<h2>Studies by design and outcome domain</h2><div class=\"scroll\"><table id=\"evidence-grid\"><tr><th>design</th>{head}</tr>{rows}</table></div>"
            f"<h2>Studies reporting anything about sleep</h2><table id=\"sleep\"><tr><th>study</th><th>design</th><th>N</th><th>finding</th><th>measure</th><th>detail</th></tr>{sleep_rows}</table>"
            f"<h2>All studies ({len(studies)})</h2><table><tr><th>study</th><th>design</th><th>human</th><th>country</th><th>N</th><th>summary</th><th>verification</th></tr>{all_rows}</table>"
        )
        self.write("evidence.html", "The evidence map", body)

    def claims(self) -> None:
        colours = {"supported": "#1a9850", "partly_supported": "#91cf60", "insufficient_evidence": "#999", "not_supported": "#ef8a62", "contradicted": "#b2182b"}
        rows = "".join(
            f'<tr id="{e(c.claim_id)}"><td>{e(c.claim)}</td><td><span class="badge" style="background:{colours[str(c.verdict)]}">{e(c.verdict)}</span></td>'
            f"<td>{e(c.rationale)}</td><td>{_study_links(c.study_ids)}</td><td>{e(c.as_of)}</td></tr>"
            for c in self.frames["claims"].itertuples()
        )
        self.write("claims.html", "Popular claims, checked", f"<table><tr><th>claim</th><th>verdict</th><th>why</th><th>studies</th><th>as of</th></tr>{rows}</table>")

    def dictionary(self) -> None:
        parts = []
        for table in self.package.tables.values():
            fields = "".join(f"<tr><td><code>{e(f.name)}</code></td><td>{e(f.type)}</td><td>{e(f.description)}</td><td>{e(rules(f))}</td></tr>" for f in table.fields)
            parts.append(f'<h2 id="{table.name}">{table.name}</h2><p>{e(table.description)} Primary key: <code>{", ".join(table.primary_key)}</code>.</p>'
                         f"<table><tr><th>field</th><th>type</th><th>description</th><th>rules</th></tr>{fields}</table>")
        self.write("dictionary.html", "Data dictionary", "<p>Generated from <code>datapackage.json</code>.</p>" + "".join(parts))

    def markdown_page(self, name: str, title: str, source: Path) -> None:
        import markdown

        text = source.read_text(encoding="utf-8").split("\n", 1)[1]  # the page supplies its own heading
        self.write(name, title, markdown.markdown(text, extensions=["tables", "fenced_code"]))

    def downloads(self, release: Path | None) -> None:
        version = self.package.version
        rows = ""
        if release and (release / "SHA256SUMS").exists():
            for line in (release / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
                digest, file = line.split("  ", 1)
                rows += f"<tr><td>{e(file)}</td><td><code>{digest}</code></td></tr>"
        table = f"<table><tr><th>file</th><th>sha256</th></tr>{rows}</table>" if rows else "<p>Build the release (<code>make release</code>) to list its files and checksums here.</p>"
        body = (
            f"<h2>How to cite</h2><p>kratom-data contributors. <em>kratom-data</em>, version {e(version)} [data set]. CC BY 4.0. "
            "Cite a single fact by its row ID together with the release version and its primary source.</p>"
            f"<h2>Files of release {e(version)}</h2>{table}"
        )
        self.write("downloads.html", "Downloads and citation", body)
