"""The site in a real browser (headless Debian Chromium driven by Playwright): maps, links, no errors."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO

from kratom_data.site import COLOURS, build_site, map_shapes, page_name, status_by_year

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = REPO / "tests" / "screenshots"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    build_site(REPO, out)
    return out


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


def test_maps_draw_one_coloured_shape_per_jurisdiction(site, page):
    import kratom_data

    page.goto((site / "index.html").as_uri())
    today = status_by_year(kratom_data.load("legal_status"), dt.date.today())["today"]
    for kind in ("world", "us"):
        expected = {code for code, _, _ in map_shapes(kind)}
        shapes = page.locator(f"#map-{kind} path[data-id]")
        ids = [shapes.nth(i).get_attribute("data-id") for i in range(shapes.count())]
        assert sorted(ids) == sorted(expected) and len(ids) == len(set(ids))
        fills = page.eval_on_selector_all(f"#map-{kind} path[data-id]", "ps => ps.map(p => [p.dataset.id, p.getAttribute('fill')])")
        assert all(fill == COLOURS[today.get(code, "unknown")] for code, fill in fills)
    assert len(ids) == 51  # 50 states and DC
    shoot(page, "index")
    assert page.errors == []


def test_year_slider_shows_thailand_before_and_after_2022(site, page):
    page.goto((site / "index.html").as_uri())
    thailand = page.locator('#map-world path[data-id="TH"]')
    assert thailand.get_attribute("fill") == COLOURS["regulated"]
    page.locator("#year").fill(str(2020 - 2010))
    assert page.locator("#year-label").text_content() == "1 January 2020"
    assert thailand.get_attribute("fill") == COLOURS["controlled"]
    shoot(page, "index-2020")
    assert page.errors == []


def test_shape_links_to_its_jurisdiction_timeline(site, page):
    page.goto((site / "index.html").as_uri())
    page.locator('#map-us a:has(path[data-id="US-WI"])').click()
    assert page.url.endswith("/j/US-WI.html")
    assert "Wisconsin" in page.locator("h1").text_content()
    assert page.locator("table tr").count() >= 2 and "controlled" in page.locator("table").text_content()
    shoot(page, "jurisdiction-US-WI")
    assert page.errors == []


@pytest.mark.parametrize("name", ["evidence.html", "claims.html", "dictionary.html", "manual.html", "queries.html", "downloads.html", f"j/{page_name('US-FL:sarasota-county')}"])
def test_pages_load_without_errors(site, page, name):
    page.goto((site / name).as_uri())
    assert page.locator("h1").count() == 1
    shoot(page, name.replace("/", "_").removesuffix(".html"))
    assert page.errors == []


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


def test_site_needs_no_network_resources(site):
    for path in site.rglob("*.html"):
        assert not re.search(r'<(script|link|img)[^>]+(src|href)="https?://', path.read_text()), path
