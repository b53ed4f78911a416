"""Label Studio's labeling page as an annotator sees it, in headless Chromium.

The server accepting configs/labelstudio.xml does not show that the page draws it: this
opens a task with predictions, checks that every span is drawn, that selecting a PERCENT
shows its metric as predicted and selecting a REGION hides the fact controls, and saves
a screenshot. Chromium is driven by the tests' DevTools-pipe driver (`tests/devtools.py`),
so no package beyond the standard library is needed. Used by labelstudio_roundtrip.py.
"""

from __future__ import annotations

import base64
import http.cookiejar
import json
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

# The one DevTools driver of the project lives beside the browser tests that use it too.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from devtools import Browser  # noqa: E402


class BrowserCheckFailed(Exception):
    """The page did not show what it should; the message says what."""


def login_cookies(url: str, user: str, password: str) -> dict[str, str]:
    """The session cookies of a user logged in through the login form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{url}/user/login/", timeout=60).read()
    csrf = next((c.value for c in jar if c.name == "csrftoken"), "")
    form = urllib.parse.urlencode({"email": user, "password": password,
                                   "csrfmiddlewaretoken": csrf}).encode()
    opener.open(urllib.request.Request(f"{url}/user/login/", data=form,
                                       headers={"Referer": f"{url}/user/login/"}), timeout=60)
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise BrowserCheckFailed("could not log in through the login form")
    return cookies


_SELECT = """(() => {
  const el = [...document.querySelectorAll('.htx-highlight')]
    .find(e => e.textContent.trim() === MENTION);
  if (!el) return false;
  el.scrollIntoView({block: 'center'});
  el.click();
  return true;
})()"""
_LINES = "document.body.innerText.split('\\n').map(s => s.trim())"
_CHECKED = ("[...document.querySelectorAll('input[type=radio]:checked')]"
            ".map(i => i.closest('label') ? i.closest('label').innerText.trim() : '')")


def _select_until(browser: Browser, mention: str, shown: Callable[[], bool],
                  tries: int = 3, wait: float = 10) -> bool:
    """Click the span `mention` until `shown()` holds: the page may still be settling
    (predictions turning into the draft annotation) when the spans are first drawn."""
    for _ in range(tries):
        if not browser.js(_SELECT.replace("MENTION", json.dumps(mention))):
            raise BrowserCheckFailed(f"no span {mention!r} to select")
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            time.sleep(0.5)
            if shown():
                return True
    return False


def check_labeling_page(executable: str, url: str, user: str, password: str, path: str,
                        spans: int, percent: tuple[str, str], region: str,
                        screenshot: Path, timeout: float = 90) -> list[str]:
    """Open `path` (a task's labeling page) and check it; returns what was seen, raises
    BrowserCheckFailed otherwise. `percent` is a PERCENT mention and its predicted metric."""
    cookies = login_cookies(url, user, password)
    seen: list[str] = []
    with tempfile.TemporaryDirectory(prefix="jkn-ie-chromium-") as profile:
        try:
            browser = Browser(Path(profile), 1500, 1000, executable)
        except (RuntimeError, TimeoutError, OSError) as err:
            raise BrowserCheckFailed(f"Chromium did not start: {err}") from err
        try:
            _check(browser, url, path, cookies, spans, percent, region, screenshot, timeout,
                   seen)
        except (RuntimeError, TimeoutError) as err:  # the driver's own failures
            raise BrowserCheckFailed(str(err)) from err
        finally:
            browser.close()
    return seen


def _check(browser: Browser, url: str, path: str, cookies: dict[str, str], spans: int,
           percent: tuple[str, str], region: str, screenshot: Path, timeout: float,
           seen: list[str]) -> None:
    for name, value in cookies.items():
        browser.send("Network.setCookie", name=name, value=value, url=url)
    browser.send("Page.navigate", url=url + path)
    drawn, start = 0, time.monotonic()
    while time.monotonic() - start < timeout and drawn < spans:
        time.sleep(1)
        drawn = browser.js("document.querySelectorAll('.htx-highlight').length")
    if drawn != spans:
        raise BrowserCheckFailed(f"{drawn} of {spans} spans drawn on the labeling page")
    seen.append(f"all {spans} predicted spans drawn on the labeling page")

    mention, metric = percent

    def percent_shown() -> bool:
        # a choice's label reads "activity[6]": the value, then its hotkey
        return "Metric" in browser.js(_LINES) and metric in [
            c.split("[")[0] for c in browser.js(_CHECKED)]

    if not _select_until(browser, mention, percent_shown):
        raise BrowserCheckFailed(f"selecting PERCENT {mention!r} shows no metric "
                                 f"{metric!r} (checked: {browser.js(_CHECKED)})")
    seen.append(f"selecting PERCENT {mention!r} shows its fact controls, "
                f"metric {metric!r} checked")
    shot = browser.send("Page.captureScreenshot", format="png")
    screenshot.write_bytes(base64.b64decode(shot["data"]))

    def region_shown() -> bool:
        lines = browser.js(_LINES)
        return "Metric" not in lines and any(line.startswith("Norm override")
                                             for line in lines)

    if not _select_until(browser, region, region_shown):
        raise BrowserCheckFailed(f"selecting REGION {region!r}: the fact controls "
                                 "should hide and the norm box show")
    seen.append(f"selecting REGION {region!r} hides them and shows the norm box")
