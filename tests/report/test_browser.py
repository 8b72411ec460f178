"""The HTML report in a real browser: headless Chromium (Debian's chromium and
chromedriver) opens the file offline; injected script must not run, claims must show, and
evidence must expand. One browser serves the whole module.

Without the browser the tests skip, unless SYNTH_REQUIRE_BROWSER=1 (CI), where they fail.
With SYNTH_SCREENSHOT=path the screenshot of the synthesis page is also written there.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from report.samples import SCRIPT, sample_report

from synth.core.types import Report, ReportKind
from synth.report.render import render_html

if TYPE_CHECKING:
    from selenium.webdriver.chrome.webdriver import WebDriver

# Read at import: the autouse fixture of conftest.py clears every SYNTH_* variable per test.
REQUIRE_BROWSER = os.environ.get("SYNTH_REQUIRE_BROWSER") == "1"
SCREENSHOT = os.environ.get("SYNTH_SCREENSHOT")
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARGUMENTS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    "--window-size=1280,1600",
)  # fmt: skip


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        reason = (
            f"{' and '.join(missing)} not found: install them with "
            "`apt-get install chromium chromium-driver` (or `make browser`)"
        )
        if REQUIRE_BROWSER:
            pytest.fail(f"SYNTH_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ARGUMENTS:
        options.add_argument(argument)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver path and browser binary: selenium-manager never downloads anything.
    browser = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield browser
    finally:
        browser.quit()


def _open(driver: WebDriver, report: Report, folder: Path) -> list[dict[str, object]]:
    """Write the report's HTML to ``folder``, open it, and return the console entries."""
    page = folder / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(page.as_uri())
    entries: list[dict[str, object]] = driver.get_log("browser")
    return entries


@pytest.fixture(scope="module")
def hostile(driver: WebDriver, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The audit with script and Markdown injection in its text, opened; with its console."""
    report = sample_report(hostile=True)
    entries = _open(driver, report, tmp_path_factory.mktemp("hostile"))
    return {"report": report, "console": entries}


def test_no_console_errors(hostile: dict[str, object]) -> None:
    console = hostile["console"]
    assert isinstance(console, list)
    assert [e for e in console if e.get("level") == "SEVERE"] == []


def test_injected_script_does_not_run(driver: WebDriver, hostile: dict[str, object]) -> None:
    from selenium.webdriver.common.by import By

    assert driver.execute_script("return typeof window.__pwned") == "undefined"
    text = driver.find_element(By.TAG_NAME, "body").text
    assert SCRIPT in text  # shown as literal text
    assert "[x](javascript:alert(1))" in text
    links = [a.get_attribute("href") or "" for a in driver.find_elements(By.TAG_NAME, "a")]
    assert links and all(link.startswith("https://") for link in links)


def test_claims_and_chart_are_displayed(driver: WebDriver, hostile: dict[str, object]) -> None:
    from selenium.webdriver.common.by import By

    report = hostile["report"]
    assert isinstance(report, Report)
    claims = driver.find_elements(By.CSS_SELECTOR, ".claim")
    assert len(claims) == len(report.claims)
    assert all(c.is_displayed() for c in claims)
    badge = claims[1].find_element(By.CSS_SELECTOR, ".badge")
    assert badge.text == "REFUTED"
    assert badge.value_of_css_property("background-color") == "rgba(207, 34, 46, 1)"
    chart = driver.find_element(By.ID, "summary-chart")
    assert chart.is_displayed() and chart.size["width"] > 300
    assert len(chart.find_elements(By.CSS_SELECTOR, "rect")) == 6  # 3 labels + 3 agreement
    assert driver.find_element(By.ID, "problems").is_displayed()


def test_summary_expands_evidence(driver: WebDriver, hostile: dict[str, object]) -> None:
    from selenium.webdriver.common.by import By

    claim = driver.find_elements(By.CSS_SELECTOR, ".claim")[0]
    mark = claim.find_element(By.TAG_NAME, "mark")
    assert not mark.is_displayed()
    claim.find_element(By.TAG_NAME, "summary").click()
    assert mark.is_displayed()
    assert mark.text.startswith("we improve XLM-R Large by 5.4 points")
    assert claim.find_element(By.CSS_SELECTOR, "details").get_attribute("open") is not None


def test_screenshot(driver: WebDriver, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    entries = _open(driver, sample_report(kind=ReportKind.SYNTHESIS), tmp_path)
    assert [e for e in entries if e.get("level") == "SEVERE"] == []
    driver.find_elements(By.CSS_SELECTOR, ".claim summary")[0].click()
    png = driver.get_screenshot_as_png()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and 20_000 < len(png) < 20_000_000
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
    assert width >= 800 and height >= 600
    (tmp_path / "report.png").write_bytes(png)
    if SCREENSHOT:
        Path(SCREENSHOT).write_bytes(png)
