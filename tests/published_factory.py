"""Made-up published statistics for 152 councils, in the layouts csckpi imports.

Every council has counts for each year; the published cells are what the Department would
print: percentages to one decimal place, counts of 1 to 5 (and the percentages made from
them) suppressed as ``c``, and the National and Regional rows computed from the councils'
true counts (so a suppressed council still counts in its region and in England). The tests
compute what the import should give from the same counts, with plain Python: nothing here
calls csckpi.

Darlington (841, E06000005, North East) is real; the other 151 councils are made up.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from pathlib import Path

HEADER = [
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
    "category",
    "referral_count",
    "rereferral_count",
    "rereferral_percent",
    "assessment_count",
    "assessment_timely_percent",
    "cla_rate_per_10000",
]
REGIONS = [
    ("E12000001", "North East"),
    ("E12000002", "North West"),
    ("E12000003", "Yorkshire and The Humber"),
    ("E12000004", "East Midlands"),
    ("E12000005", "West Midlands"),
    ("E12000006", "East of England"),
    ("E12000007", "London"),
    ("E12000008", "South East"),
    ("E12000009", "South West"),
]
YEARS = (2019, 2020)  # reporting years: the years ending 31 March 2019 and 2020


@dataclass(frozen=True)
class Council:
    old: str
    new: str
    name: str
    region_code: str
    region_name: str


def _councils() -> list[Council]:
    out = [Council("841", "E06000005", "Darlington", *REGIONS[0])]
    for i in range(1, 152):
        code, name = REGIONS[1 + i % 8] if i >= 12 else REGIONS[0]  # 12 in the North East
        old = f"{100 + i * 4:03d}"
        out.append(Council(old, f"E0{6000100 + i}", f"Council {old}", code, name))
    return out


COUNCILS = _councils()
DARLINGTON = COUNCILS[0]
BY_OLD = {c.old: c for c in COUNCILS}


def neighbours_of(council: Council) -> list[str]:
    """Ten other councils, the same every run."""
    others = [c.old for c in COUNCILS if c.old != council.old]
    return random.Random(council.old).sample(others, 10)


@dataclass
class Counts:
    referrals: int
    rereferrals: int
    assessments: int
    timely: int
    children: int  # in care at 31 March
    population: int  # aged 0-17


@dataclass
class Published:
    """The file's rows: cell texts by (year, old code) and the true counts behind them."""

    counts: dict[tuple[int, str], Counts] = field(default_factory=dict)
    cells: dict[tuple[int, str], dict[str, str]] = field(default_factory=dict)
    national: dict[int, dict[str, str]] = field(default_factory=dict)
    regional: dict[tuple[int, str], dict[str, str]] = field(default_factory=dict)

    def value(self, year: int, old: str, column: str) -> float | None:
        """A council's published figure, None where the cell holds a code."""
        text = self.cells[(year, old)][column]
        try:
            return float(text)
        except ValueError:
            return None


def _pct(part: int, whole: int) -> str:
    return f"{round(part / whole * 100, 1):.1f}" if whole else "z"


def _rate(children: int, population: int) -> str:
    return f"{round(children / population * 10000, 1):.1f}"


def _cells(c: Counts) -> dict[str, str]:
    def count(n: int) -> str:
        return "c" if 1 <= n <= 5 else str(n)

    suppressed = 1 <= c.rereferrals <= 5
    return {
        "referral_count": count(c.referrals),
        "rereferral_count": count(c.rereferrals),
        "rereferral_percent": "c" if suppressed else _pct(c.rereferrals, c.referrals),
        "assessment_count": count(c.assessments),
        "assessment_timely_percent": _pct(c.timely, c.assessments),
        "cla_rate_per_10000": _rate(c.children, c.population),
    }


def _sum(counts: list[Counts]) -> Counts:
    return Counts(*(sum(getattr(c, f) for c in counts) for f in Counts.__dataclass_fields__))


def make(
    seed: int = 2020, overrides: dict[tuple[int, str], dict[str, str]] | None = None
) -> Published:
    """Counts for every council and year; ``overrides`` replace published cells after."""
    rng = random.Random(seed)
    out = Published()
    for year in YEARS:
        for council in COUNCILS:
            referrals = rng.randint(300, 6000)
            small = rng.random() < 0.05  # a few councils with a handful of re-referrals
            rereferrals = rng.randint(1, 5) if small else int(referrals * rng.uniform(0.1, 0.3))
            assessments = rng.randint(250, 5500)
            population = rng.randint(20000, 250000)
            counts = Counts(
                referrals,
                rereferrals,
                assessments,
                int(assessments * rng.uniform(0.7, 0.99)),
                int(population * rng.uniform(0.004, 0.016)),
                population,
            )
            out.counts[(year, council.old)] = counts
            out.cells[(year, council.old)] = _cells(counts)
        out.national[year] = _cells(_sum([out.counts[(year, c.old)] for c in COUNCILS]))
        for code, _name in REGIONS:
            members = [out.counts[(year, c.old)] for c in COUNCILS if c.region_code == code]
            out.regional[(year, code)] = _cells(_sum(members))
    for key, cells in (overrides or {}).items():
        out.cells[key] = out.cells[key] | cells
    return out


def rows(
    published: Published, *, time: str = "reporting", national: bool = True
) -> list[list[str]]:
    """The file's rows (no header), National first, as the Department orders them."""

    def period(year: int) -> tuple[str, str]:
        if time == "reporting":
            return str(year), "Reporting year"
        return f"{year - 1}{year % 100:02d}", "Financial year"

    out = []
    for year in YEARS:
        tp, ti = period(year)
        geo = [tp, ti]
        measures = [published.national[year][h] for h in HEADER[11:]]
        if national:
            out.append(
                [
                    *geo,
                    "National",
                    "E92000001",
                    "England",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "Referrals and Re-referrals",
                    *measures,
                ]
            )
        for code, name in REGIONS:
            cells = published.regional[(year, code)]
            out.append(
                [
                    *geo,
                    "Regional",
                    "E92000001",
                    "England",
                    code,
                    name,
                    "",
                    "",
                    "",
                    "Referrals and Re-referrals",
                    *(cells[h] for h in HEADER[11:]),
                ]
            )
        for c in COUNCILS:
            cells = published.cells[(year, c.old)]
            out.append(
                [
                    *geo,
                    "Local authority",
                    "E92000001",
                    "England",
                    c.region_code,
                    c.region_name,
                    c.old,
                    c.new,
                    c.name,
                    "Referrals and Re-referrals",
                    *(cells[h] for h in HEADER[11:]),
                ]
            )
    return out


def write_csv(path: Path, header: list[str], body: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(body)
    return path


def write_dfe(
    folder: Path, published: Published, name: str = "c1_referrals.csv", **kw: object
) -> Path:
    return write_csv(folder / name, HEADER, rows(published, **kw))  # type: ignore[arg-type]


def write_neighbours(folder: Path, name: str = "sn_april_2021.csv") -> Path:
    """Every council's ten neighbours in the Department's April 2021 layout (with its
    repeated SNP closeness columns and the trailing comma)."""
    header = ["LA num", "LA Name", "LA number", "GOInd", "GOReg"]
    for i in range(1, 11):
        header += [f"SN{i}", "SNP"]
    lines = [",".join(header) + ","]
    for c in COUNCILS:
        cells = [c.old, c.name, c.old, "4", c.region_name]
        for old in neighbours_of(c):
            cells += [old, "Very Close"]
        lines.append(",".join(cells) + ",")
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_map(folder: Path, body: str, name: str = "map.toml") -> Path:
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


MAP = """\
[release]
name = "Characteristics of children in need 2020"

[council]
new_la_code = "E06000005"

[neighbours]
file = "sn_april_2021.csv"
version = "April 2021"

[[indicator]]
code = "CSC 032"
column = "rereferral_percent"
where = { category = "Referrals and Re-referrals" }
polarity = "down"

[[indicator]]
code = "CSC 038"
column = "assessment_timely_percent"
polarity = "up"

[[indicator]]
code = "CSC 200"
column = "cla_rate_per_10000"
snapshot = true
"""


def lait_rows(published: Published, column: str) -> tuple[list[str], list[list[str]]]:
    """The benchmarking tool's "All Geographies" download of one measure: councils in
    alphabetical order, then the regions and England; NA where it has no figure."""
    years = [str(y) for y in YEARS]
    header = ["LA Number", "LA and Regions", *years, "Change from previous year", "Rank"]

    def na(text: str) -> str:
        try:
            float(text)
        except ValueError:
            return "NA"
        return text

    body = []
    for c in sorted(COUNCILS, key=lambda c: c.name):
        cells = [na(published.cells[(y, c.old)][column]) for y in YEARS]
        body.append([c.old, c.name, *cells, "NA", "NA"])
    for code, name in REGIONS:
        body.append(
            [code, name, *(na(published.regional[(y, code)][column]) for y in YEARS), "NA", ""]
        )
    body.append(
        ["E92000001", "England", *(na(published.national[y][column]) for y in YEARS), "NA", ""]
    )
    return header, body


def write_lait_csv(folder: Path, published: Published, column: str, name: str = "lait.csv") -> Path:
    """As R's write.csv writes it: every text quoted, numbers bare, NA unquoted."""
    header, body = lait_rows(published, column)
    path = folder / name
    lines = [",".join(f'"{h}"' for h in header)]
    for cells in body:
        out = []
        for i, text in enumerate(cells):
            if text == "NA" or (i != 1 and _is_number(text)):
                out.append(text)
            else:
                out.append(f'"{text}"')
        lines.append(",".join(out))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_lait_xlsx(
    folder: Path, published: Published, column: str, name: str = "lait.xlsx"
) -> Path:
    """As openxlsx::write.xlsx writes it: one sheet, numbers as numbers, NA as empty cells."""
    from openpyxl import Workbook

    header, body = lait_rows(published, column)
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet 1"
    sheet.append(header)
    for cells in body:
        sheet.append(
            [
                None if t == "NA" else float(t) if _is_number(t) and i > 1 else t
                for i, t in enumerate(cells)
            ]
        )
    path = folder / name
    book.save(path)
    return path


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
