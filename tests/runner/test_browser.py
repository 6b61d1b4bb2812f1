"""The shared files as a reader sees them: headless Chromium opens the index and every report.

Checks no console errors, every local link resolves, every image renders, nothing is loaded
from the network, and untrusted text in parameters and results never runs as script.
Needs Debian's ``chromium`` and ``chromium-driver`` and the ``selenium`` package; without
them the test is skipped locally and FAILS under CI=true.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from analysis.runner import runfile, schedule

FIXTURES = Path(__file__).parent.parent / "fixtures" / "notebooks"
HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1600",
)


def _missing_browser(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser test cannot run under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver")
    if not chromium or not chromedriver:
        _missing_browser("needs Debian packages chromium and chromium-driver (apt-get install)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _missing_browser("needs the selenium package (pip install selenium)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))
    browser.set_page_load_timeout(30)
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture(scope="module")
def report_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small published run: a good report with hostile text, a plain one, a failure."""
    folder = tmp_path_factory.mktemp("browser-run")
    for name in ("ok.ipynb", "fails.ipynb"):
        shutil.copy(FIXTURES / name, folder / name)
    (folder / "run.yml").write_text(
        "jobs:\n"
        "  - notebook: ok.ipynb\n"
        "    name: hostile\n"
        "    parameters:\n"
        f"      label: '{HOSTILE}'\n"
        f"      note: '{HOSTILE}'\n"
        "      acled_note: {accessed_on: '2025-03-04', filters: '" + HOSTILE + "'}\n"
        "  - notebook: ok.ipynb\n"
        "  - notebook: fails.ipynb\n",
        encoding="utf-8",
    )
    out = folder / "reports"
    jobs = runfile.load_run_file(folder / "run.yml")
    results = schedule.run_jobs(jobs, out, workers=2, progress=False)
    assert {r.name: r.status for r in results} == {"hostile": "ok", "ok": "ok", "fails": "failed"}
    return out


def _check_page(browser: object, page: Path, screenshot: Path) -> list[Path]:
    """Open one page, assert it is sound, return the local pages it links to."""
    browser.get(page.as_uri())
    assert browser.execute_script("return document.readyState") == "complete"
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == [], f"{page.name}: console errors {errors}"
    images = browser.execute_script(
        "return Array.from(document.images)"
        ".map(i => [i.src.slice(0, 80), i.complete, i.naturalWidth])"
    )
    broken = [src for src, complete, width in images if not complete or width == 0]
    assert broken == [], f"{page.name}: images that do not render {broken}"
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(r => r.name)"
    )
    remote = [r for r in resources if not r.startswith(("file:", "data:"))]
    assert remote == [], f"{page.name}: loads from the network {remote}"
    assert browser.execute_script("return window.__pwned === undefined"), page.name
    hrefs = browser.execute_script(
        "return Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))"
    )
    linked: list[Path] = []
    for href in hrefs:
        if href.startswith("#"):
            target = unquote(href[1:])
            found = browser.execute_script(
                "return document.getElementById(arguments[0]) !== null", target
            )
            assert found, f"{page.name}: anchor {href} has no target"
            continue
        url = urlparse(href)
        if url.scheme in ("http", "https", "mailto"):
            continue  # cited sources; not fetched offline
        assert url.scheme in ("", "file"), f"{page.name}: odd link {href}"
        target = (page.parent / unquote(url.path)).resolve()
        assert target.is_file(), f"{page.name}: broken link {href}"
        linked.append(target)
    assert browser.save_screenshot(str(screenshot))
    assert screenshot.stat().st_size > 5_000
    return linked


def test_index_and_every_report_render_cleanly(driver: object, report_run: Path) -> None:
    linked = _check_page(driver, report_run / "index.html", report_run / "index.png")
    pages = sorted({p for p in linked if p.suffix == ".html"})
    names = {p.name for p in pages}
    assert {"hostile.html", "ok.html", "fails.html"} <= names
    for page in pages:
        _check_page(driver, page, page.with_suffix(".png"))
    # The hostile text is visible as text, not markup, on the index and in its report.
    driver.get((report_run / "index.html").as_uri())
    assert "<script>window.__pwned=1</script>" in driver.find_element("tag name", "body").text
    driver.get((report_run / "hostile" / "hostile.html").as_uri())
    footer = driver.find_element("id", "acled-attribution").text
    assert "2025-03-04" in footer and "window.__pwned" in footer


def test_front_page_answers_first_and_cards_show_no_raw_keys(
    driver: object, report_run: Path
) -> None:
    driver.get((report_run / "index.html").as_uri())
    answers = driver.find_element("id", "answers")
    gallery = driver.find_element("id", "reports")
    assert answers.location["y"] < gallery.location["y"]  # the answers come first
    text = answers.text
    for number in ("1.", "2.", "3."):
        assert f"{number} " in text
    assert "Did strikes fall" in text and "diplomatic calendar" in text and "alignment" in text
    assert "Fixture finding for default: the line rises." in text
    assert "Fixture finding for <script>window.__pwned=1</script>" in text  # as text
    cards = driver.find_element("id", "reports").text
    for raw in ("n_points", "executable", "transport", "finding_question", "key_numbers"):
        assert raw not in cards, f"the gallery shows the raw key {raw}"
    assert "points drawn (default)" in cards and "20 points" in cards
    alts = driver.execute_script("return Array.from(document.images).map(i => i.alt)")
    assert alts and all(alt.strip() for alt in alts)


def test_report_opens_with_its_finding_and_figures_have_alt_text(
    driver: object, report_run: Path
) -> None:
    driver.get((report_run / "ok" / "ok.html").as_uri())
    finding = driver.find_element("id", "report-finding")
    assert "Fixture finding for default: the line rises." in finding.text
    assert "points drawn (default)" in finding.text and "20 points" in finding.text
    first_figure = driver.find_element("css selector", ".jp-RenderedImage img")
    assert finding.location["y"] < first_figure.location["y"]
    alts = driver.execute_script("return Array.from(document.images).map(i => i.alt)")
    assert alts and all(alt.startswith("Figure.") for alt in alts)
    driver.get((report_run / "hostile" / "hostile.html").as_uri())
    hostile = driver.find_element("id", "report-finding").text
    assert "<script>window.__pwned=1</script>" in hostile
    assert driver.execute_script("return window.__pwned === undefined")
