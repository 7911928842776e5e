"""The report as PDF: the HTML printed on A4 by a headless Chromium.

Chromium lays out the same HTML a browser shows, so the PDF and the HTML never drift apart.
When no Chromium is installed the error says how to install one, or to write HTML instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from csckpi.errors import OutputError
from csckpi.render.report_html import render_html

if TYPE_CHECKING:
    from csckpi.report import Report

Progress = Callable[[int, int], None]

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 120  # seconds: a 30-page report prints in a few


def find_chromium() -> str | None:
    """The headless browser to use: $CSCKPI_CHROMIUM, else the first Chromium on PATH."""
    chosen = os.environ.get("CSCKPI_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).is_file() or shutil.which(chosen) else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


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


def no_chromium() -> OutputError:
    return OutputError(
        "Writing PDF needs a headless Chromium, and none was found "
        "(looked for chromium, chromium-browser, google-chrome; or set CSCKPI_CHROMIUM).",
        "Install it (Debian/Ubuntu: apt-get install chromium), "
        "or write HTML instead (-o report.html) and print it from a browser.",
    )


def write_pdf(report: Report, path: Path, on_chart: Progress | None = None) -> None:
    chromium = find_chromium()
    if chromium is None:
        raise no_chromium()
    html = render_html(report, on_chart)
    with tempfile.TemporaryDirectory(prefix="csckpi-pdf-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        out = Path(tmp) / "report.pdf"
        command = chromium_command(
            chromium,
            Path(tmp) / "profile",
            "--no-pdf-header-footer",
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
