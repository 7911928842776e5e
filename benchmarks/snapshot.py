"""Save every user-facing output of the shipped example, to check a refactor changes nothing.

    python benchmarks/snapshot.py OUT_DIR        # write the outputs
    diff -r BEFORE_DIR AFTER_DIR                 # compare two runs

Each command runs as a user runs it (the installed `csckpi`, piped, 120 columns, no colour),
against a fresh store of `examples/darlington-2020-21-q3.xlsx`, with SOURCE_DATE_EPOCH fixed
so the report's date is stable; the temporary folder's name and the ingest's clock time are
masked. XLSX reports are saved as their cell values (zip timestamps
vary); every other output byte for byte.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "darlington-2020-21-q3.xlsx"
PERIODS = {"dec-20": "Dec-20", "q3": "Q3 2020/21", "ytd": "2020/21 YTD"}
TABLE_FORMATS = ("text", "csv", "tsv", "json", "markdown")
CODES = ("CSC038", "CSC036", "CSC181", "CSC201", "CSC200", "CSC022")
CLOCK = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?( UTC|Z|[+-]\d{2}:?\d{2})?")


def _masked(text: str, tmp: str) -> str:
    # Markdown escapes an underscore in the folder's name
    text = text.replace(tmp, "<tmp>").replace(tmp.replace("_", "\\_"), "<tmp>")
    return CLOCK.sub("<time>", text)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    # The csckpi of the Python running this script (its venv), not whichever is on PATH.
    beside = Path(sys.executable).parent / "csckpi"
    exe = str(beside) if beside.exists() else shutil.which("csckpi") or "csckpi"
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(
            os.environ,
            CSCKPI_STORE=str(Path(tmp) / "csckpi.db"),
            COLUMNS="120",
            NO_COLOR="1",
            TERM="dumb",
            SOURCE_DATE_EPOCH="1609459200",
        )

        def run(name: str, *args: str) -> None:
            done = subprocess.run([exe, *args], env=env, capture_output=True, text=True, cwd=tmp)
            text, err = _masked(done.stdout, tmp), _masked(done.stderr, tmp)
            (out / name).write_text(f"{text}\n--- stderr (exit {done.returncode})\n{err}")

        run("ingest.txt", "ingest", str(EXAMPLE))
        for slug, period in PERIODS.items():
            for fmt in TABLE_FORMATS:
                run(f"compute-{slug}.{fmt}", "compute", "--period", period, "--format", fmt)
            for code in CODES:
                for fmt in TABLE_FORMATS:
                    run(
                        f"compare-{code}-{slug}.{fmt}",
                        *("compare", "-i", code, "--period", period, "--format", fmt),
                    )
            for fmt in ("text", "markdown", "json"):
                run(f"narrate-{slug}.{fmt}", "narrate", "--period", period, "--format", fmt)
                run(
                    f"narrate-summary-{slug}.{fmt}",
                    *("narrate", "--period", period, "--summary", "--format", fmt),
                )
        for suffix in ("html", "md", "xlsx"):
            target = Path(tmp) / f"report.{suffix}"
            run(f"report-{suffix}.log", "report", "--period", "Q3 2020/21", "-o", str(target))
            if suffix == "xlsx":
                (out / "report.xlsx.txt").write_text(_masked(_xlsx_text(target), tmp))
            else:
                (out / f"report.{suffix}").write_text(_masked(target.read_text(), tmp))
        for svg in sorted(Path(tmp).glob("**/*.svg")):
            shutil.copy(svg, out / svg.name)
        run("history-csc038.txt", "history", "CSC038")
        run("indicators.txt", "indicators")


def _xlsx_text(path: Path) -> str:
    from openpyxl import load_workbook

    book = load_workbook(path)
    lines = []
    for sheet in book.worksheets:
        lines.append(f"## {sheet.title}")
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    lines.append(f"{cell.coordinate}\t{cell.value!r}\t{cell.number_format}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main(Path(sys.argv[1]))
