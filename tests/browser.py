"""Helpers for tests that open a page in a real headless Chromium.

`require_chromium()` skips the test with the reason when no Chromium is installed, except when
the environment variable CI is set: CI installs Chromium (.ci/install-chromium), so a missing
browser there is a failure, not a skip. `require_pdftotext()` does the same for poppler's
`pdftotext`, which reads a printed report back as text. PNGs are decoded with the standard
library (zlib), so no imaging library is needed to check that a screenshot is not blank.
"""

from __future__ import annotations

import os
import shutil
import struct
import tempfile
import zlib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from csckpi.render.report_pdf import chromium_command, find_chromium, run_chromium

A4_WINDOW = (1240, 1754)  # A4 at 150 dpi


def _installed(found: str | None, message: str) -> str:
    """``found``, or skip with ``message`` (a failure under CI, which installs it)."""
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI must install it (.ci/install-chromium)")
        pytest.skip(message)
    return found


def require_chromium() -> str:
    return _installed(find_chromium(), "no headless Chromium installed (apt-get install chromium)")


def require_pdftotext() -> str:
    return _installed(
        shutil.which("pdftotext"), "no pdftotext installed (apt-get install poppler-utils)"
    )


def screenshot(chromium: str, page: Path, out: Path, size: tuple[int, int] = A4_WINDOW) -> Path:
    with tempfile.TemporaryDirectory(prefix="csckpi-shot-") as profile:
        command = chromium_command(
            chromium,
            Path(profile),
            f"--screenshot={out}",
            f"--window-size={size[0]},{size[1]}",
            page.resolve().as_uri(),
        )
        result = run_chromium(command, "take a screenshot")
    assert result.returncode == 0, result.stderr[-2000:]
    assert out.exists(), f"Chromium wrote no screenshot: {result.stderr[-2000:]}"
    return out


def dump_dom(chromium: str, page: Path) -> str:
    with tempfile.TemporaryDirectory(prefix="csckpi-dom-") as profile:
        command = chromium_command(chromium, Path(profile), "--dump-dom", page.resolve().as_uri())
        result = run_chromium(command, "load the page")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "<body" in result.stdout, "Chromium printed no DOM"
    return result.stdout


# -- PNG ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Image:
    width: int
    height: int
    channels: int
    rows: list[bytes]

    def pixel(self, x: int, y: int) -> tuple[int, ...]:
        start = x * self.channels
        return tuple(self.rows[y][start : start + self.channels])

    def colours(self, step: int = 4) -> set[tuple[int, ...]]:
        """The distinct RGB colours on a grid of every ``step``-th pixel."""
        found: set[tuple[int, ...]] = set()
        c = self.channels
        for y in range(0, self.height, step):
            row = self.rows[y]
            for x in range(0, self.width, step):
                found.add(tuple(row[x * c : x * c + 3]))
        return found

    def ink_fraction(self, step: int = 4, threshold: int = 200) -> float:
        """The share of sampled pixels darker than ``threshold`` (text, lines, fills)."""
        dark = total = 0
        c = self.channels
        for y in range(0, self.height, step):
            row = self.rows[y]
            for x in range(0, self.width, step):
                r, g, b = row[x * c : x * c + 3]
                total += 1
                dark += (r + g + b) / 3 < threshold
        return dark / total if total else 0.0


def read_png(path: Path) -> Image:
    """Decode an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    pos, idat = 8, []
    width = height = channels = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0, "only 8-bit non-interlaced PNGs"
            channels = {2: 3, 6: 4}[colour]
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows: list[bytes] = []
    previous = bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = bytearray(raw[start + 1 : start + 1 + stride])
        _unfilter(kind, line, previous, channels)
        previous = bytes(line)
        rows.append(previous)
    return Image(width, height, channels, rows)


def _unfilter(kind: int, line: bytearray, prior: bytes, bpp: int) -> None:
    n = len(line)
    if kind == 0:
        return
    if kind == 1:  # Sub
        for i in range(bpp, n):
            line[i] = (line[i] + line[i - bpp]) & 0xFF
    elif kind == 2:  # Up
        line[:] = bytes((a + b) & 0xFF for a, b in zip(line, prior, strict=True))
    elif kind == 3:  # Average
        for i in range(n):
            left = line[i - bpp] if i >= bpp else 0
            line[i] = (line[i] + ((left + prior[i]) >> 1)) & 0xFF
    elif kind == 4:  # Paeth
        for i in range(n):
            a = line[i - bpp] if i >= bpp else 0
            b = prior[i]
            c = prior[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            line[i] = (line[i] + pred) & 0xFF
    else:
        raise AssertionError(f"unknown PNG filter {kind}")


# -- DOM --------------------------------------------------------------------------------------


class Dom(HTMLParser):
    """Every start tag with its attributes, and the text of <style> elements."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.styles: list[str] = []
        self._in_style = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)

    def find(self, tag: str, cls: str | None = None) -> list[dict[str, str]]:
        return [
            attrs
            for name, attrs in self.tags
            if name == tag and (cls is None or cls in attrs.get("class", "").split())
        ]
