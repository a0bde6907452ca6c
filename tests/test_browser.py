"""A real browser (Debian's chromium, driven by Playwright) against a real hdcat server.

Screenshots are kept in test-artifacts/browser/ as test artefacts.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from live_server import serving

from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.store import EmbeddedStore

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "browser"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser")
    catalog = Catalog(Settings(data_dir=root), EmbeddedStore(root / "store"))
    report = catalog.initialize(demo=True)
    assert report is not None and report.ok
    with serving(catalog) as base:
        yield base
    catalog.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, site: str) -> Iterator[object]:
    context = browser.new_context(base_url=site, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


def shot(pg, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_browse_search_cite_switch_language_and_query(page) -> None:
    pg = page
    # Home: numbers, charts, search box.
    pg.goto("/")
    assert pg.locator("html").get_attribute("lang") == "zh-CN"
    assert pg.locator("svg[role=img]").count() >= 3
    assert "70" in pg.locator("main").inner_text()
    shot(pg, "01-home")

    # Search in Chinese from the home page.
    pg.fill("#hd-home-q", "糖尿病")
    pg.keyboard.press("Enter")
    pg.wait_for_url("**/search?**")
    titles = pg.locator(".hd-hit-title a").all_inner_texts()
    assert titles and all("糖尿病" in t or "diabetes" in t.lower() for t in titles[:3]), titles
    shot(pg, "02-search-zh")

    # Search in English.
    pg.fill("#hd-q", "influenza")
    pg.keyboard.press("Enter")
    pg.wait_for_url("**q=influenza**")
    hits_en = pg.locator(".hd-hit").count()
    assert hits_en >= 1

    # Apply a facet: the first value of the domain facet narrows the results.
    pg.goto("/search")
    total_before = pg.locator(".hd-hit").count()
    facet = pg.locator("a.hd-fv[href*='domain=']").first
    label = facet.locator(".hd-fv-label").inner_text()
    count = int(facet.locator(".hd-count").inner_text().replace(",", ""))
    facet.click()
    pg.wait_for_url("**domain=**")
    selected = pg.locator("a.hd-fv.hd-selected[href*='search']", has_text=label)
    assert selected.count() >= 1
    assert 0 < pg.locator(".hd-hit").count() <= min(count, 20) <= total_before
    shot(pg, "03-facet")

    # Open a dataset with a lineage: the de-identified diabetes dataset.
    pg.goto("/search?q=" + "糖尿病并发症")
    pg.locator(".hd-hit-title a").first.click()
    pg.wait_for_url("**/dataset/**")
    assert "糖尿病" in pg.locator("h1").inner_text()
    lineage = pg.locator(".lineage-box svg")
    assert lineage.count() == 1 and lineage.locator("a").count() >= 2
    citation = pg.locator("#cite-gbt7714").inner_text()
    assert "[DS/OL]" in citation and "CSTR:" in citation
    assert pg.locator("a[href^='https://cstr.cn/']").count() >= 1
    shot(pg, "04-dataset")

    # Follow the lineage picture upstream: its first link opens another dataset page.
    href = lineage.locator("a").first.get_attribute("href")
    assert href and "/dataset/" in href

    # Switch the language; it is remembered on the next page.
    pg.locator("a.lang-switch").click()
    pg.wait_for_load_state()
    assert pg.locator("html").get_attribute("lang") == "en"
    assert "Diabetes" in pg.locator("h1").inner_text()
    pg.goto("/")
    assert pg.locator("html").get_attribute("lang") == "en"
    shot(pg, "05-home-en")

    # Run a query from the SPARQL page.
    pg.goto("/sparql/ui")
    pg.fill("#sq-query", (
        "PREFIX dcat: <http://www.w3.org/ns/dcat#>\n"
        "SELECT (COUNT(DISTINCT ?ds) AS ?n) WHERE { ?ds a dcat:Dataset }"
    ))
    pg.locator("#sq-form button[type=submit]").click()
    pg.wait_for_selector(".sq-table")
    assert "70" in pg.locator(".sq-table").inner_text()
    shot(pg, "06-sparql")


def test_keyboard_reaches_the_search_box_and_no_page_errors(page) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent || ''")
    assert focused.strip(), "the first Tab stop (skip link) has no text"
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "hd-home-q":
            break
    else:
        pytest.fail("the search box cannot be reached with the keyboard")
    assert errors == []
