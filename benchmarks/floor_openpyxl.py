"""The floor for `csckpi ingest`: a bare openpyxl read-only pass over every cell of a workbook.

What any reader of the workbook must pay at least: start Python, import openpyxl, open the
file read-only and visit every cell of every sheet, reading its value (and number format,
which a reader needs to see percent-formatted fractions). Nothing is validated or kept.

    python benchmarks/floor_openpyxl.py WORKBOOK.xlsx
"""

from __future__ import annotations

import sys

import openpyxl


def main(path: str) -> int:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    cells = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    cell.number_format  # noqa: B018  (touched, as a reader does)
                    cells += 1
    wb.close()
    return cells


if __name__ == "__main__":
    n = main(sys.argv[1])
    if "-v" in sys.argv:
        print(f"{n} cells")
