"""`index.html` of a batch in a real headless browser (Debian's chromium and chromedriver,
driven with selenium): opened from disk, it loads without console errors, shows one row
per centre with its thumbnail, sorts by verdict and area, and filters by failing rule.

Where the browser cannot start, the test skips locally and FAILS under CI (`CI` set):
`.ci/run` installs chromium and chromium-driver, so there it must run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from planchecker.batch import run_batch

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_plans"

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
    "--window-size=1400,4000",
)


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"headless Chromium is required under CI: {reason}")
    pytest.skip(f"headless Chromium not available: {reason}")


def _find(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as exc:
        _unavailable(f"selenium is not installed ({exc})")
    binary = _find("chromium", "chromium-browser")
    driver_path = _find("chromedriver")
    if not binary or not driver_path:
        _unavailable("install Debian's chromium and chromium-driver (see .ci/run)")
    profile = tempfile.mkdtemp(prefix="planchecker-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        driver = webdriver.Chrome(options=options, service=Service(driver_path))
    except Exception as exc:  # WebDriverException, OSError ...
        shutil.rmtree(profile, ignore_errors=True)
        _unavailable(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def batch_out(tmp_path_factory):
    base = tmp_path_factory.mktemp("browser")
    d = base / "in"
    d.mkdir()
    shutil.copyfile(SAMPLES / "compliant-centre.dxf", d / "东城社区.dxf")
    shutil.copyfile(SAMPLES / "fail-hall-upstairs.dxf", d / "西城社区.dxf")
    (d / "损坏.dxf").write_bytes(b"")
    for sample, folder in (
        ("fail-small-mediation-room", "县/南湖社区"),
        ("compliant-centre-per-floor", "县/北湖 社区#1"),  # a space and a '#' in the link
    ):
        (d / folder).mkdir(parents=True)
        for f in (SAMPLES / sample).glob("*.dxf"):
            shutil.copyfile(f, d / folder / f.name)
    out = base / "out"
    result = run_batch(d, out, jobs=2, dpi=40, lang="zh")
    assert len(result.rows) == 5
    return out, result


def _rows(driver):
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, "#centres tbody tr")


def _click_header(driver, key: str) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, f'#centres th[data-sort="{key}"] button').click()


def _severe(logs) -> list[dict]:
    return [e for e in logs if e.get("level") == "SEVERE"]


def test_index_page_in_headless_chromium(browser, batch_out):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    out, result = batch_out
    browser.get_log("browser")  # drop anything from before
    browser.get((out / "index.html").as_uri())
    WebDriverWait(browser, 20).until(
        lambda d: d.execute_script(
            "return document.readyState === 'complete' && "
            "Array.from(document.images).every(i => i.complete)"
        )
    )
    assert "批量审查" in browser.title

    # one row per centre, every thumbnail loaded
    rows = _rows(browser)
    assert len(rows) == len(result.rows) == 5
    assert {r.get_attribute("data-path") for r in rows} == {r.path for r in result.rows}
    widths = browser.execute_script(
        "return Array.from(document.images).map(i => i.naturalWidth)"
    )
    assert len(widths) == 4 and all(w > 0 for w in widths)
    # the thumbnail links to the ground floor's overlay, which exists
    link = browser.find_element(By.CSS_SELECTOR, 'tr[data-path="县/北湖 社区#1"] td.thumb a')
    href = link.get_attribute("href")
    assert href.endswith("/F1.png") and "%23" in href
    assert browser.find_element(By.ID, "city-total").text == "5"

    # sort by verdict: failures first, then unreadable, then passes; again: reversed
    rank = {"fail": 0, "error": 1, "pass": 2}
    _click_header(browser, "verdict")
    verdicts = [r.get_attribute("data-verdict") for r in _rows(browser)]
    assert verdicts == sorted(verdicts, key=rank.__getitem__)
    assert verdicts[0] == "fail" and verdicts[-1] == "pass"
    header = browser.find_element(By.CSS_SELECTOR, '#centres th[data-sort="verdict"]')
    assert header.get_attribute("aria-sort") == "ascending"
    _click_header(browser, "verdict")
    verdicts = [r.get_attribute("data-verdict") for r in _rows(browser)]
    assert verdicts == sorted(verdicts, key=rank.__getitem__, reverse=True)
    assert header.get_attribute("aria-sort") == "descending"

    # sort by area: numbers in order, the unreadable centre (no area) last
    _click_header(browser, "area")
    areas = [r.get_attribute("data-area") for r in _rows(browser)]
    assert areas[-1] == ""
    assert [float(a) for a in areas[:-1]] == sorted(float(a) for a in areas[:-1])

    # filter by a failing rule
    Select(browser.find_element(By.ID, "rule-filter")).select_by_value("mediation.area")
    visible = [r.get_attribute("data-path") for r in _rows(browser) if r.is_displayed()]
    assert visible == ["县/南湖社区"]
    assert browser.find_element(By.ID, "shown").text == "显示 1 / 5 个中心"
    Select(browser.find_element(By.ID, "rule-filter")).select_by_value("")
    assert sum(r.is_displayed() for r in _rows(browser)) == 5

    assert _severe(browser.get_log("browser")) == []
