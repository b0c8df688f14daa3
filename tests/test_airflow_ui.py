"""`make ui-check`: `make airflow` checked the way a person uses it, in headless Chromium (Playwright driving
Debian's `chromium`; no browser is downloaded). The launcher runs as in tests/test_airflow_standalone.py; the
test logs in with the password the launcher printed, opens provnews_daily, presses Trigger (the run crawls
today, whatever the clock says), waits for it, and reads the run's state and note (the totals and every source
with its counts) in the UI, and the report the note links to. The browser reads times in Asia/Ho_Chi_Minh, the
schedule's zone. Screenshots land in build/ui-check/."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from airflow_launcher import SOURCES, Standalone
from playwright.sync_api import Locator, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from provnews.airflow_names import ADMIN
from provnews.run_note import AirflowApi
from provnews_tools.airflow_standalone import wait_for

pytestmark = pytest.mark.slow

SHOTS = Path(__file__).resolve().parent.parent / "build" / "ui-check"
DAG_ID = "provnews_daily"
RUN_ID = f"ui_check_{int(time.time())}"  # named, so the run page is known before the run exists
FINISHED = ("Success", "Failed")  # the run's state badge once it is over


def chromium() -> str:
    """Debian's chromium; without it, a skip on a laptop and a failure under CI (.ci/run installs it)."""
    path = shutil.which("chromium") or shutil.which("/usr/bin/chromium")
    if path:
        return path
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail("chromium is not installed but CI is set: .ci/run must `apt-get install -y chromium`")
    pytest.skip("chromium is not installed (apt-get install -y chromium); the UI check needs it")


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    """A headless Chromium tab, 1400x900; asked for before `airflow`, so a missing browser skips early."""
    binary = chromium()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=binary, headless=True)
        try:
            yield browser.new_page(viewport={"width": 1400, "height": 900}, timezone_id="Asia/Ho_Chi_Minh")
        finally:
            browser.close()


# finite CSS animations (a dialog fading in), not the spinners that run for ever
ANIMATIONS_DONE = """() => Promise.all(document.getAnimations()
    .filter(a => a.effect && a.effect.getTiming().iterations !== Infinity)
    .map(a => a.finished.catch(() => null)))"""


def shot(page: Page, name: str) -> None:
    """A full-page screenshot once the page has its data and has stopped moving."""
    with contextlib.suppress(PlaywrightTimeout):  # a page that keeps polling is still worth its picture
        page.wait_for_load_state("networkidle", timeout=5000)
    page.evaluate(ANIMATIONS_DONE)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(page: Page, airflow: Standalone, password: str) -> None:
    """The simple auth manager's login page, which any page of the UI sends a stranger to."""
    page.goto(f"{airflow.base}/dags/{DAG_ID}")
    page.get_by_label("Username").fill(ADMIN)
    page.get_by_label("Password").fill(password)
    shot(page, "1-login")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/dags/{DAG_ID}")


def trigger(page: Page) -> None:
    """Trigger -> a single run, logical date as the dialog proposes (now), our run id -> Trigger."""
    page.get_by_test_id("trigger-dag-button").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Advanced Options").click()
    dialog.get_by_label("Run ID").fill(RUN_ID)
    # SQLite lets one writer in: a trigger landing while the scheduler writes can answer 500 "Database error"
    # (a toast; the dialog stays open), and a user would simply press the button again
    for _ in range(5):
        dialog.get_by_role("button", name="Trigger", exact=True).click()
        try:
            page.wait_for_url(f"**/dags/{DAG_ID}/runs/{RUN_ID}", timeout=20_000)
            return
        except PlaywrightTimeout:
            shot(page, "trigger-retry")
    raise AssertionError(f"the Trigger button did not start {RUN_ID}: see {SHOTS / 'trigger-retry.png'}")


def run_state(page: Page, timeout: float) -> str:
    """The run page's state badge once the run is over (the page reloaded every few seconds meanwhile)."""
    badge = page.get_by_test_id("header-card").get_by_test_id("state-badge")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = badge.inner_text().strip()
        if state in FINISHED:
            return state
        page.wait_for_timeout(3000)
        page.reload()
    raise AssertionError(f"{RUN_ID} still '{badge.inner_text()}' after {timeout:.0f} s")


def check_note(note: Locator) -> list[str]:
    """The totals, and every source with its counts; returns the links the note holds."""
    text = note.inner_text()
    assert f"{len(SOURCES)} ok, 0 warning, 0 failed of {len(SOURCES)} sources" in text, text
    for source in SOURCES:
        line = next((x for x in text.splitlines() if x.strip().startswith(f"{source}:")), "")
        assert re.search(r"\d+ new · \d+ updated · \d+ unchanged · \d+ pages fetched", line), (source, text)
    return [h for h in note.locator("a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))") if h]


def check_report(page: Page, href: str, n: int) -> None:
    """What the note links to lists every source."""
    url = urljoin(page.url, href)
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
    shot(page, f"5-report-{n}" if n else "5-report")
    text = page.locator("body").inner_text()
    missing = [s for s in SOURCES if s not in text]
    assert not missing, f"{url} does not list {missing}"
    assert page.locator("img").count() > 0, f"{url} shows no plot"


def test_trigger_the_daily_dag_in_the_browser_and_read_the_run_note(page: Page, airflow: Standalone) -> None:
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    try:
        password = wait_for("the launcher to print the admin password", airflow.printed_password, 120, airflow.log)
        api = wait_for("the api-server", lambda: AirflowApi.login(airflow.base, ADMIN, password), 180, airflow.log)
        wait_for(f"{DAG_ID} to be parsed", lambda: api.call("GET", f"dags/{DAG_ID}"), 120, airflow.log)

        log_in(page, airflow, password)
        page.get_by_test_id("trigger-dag-button").wait_for()
        shot(page, "2-dag")
        trigger(page)
        state = run_state(page, 300)
        shot(page, "3-run")

        page.get_by_role("button", name="Edit note").click()  # opens the note as rendered Markdown
        note = page.get_by_role("dialog")
        note.get_by_text("full report").wait_for()
        shot(page, "4-run-note")
        text = note.inner_text()
        links = check_note(note)
        assert any("/provnews/reports/" in h for h in links), f"no link to the report in the note: {links}"
        for n, href in enumerate(links):
            check_report(page, href, n)
        assert state == "Success", f"{RUN_ID} is {state}; its note:\n{text}"
    except Exception:
        shot(page, "failure")
        raise
    finally:
        print(f"\nUI check screenshots: {SHOTS}")
