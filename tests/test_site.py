"""The site in a real browser (headless Debian Chromium driven by Playwright): maps, links, no errors."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO

from kratom_data.schema import Package
from kratom_data.site import NOT_RESEARCHED, build_site, page_name

BOUNDARIES = REPO / "src" / "kratom_data" / "boundaries"


def boundary_codes(kind: str) -> set[str]:
    """The jurisdictions the shipped boundaries can show, read straight from the boundary files."""
    import pycountry

    if kind == "world":
        topology = json.loads((BOUNDARIES / "countries-110m.json").read_text())
        found = (pycountry.countries.get(numeric=g.get("id", "")) for g in topology["objects"]["countries"]["geometries"])
        return {country.alpha_2 for country in found if country}
    topology = json.loads((BOUNDARIES / "states-albers-10m.json").read_text())
    by_name = {s.name: s.code for s in pycountry.subdivisions.get(country_code="US")}
    return {by_name[g["properties"]["name"]] for g in topology["objects"]["states"]["geometries"] if g["properties"]["name"] in by_name}

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = REPO / "tests" / "screenshots"


@pytest.fixture(scope="module")
def site(tmp_path_factory, release_dir):
    out = tmp_path_factory.mktemp("site")
    build_site(REPO, out, release_dir)
    return out


def colour_of(site, status: str) -> str:
    """The colour the legend gives a status: read from the page, not from the code under test."""
    legend = re.findall(r'<span style="background:(#[0-9a-f]{6})"></span>([a-z ]+)', (site / "index.html").read_text())
    return {name.strip(): colour for colour, name in legend}[status.replace("_", " ")]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs it")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.errors = []
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    page.close()


def shoot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=False)


def test_maps_draw_one_coloured_shape_per_jurisdiction(site, page, release_dir):
    import kratom_data

    page.goto((site / "index.html").as_uri())
    release_date = json.loads((release_dir / "datapackage.json").read_text())["created"]
    on_release_day = kratom_data.status_on(release_date)
    plant = on_release_day[on_release_day["substance"] == "kratom"]
    today = dict(zip(plant["jurisdiction_id"], plant["status"].astype(str)))
    for kind in ("world", "us"):
        expected = boundary_codes(kind)
        shapes = page.locator(f"#map-{kind} path[data-id]")
        ids = [shapes.nth(i).get_attribute("data-id") for i in range(shapes.count())]
        assert sorted(ids) == sorted(expected) and len(ids) == len(set(ids))
        fills = page.eval_on_selector_all(f"#map-{kind} path[data-id]", "ps => ps.map(p => [p.dataset.id, p.getAttribute('fill')])")
        assert all(fill == colour_of(site, today.get(code, NOT_RESEARCHED)) for code, fill in fills)
    assert len(ids) == 51  # 50 states and DC
    title = page.locator('#map-world path[data-id="TH"] title').text_content()
    assert title == "Thailand: " + today["TH"].replace("_", " ")  # the tooltip gives the status
    shoot(page, "index")
    assert page.errors == []


def test_year_slider_shows_thailand_before_and_after_2022(site, page):
    page.goto((site / "index.html").as_uri())
    thailand = page.locator('#map-world path[data-id="TH"]')
    assert thailand.get_attribute("fill") == colour_of(site, "regulated")
    page.locator("#year").fill(str(2020 - 2010))
    assert page.locator("#year-label").text_content() == "1 January 2020"
    assert thailand.get_attribute("fill") == colour_of(site, "controlled")
    shoot(page, "index-2020")
    assert page.errors == []


def test_shape_links_to_its_jurisdiction_timeline(site, page):
    page.goto((site / "index.html").as_uri())
    page.locator('#map-us a:has(path[data-id="US-WI"])').click()
    assert page.url.endswith("/j/US-WI.html")
    assert "Wisconsin" in page.locator("h1").text_content()
    assert page.locator("table tr").count() >= 2 and "controlled" in page.locator("table").first.text_content()
    shoot(page, "jurisdiction-US-WI")
    assert page.errors == []


LOCALITY = next(row["jurisdiction_id"] for row in __import__("csv").DictReader(open(REPO / "data" / "jurisdictions.csv", encoding="utf-8")) if row["level"] == "locality")


@pytest.mark.parametrize("name", ["evidence.html", "claims.html", "dictionary.html", "manual.html", "queries.html", "validation.html", "downloads.html", f"j/{page_name(LOCALITY)}"])
def test_pages_load_without_errors(site, page, name):
    page.goto((site / name).as_uri())
    assert page.locator("h1").count() == 1
    shoot(page, name.replace("/", "_").removesuffix(".html"))
    assert page.errors == []


def test_jurisdiction_page_opens_with_today_then_a_drawn_timeline(site, page):
    import kratom_data

    page.goto((site / "j" / "US-AL.html").as_uri())
    today = page.locator("#today").text_content()
    alabama = kratom_data.load("legal_status").query("jurisdiction_id == 'US-AL' and substance == 'kratom'")
    assert "controlled" in today and "since 2016" in today
    bars, marks = page.locator("#timeline rect.period"), page.locator("#timeline circle.event")
    assert bars.count() == alabama["valid_from"].notna().sum() + alabama["attested_from"].notna().sum()
    events = kratom_data.load("legal_events").query("jurisdiction_id == 'US-AL'")
    assert marks.count() == len(events) > 0
    sources = page.locator("ol.sources li")
    assert sources.count() > 0 and sources.first.locator("a").count() == 1  # by title, linked, not by slug
    shoot(page, "jurisdiction-US-AL")
    assert page.errors == []


def test_dates_show_their_precision(site):
    import kratom_data

    events = kratom_data.load("legal_events")
    year_only = events[events["date_precision"] == "year"].iloc[0]
    text = (site / "j" / page_name(year_only["jurisdiction_id"])).read_text()
    row = text[text.index(f'id="{year_only["event_id"]}">') + len(f'id="{year_only["event_id"]}">'):]
    row = row[: row.index("</tr>")]
    assert f"<td>{year_only['date'].year}</td>" in row and year_only["date"].strftime("%Y-%m-%d") not in row


def test_us_page_lists_the_2016_dea_notice_and_its_withdrawal(site):
    text = (site / "j" / "US.html").read_text()
    assert "notice of intent" in text and "notice withdrawn" in text
    assert text.index("2016-08-31") < text.index("2016-10-13")


def test_every_relative_link_resolves(site):
    broken = []
    for path in site.rglob("*.html"):
        for href in re.findall(r'href="([^"#]+)[^"]*"', path.read_text()):
            if not href.startswith(("http://", "https://")) and not (path.parent / href).resolve().exists():
                broken.append(f"{path.relative_to(site)} -> {href}")
    assert broken == []


def test_evidence_page_lists_every_sleep_study(site):
    import kratom_data

    outcomes = kratom_data.load("study_outcomes")
    text = (site / "evidence.html").read_text()
    sleep_table = text[text.index('id="sleep"'):]
    for study in set(outcomes.loc[outcomes.domain == "sleep", "study_id"]):
        assert f'href="#{study}"' in sleep_table


def test_two_site_builds_are_byte_identical(site, release_dir):
    def tree(folder):
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    before = tree(site)
    build_site(REPO, site, release_dir)  # rebuilding replaces only the site's own files, with the same bytes
    assert tree(site) == before


def test_text_is_escaped(release_dir, tmp_path):
    """Markup in a cell is shown as text, never run: the templates escape everything."""
    build_site(REPO, tmp_path / "site", release_dir)
    for path in (tmp_path / "site").rglob("*.html"):
        assert "<script>alert" not in path.read_text()


def test_validation_page_lists_every_check(site, release_dir):
    report = json.loads((release_dir / "validation-report.json").read_text())
    text = (site / "validation.html").read_text()
    assert f"({len(report['checks'])} checks; no problems)" in text
    assert text.count("<tr>") == len(report["checks"]) + len({c["layer"] for c in report["checks"]})


def test_feed_lists_every_release_and_correction(site):
    from xml.etree import ElementTree as ET

    import kratom_data
    from kratom_data.metadata import changelog_releases

    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(site / "feed.xml").getroot()
    titles = [entry.find(f"{atom}title").text for entry in feed.iter(f"{atom}entry")]
    assert {f"Release {v}" for v in changelog_releases(REPO)} <= set(titles)
    corrections = kratom_data.load("corrections")
    assert sum(t.startswith("Correction in ") for t in titles) == len(corrections) > 0
    ids = [entry.find(f"{atom}id").text for entry in feed.iter(f"{atom}entry")]
    assert len(ids) == len(set(ids))


def test_downloads_page_links_every_release_file_with_size_and_checksum(site, release_dir):
    text = (site / "downloads.html").read_text()
    listed = [line.split("  ", 1) for line in (release_dir / "SHA256SUMS").read_text().splitlines()]
    for digest, name in listed:
        assert f'>{name}</a>' in text and digest in text
    headings = " ".join(re.findall(r"<h3>(.*?)</h3>", text))
    for snippet in ("pandas", "DuckDB", "Polars", "R (arrow)", "Datasette"):
        assert snippet in headings


def test_site_needs_no_network_resources(site):
    for path in site.rglob("*.html"):
        assert not re.search(r'<(script|link|img)[^>]+(src|href)="https?://', path.read_text()), path


def test_readers_see_labels_not_codes(site):
    """Codes with underscores never show as visible text; their labels come from the descriptor's categories."""
    from html.parser import HTMLParser

    class Visible(HTMLParser):
        def __init__(self):
            super().__init__()
            self.text, self.skip = [], 0

        def handle_starttag(self, tag, attrs):
            self.skip += tag in ("script", "style", "code")

        def handle_endtag(self, tag):
            self.skip -= tag in ("script", "style", "code")

        def handle_data(self, data):
            if not self.skip:
                self.text.append(data)

    package = Package.read(REPO / "datapackage.json")
    shown = {("legal_status", "status"), ("claims", "verdict"), ("claims", "certainty"), ("studies", "design"), ("study_outcomes", "domain"),
             ("study_outcomes", "finding"), ("legal_events", "event_type")}
    codes = {code for table, field in shown for code in package.table(table).field(field).enum if "_" in code}
    for page in ("index.html", "claims.html", "evidence.html", "j/US.html", "j/TH.html"):
        parser = Visible()
        parser.feed((site / page).read_text())
        words = set(re.findall(r"[a-z0-9_]+", " ".join(parser.text)))
        assert words & codes == set(), page
    assert "partly supported" in (site / "claims.html").read_text()


AXE = REPO / "tests" / "vendor" / "axe.min.js"
PAGE_TYPES = ["index.html", "evidence.html", "claims.html", "alkaloids.html", "t/receptor_activity.html", "dictionary.html", "manual.html", "queries.html", "validation.html", "downloads.html", "j/US.html", "j/TH.html"]


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_no_serious_accessibility_violations(site, page, name):
    """axe-core (vendored, run offline in Chromium): no serious or critical violation on any page type."""
    page.goto((site / name).as_uri())
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [f"{v['id']} ({v['impact']}): {v['help']} - {len(v['nodes'])} node(s)" for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


@pytest.mark.parametrize("width", [390, 1400])
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_pages_fit_narrow_and_wide_screens(site, browser, name, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((site / name).as_uri())
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if width == 1400 and name == "evidence.html":
        grid = page.evaluate("(() => { const d = document.getElementById('evidence-grid').parentElement; return d.scrollWidth - d.clientWidth; })()")
        assert grid <= 0, "the evidence map hides columns at 1400 px"
    page.close()
    assert overflow <= 0


def test_search_finds_a_known_jurisdiction_and_a_known_study(site, page):
    import kratom_data

    page.goto((site / "claims.html").as_uri())
    page.locator("#search").fill("Thailand")
    first = page.locator("#search-results a").first
    assert first.text_content() == "Thailand (TH)" and first.get_attribute("href") == "j/TH.html"
    studies, sources = kratom_data.load("studies"), kratom_data.load("sources").set_index("source_id")
    study = studies[studies["design"] == "randomized_controlled_trial"].iloc[0]
    title = sources.loc[study["source_id"], "title"]
    page.locator("#search").fill(" ".join(title.split()[:6]))
    hrefs = [a.get_attribute("href") for a in page.locator("#search-results a").all()]
    assert f"evidence.html#{study['study_id']}" in hrefs
    shoot(page, "search")
    assert page.errors == []


def test_markdown_in_descriptions_renders(site):
    text = (site / "dictionary.html").read_text()
    body = text[text.index("<main>"):]
    assert "<code>" in body and "`" not in body


@pytest.mark.parametrize("name", list(Package.read(REPO / "datapackage.json").tables))
def test_every_row_of_every_table_has_a_citable_address(site, page, name):
    import kratom_data

    package = Package.read(REPO / "datapackage.json")
    table = package.table(name)
    frame = kratom_data.load(name)
    key = table.key({column: str(frame.iloc[0][column]) for column in table.primary_key})
    page.goto((site / "t" / f"{name}.html").as_uri() + f"#{key}")
    fact = page.locator(f'article[id="{key}"]')
    assert page.locator("article.fact").count() == len(frame)
    cite = fact.locator(".cite").text_content()
    assert package.version in cite and key in cite and f"t/{name}.html#{key}" in cite
    if "verification" in table.field_names:
        assert "verification" in fact.locator("dl").text_content()
    assert page.errors == []


def test_us_map_has_its_legend_and_a_territories_inset(site, page):
    page.goto((site / "index.html").as_uri())
    assert page.locator("#legend-us span").count() == page.locator("p.legend").first.locator("span").count()
    inset = [a.get_attribute("href") for a in page.locator("#territories a").all()]
    assert {"j/PR.html", "j/GU.html", "j/VI.html", "j/AS.html", "j/MP.html"} <= set(inset)
    swatch = page.locator('#territories .swatch[data-id="PR"]')
    assert swatch.get_attribute("title")  # painted with the status label
    assert page.errors == []
