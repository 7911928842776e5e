"""The report as PDF: the HTML printed on A4 by a headless Chromium (Chrome, Edge or
Chromium: each is one).

Chromium lays out the same HTML a browser shows, so the PDF and the HTML never drift apart.
The browser is the one given (`--browser PATH`, or $CSCKPI_BROWSER), else the first found on
PATH, else the first at the usual install places of Windows, macOS and Linux (Chrome and Edge
where councils have them). With none, the error says where it looked and how to give one.
The PDF has bookmarks from the report's headings (the contents, each section).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from csckpi.errors import OutputError
from csckpi.render.report_html import render_html

if TYPE_CHECKING:
    from csckpi.report import Report

Progress = Callable[[int, int], None]

#: Program names looked for on PATH, in this order.
CANDIDATES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "msedge",
    "microsoft-edge",
    "microsoft-edge-stable",
)
#: Where Chrome, Edge and Chromium install themselves, by platform (``sys.platform``'s start):
#: a folder named by an environment variable (Windows), or a path (``~`` is the home folder).
INSTALLED: dict[str, tuple[str, ...]] = {
    "win": (
        r"%PROGRAMFILES%\Google\Chrome\Application\chrome.exe",
        r"%PROGRAMFILES(X86)%\Google\Chrome\Application\chrome.exe",
        r"%LOCALAPPDATA%\Google\Chrome\Application\chrome.exe",
        r"%PROGRAMFILES(X86)%\Microsoft\Edge\Application\msedge.exe",
        r"%PROGRAMFILES%\Microsoft\Edge\Application\msedge.exe",
        r"%LOCALAPPDATA%\Chromium\Application\chrome.exe",
    ),
    "darwin": (
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
        "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
        "/Applications/Chromium.app/Contents/MacOS/Chromium",
        "~/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
        "~/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    ),
    "linux": (
        "/usr/bin/chromium",
        "/usr/bin/google-chrome",
        "/opt/google/chrome/chrome",
        "/opt/microsoft/msedge/msedge",
        "/snap/bin/chromium",
    ),
}
#: The environment variable naming the browser (CSCKPI_CHROMIUM, its earlier name, too).
BROWSER_VARIABLES = ("CSCKPI_BROWSER", "CSCKPI_CHROMIUM")
TIMEOUT = 120  # seconds: a 30-page report prints in a few


def installed_places(
    platform: str | None = None, environ: Mapping[str, str] | None = None
) -> list[str]:
    """The usual install paths of Chrome, Edge and Chromium on ``platform``, with Windows'
    folder variables filled in (a place whose variable is not set is left out)."""
    platform = sys.platform if platform is None else platform
    environ = os.environ if environ is None else environ
    key = next((k for k in INSTALLED if platform.startswith(k)), "linux")
    places = []
    for place in INSTALLED[key]:
        if place.startswith("%"):
            name, _, rest = place[1:].partition("%")
            if not environ.get(name):
                continue
            place = environ[name] + rest
        elif place.startswith("~"):
            place = str(Path(environ.get("HOME", "~")) / place[2:])
        places.append(place)
    return places


def _runnable(program: str) -> str | None:
    """``program`` as a path to run: a file there, or a name on PATH."""
    if Path(program).is_file():
        return program
    return shutil.which(program)


def find_chromium(given: str | None = None) -> str | None:
    """The headless browser to use: ``given`` (`--browser`), else $CSCKPI_BROWSER (or
    $CSCKPI_CHROMIUM), else the first of CANDIDATES on PATH, else the first installed at the
    usual place; None when there is none (or the one given is not there)."""
    chosen = given or next((os.environ[v] for v in BROWSER_VARIABLES if os.environ.get(v)), "")
    if chosen:
        return _runnable(os.path.expandvars(os.path.expanduser(chosen)))
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return next((place for place in installed_places() if Path(place).is_file()), None)


def chromium_command(chromium: str, profile: Path, *args: str) -> list[str]:
    """A headless, offline, throwaway-profile Chromium command line."""
    return [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *args,
    ]


def run_chromium(command: list[str], what: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise OutputError(
            f"Chromium took longer than {TIMEOUT} s to {what}.",
            "Try again, or write HTML instead (-o report.html).",
        ) from None
    except OSError as exc:
        raise OutputError(f"Chromium could not be started ({exc}).") from None


def no_chromium(given: str | None = None) -> OutputError:
    """What to do when no browser prints the PDF: the one given is not there, or none is."""
    chosen = given or next((os.environ[v] for v in BROWSER_VARIABLES if os.environ.get(v)), "")
    if chosen:
        return OutputError(
            f"Writing PDF needs Chrome, Edge or Chromium, and {chosen} is not one here "
            "(no such file, and no such program on PATH).",
            "Give the browser's full path with --browser PATH (or CSCKPI_BROWSER), e.g. "
            f"{_example()}, or write HTML instead (-o report.html) and print it from a browser.",
        )
    return OutputError(
        "Writing PDF needs Chrome, Edge or Chromium, and none was found (looked on PATH for "
        "chromium, google-chrome, chrome, msedge, and where Chrome and Edge are installed).",
        f"Give one with --browser PATH (or CSCKPI_BROWSER), e.g. {_example()}; install one "
        "(Debian/Ubuntu: apt-get install chromium); or write HTML instead (-o report.html) "
        "and print it from a browser.",
    )


def _example() -> str:
    """A browser path as this platform writes it (Windows' Edge, macOS' Chrome, Linux's)."""
    if sys.platform.startswith("win"):
        return r'"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe"'
    if sys.platform == "darwin":
        return '"/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"'
    return "/usr/bin/chromium"


def write_pdf(
    report: Report, path: Path, on_chart: Progress | None = None, browser: str | None = None
) -> None:
    """Print the report's HTML to ``path`` with ``browser`` (found as find_chromium says),
    with bookmarks from its headings."""
    chromium = find_chromium(browser)
    if chromium is None:
        raise no_chromium(browser)
    html = render_html(report, on_chart)
    with tempfile.TemporaryDirectory(prefix="csckpi-pdf-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        out = Path(tmp) / "report.pdf"
        command = chromium_command(
            chromium,
            Path(tmp) / "profile",
            "--no-pdf-header-footer",
            "--generate-pdf-document-outline",
            f"--print-to-pdf={out}",
            page.as_uri(),
        )
        result = run_chromium(command, "print the PDF")
        if result.returncode != 0 or not out.exists() or out.read_bytes()[:5] != b"%PDF-":
            detail = (result.stderr or "").strip().splitlines()[-1:] or ["no output"]
            raise OutputError(
                f"Chromium could not print the PDF (exit {result.returncode}: {detail[0]}).",
                "Write HTML instead (-o report.html) and print it from a browser.",
            )
        shutil.move(str(out), path)
