"""Seeded generator of synthetic Ofsted Annex A extracts whose true monthly figures it knows.

    extract = generate(seed=1, as_at=date(2021, 3, 31), rows=5_000)
    extract.write_xlsx(path)           # a workbook, one sheet per list (List 1 ... List 9)
    extract.write_csv_folder(folder)   # one CSV file per list
    extract.truth                      # {code: {month: {part: value}}} for every shipped measure
    extract.bad                        # the cells made bad on purpose: (sheet, cell, kind)

The truth is worked out here with plain Python date arithmetic, from the rules docs/records.md
states (working days from this module's own list of England's bank holidays, months, years),
never with csckpi's code: a test comparing the two checks the code against the rules.
Children are fictional; IDs and dates are random.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# England and Wales bank holidays as gov.uk publishes them, 2018-2027 (weekdays only).
BANK_HOLIDAYS = frozenset(
    dt.date(*d)
    for d in (
        (2018, 1, 1), (2018, 3, 30), (2018, 4, 2), (2018, 5, 7), (2018, 5, 28), (2018, 8, 27),
        (2018, 12, 25), (2018, 12, 26),
        (2019, 1, 1), (2019, 4, 19), (2019, 4, 22), (2019, 5, 6), (2019, 5, 27), (2019, 8, 26),
        (2019, 12, 25), (2019, 12, 26),
        (2020, 1, 1), (2020, 4, 10), (2020, 4, 13), (2020, 5, 8), (2020, 5, 25), (2020, 8, 31),
        (2020, 12, 25), (2020, 12, 28),
        (2021, 1, 1), (2021, 4, 2), (2021, 4, 5), (2021, 5, 3), (2021, 5, 31), (2021, 8, 30),
        (2021, 12, 27), (2021, 12, 28),
        (2022, 1, 3), (2022, 4, 15), (2022, 4, 18), (2022, 5, 2), (2022, 6, 2), (2022, 6, 3),
        (2022, 8, 29), (2022, 9, 19), (2022, 12, 26), (2022, 12, 27),
        (2023, 1, 2), (2023, 4, 7), (2023, 4, 10), (2023, 5, 1), (2023, 5, 8), (2023, 5, 29),
        (2023, 8, 28), (2023, 12, 25), (2023, 12, 26),
        (2024, 1, 1), (2024, 3, 29), (2024, 4, 1), (2024, 5, 6), (2024, 5, 27), (2024, 8, 26),
        (2024, 12, 25), (2024, 12, 26),
        (2025, 1, 1), (2025, 4, 18), (2025, 4, 21), (2025, 5, 5), (2025, 5, 26), (2025, 8, 25),
        (2025, 12, 25), (2025, 12, 26),
        (2026, 1, 1), (2026, 4, 3), (2026, 4, 6), (2026, 5, 4), (2026, 5, 25), (2026, 8, 31),
        (2026, 12, 25), (2026, 12, 28),
        (2027, 1, 1), (2027, 3, 26), (2027, 3, 29), (2027, 5, 3), (2027, 5, 31), (2027, 8, 30),
        (2027, 12, 27), (2027, 12, 28),
    )
)  # fmt: skip

COMMON = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)"]
DISABILITY = "Does the Child have a Disability"
STAFF = ["Allocated Team", "Allocated Worker"]
# The published headings of the Ofsted Annex A template (August 2019), typed from its sheets.
HEADINGS: dict[int, list[str]] = {
    1: [*COMMON, "Date of Contact", "Contact Source"],
    2: [*COMMON, "Assessment start date", "Assessment completion date",
        "Organisation completing assessment"],
    3: [*COMMON, "Date of referral", "Referral Source", "Referral NFA?",
        "Number of Referrals in Last 12 Months", *STAFF],
    4: [*COMMON, DISABILITY, "Continuous Assessment Start Date",
        "Child Seen During Continuous Assessment", "Continuous Assessment Date of Authorisation",
        "Was the child assessed as requiring LA children’s social care support", *STAFF],
    5: [*COMMON, DISABILITY, "Strategy discussion initiating Section 47 Enquiry Start Date",
        "Was an Initial Child Protection Conference deemed unnecessary?",
        "Date of Initial Child Protection Conference",
        "Did the Initial Child Protection Conference Result in a Child Protection Plan",
        "Number of Section 47 Enquiries in the last 12 months",
        "Number of ICPCs in the last 12 months", *STAFF],
    6: [*COMMON, DISABILITY, "CIN Start Date", "Primary Need Code", "Date Child Was Last Seen",
        "CIN Closure Date", "Reason for Closure", "Case status", *STAFF],
    7: [*COMMON, DISABILITY, "Child Protection Plan Start Date", "Initial Category of Abuse",
        "Latest Category of Abuse", "Date of the Last Statutory Visit",
        "Was the Child Seen Alone?", "Date of latest review conference",
        "Child Protection Plan End Date",
        "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six "
        "Months (Y/N)", "Number of Previous Child Protection Plans", *STAFF],
    8: [*COMMON, "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)",
        DISABILITY, "Date Started to be Looked After", "Child's Category of Need",
        "Is this a second or subsequent period of being a Looked After Child within the last "
        "12 months (Y/N)", "Start date of current legal status", "Child's Legal Status",
        "Date of Latest Statutory Review", "Date of Last Social Work Visit",
        "What is the permanence plan for this child?",
        "Date of Last IRO Visit / Contact to the Child", "Date of Last Health Assessment",
        "Date of Last Dental Check", "Number of Placements in the Last 12 months",
        "Date Ceased to be Looked After", "Reason Ceased to be Looked After",
        "Start Date of Most Recent Placement", "Placement Type", "Placement Provider",
        "Placement postcode", "URN of Placement", "Placement Location", "LA of Placement",
        "Number of Episodes the Child has been ‘Missing’ from their Placement in the last 12 "
        "months",
        "Number of Episodes the Child has been ‘Absent’ from their Placement in the last 12 "
        "months",
        "Was the child offered a Return Interview after their last missing episode (Y/N)?",
        "Did the child accept a Return Interview after their last missing episode (Y/N)?",
        *STAFF],
    9: [*COMMON, DISABILITY, *STAFF, "Eligibility Category", "LA In Touch",
        "Type of Accommodation", "Suitability of Accommodation", "Activity Status"],
}  # fmt: skip
NAMES = {
    1: "Contacts",
    2: "Early Help",
    3: "Referrals",
    4: "Assessments",
    5: "Section 47",
    6: "Children in Need",
    7: "Child Protection",
    8: "Children in Care",
    9: "Care Leavers",
}
# Which heading holds what the truth needs, per list.
KEY = {
    "child": "Child Unique ID",
    "age": "Age of Child (Years)",
    "team": "Allocated Team",
    "worker": "Allocated Worker",
    "eh": "Assessment start date",
    "referral": "Date of referral",
    "count12": "Number of Referrals in Last 12 Months",
    "start": "Continuous Assessment Start Date",
    "auth": "Continuous Assessment Date of Authorisation",
    "strategy": "Strategy discussion initiating Section 47 Enquiry Start Date",
    "icpc": "Date of Initial Child Protection Conference",
    "plan_start": "Child Protection Plan Start Date",
    "plan_end": "Child Protection Plan End Date",
    "previous": "Number of Previous Child Protection Plans",
    "cla_start": "Date Started to be Looked After",
    "ceased": "Date Ceased to be Looked After",
    "placements": "Number of Placements in the Last 12 months",
    "touch": "LA In Touch",
    "suitable": "Suitability of Accommodation",
    "activity": "Activity Status",
}
TEAMS = ["Assessment Team 1", "Assessment Team 2", "Safeguarding North", "Children in Care"]
WORKERS = ["Worker A", "Worker B", "Worker C", "Worker D", "Worker E"]
DEFAULT_SHARE = {1: 0.30, 2: 0.075, 3: 0.15, 4: 0.15, 5: 0.05, 6: 0.125, 7: 0.04, 8: 0.06, 9: 0.05}


# ----------------------------------------------------------------------------- date rules


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in BANK_HOLIDAYS


def working_days(start: dt.date, end: dt.date) -> int:
    """Excel's NETWORKDAYS(start, end) - 1, at least 0: the start is day 0."""
    count, day = 0, start
    while day <= end:
        count += is_working_day(day)
        day += dt.timedelta(days=1)
    return max(count - 1, 0)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    out, month = [], month_of(first)
    while month <= last:
        out.append(month)
        month = add_months(month, 1)
    return out


def fy_of(month: dt.date) -> int:
    return month.year if month.month >= 4 else month.year - 1


# ----------------------------------------------------------------------------- rows


@dataclass
class Row:
    values: dict[str, Any]  # heading -> the value written (date, number, text or None)
    true: dict[str, Any] = field(default_factory=dict)  # key -> the true date or number
    bad: set[str] = field(default_factory=set)  # keys whose cell is unusable
    dup: bool = False


@dataclass
class Extract:
    as_at: dt.date
    since: dt.date
    lists: dict[int, list[Row]]
    truth: dict[str, dict[dt.date, dict[str, float]]]
    left_out: dict[str, int]  # code -> rows the measure must leave out (counted)
    bad: list[tuple[str, str, str]]  # (sheet, cell, problem kind)
    headings: dict[int, list[str]]
    sheet_names: dict[int, str]
    population: float | None = None

    def sheet(self, number: int) -> str:
        return self.sheet_names[number]

    def write_xlsx(self, path: Path, *, title_rows: int = 0) -> Path:
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        for number, rows in self.lists.items():
            ws = wb.create_sheet(self.sheet_names[number])
            for _ in range(title_rows):
                ws.append([f"List {number}: {NAMES[number]}"])
            headings = self.headings[number]
            ws.append(headings)
            for row in rows:
                ws.append([_cell(row.values.get(h)) for h in HEADINGS[number] + _extra(headings)])
        wb.save(path)
        return path

    def write_csv_folder(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for number, rows in self.lists.items():
            name = f"{self.sheet_names[number]}.csv"
            with (folder / name).open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                headings = self.headings[number]
                writer.writerow(headings)
                for row in rows:
                    writer.writerow(
                        _text(row.values.get(h)) for h in HEADINGS[number] + _extra(headings)
                    )
        return folder


def _extra(headings: list[str]) -> list[str]:
    return headings[len(headings) - 1 :] if headings[-1] == "Notes" else []


def _cell(value: Any) -> Any:
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


# ----------------------------------------------------------------------------- generating


def generate(
    *,
    seed: int = 1,
    as_at: dt.date = dt.date(2021, 3, 31),
    since: dt.date = dt.date(2020, 4, 1),
    rows: int = 4_000,
    bad: bool = False,
    lists: Iterable[int] = range(1, 10),
    text_dates: float = 0.0,
    population: float | None = 22_450.0,
    sheet_style: str = "List {n}",
) -> Extract:
    """An extract of about ``rows`` rows across ``lists``, events from 14 months before
    ``since`` to ``as_at``; ``text_dates`` is the share of dates written as UK text."""
    rng = random.Random(seed)
    first = add_months(since, -14)
    chosen = list(lists)
    share = sum(DEFAULT_SHARE[n] for n in chosen)
    made: dict[int, list[Row]] = {}
    ids = _Ids(rng)
    for number in chosen:
        count = max(8, round(rows * DEFAULT_SHARE[number] / share))
        made[number] = _MAKERS[number](rng, ids, count, first, as_at)
        for row in made[number]:
            _fill(rng, number, row, as_at)
            if text_dates:
                for heading, value in row.values.items():
                    if isinstance(value, dt.date) and rng.random() < text_dates:
                        row.values[heading] = f"{value:%d/%m/%Y}"
    headings = {n: list(HEADINGS[n]) for n in chosen}
    names = {n: sheet_style.format(n=n, name=NAMES[n]) for n in chosen}
    problems: list[tuple[str, str, str]] = []
    if bad:
        _spoil(rng, made, headings, names, as_at, problems)
    extract = Extract(as_at, since, made, {}, {}, problems, headings, names, population)
    extract.truth, extract.left_out = truth(extract)
    return extract


class _Ids:
    """Child IDs, never the same twice in an extract (a repeat would be a duplicate row)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: set[int] = set()

    def __call__(self) -> str:
        while True:
            number = self.rng.randrange(10_000_000, 99_999_999)
            if number not in self.seen:
                self.seen.add(number)
                return str(number)


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def _referrals(
    rng: random.Random, ids: _Ids, count: int, first: dt.date, as_at: dt.date
) -> list[Row]:
    out: list[Row] = []
    while len(out) < count:
        child = ids()
        dates = sorted({_day(rng, first, as_at) for _ in range(rng.choice((1, 1, 1, 2, 2, 3)))})
        hidden = [_day(rng, add_months(first, -12), first - dt.timedelta(days=1))] * (
            rng.random() < 0.3
        )
        latest = dates[-1]
        window = add_months(latest, -12)
        prior = sum(window <= d < latest for d in [*hidden, *dates])
        for day in dates:
            out.append(Row({KEY["child"]: child, KEY["referral"]: day, KEY["count12"]: prior}))
    return out[:count]


def _assessments(
    rng: random.Random, ids: _Ids, count: int, first: dt.date, as_at: dt.date
) -> list[Row]:
    out = []
    for _ in range(count):
        start = _day(rng, first, as_at)
        auth = start + dt.timedelta(days=rng.randrange(0, 100))
        out.append(
            Row(
                {
                    KEY["child"]: ids(),
                    KEY["start"]: start,
                    KEY["auth"]: auth if auth <= as_at else None,
                }
            )
        )
    return out


def _enquiries(
    rng: random.Random, ids: _Ids, count: int, first: dt.date, as_at: dt.date
) -> list[Row]:
    out: list[Row] = []
    while len(out) < count:
        child = ids()
        for _ in range(rng.choice((1, 1, 1, 2))):
            strategy = _day(rng, first, as_at)
            icpc = strategy + dt.timedelta(days=rng.randrange(3, 35))
            held = rng.random() < 0.6 and icpc <= as_at
            out.append(
                Row(
                    {
                        KEY["child"]: child,
                        KEY["strategy"]: strategy,
                        KEY["icpc"]: icpc if held else None,
                    }
                )
            )
    return out[:count]


def _plans(rng: random.Random, ids: _Ids, count: int, first: dt.date, as_at: dt.date) -> list[Row]:
    out = []
    for _ in range(count):
        start = _day(rng, add_months(as_at, -40), as_at)
        end: dt.date | None = None
        if rng.random() < 0.45:
            choice = rng.random()
            if choice < 0.1:
                end = add_months(start, 24)  # exactly two years
            elif choice < 0.15:
                end = add_months(start, 24) - dt.timedelta(days=1)
            else:
                end = start + dt.timedelta(days=rng.randrange(30, 1000))
            if end > as_at:
                end = None
        out.append(
            Row(
                {
                    KEY["child"]: ids(),
                    KEY["plan_start"]: start,
                    KEY["plan_end"]: end,
                    KEY["previous"]: rng.choice((0, 0, 0, 1, 2)),
                }
            )
        )
    return out


def _looked_after(
    rng: random.Random, ids: _Ids, count: int, first: dt.date, as_at: dt.date
) -> list[Row]:
    out = []
    for _ in range(count):
        start = _day(rng, add_months(as_at, -96), as_at)
        ceased = None
        if rng.random() < 0.25:
            ceased = _day(rng, max(start, first), as_at)
        out.append(
            Row(
                {
                    KEY["child"]: ids(),
                    KEY["cla_start"]: start,
                    KEY["ceased"]: ceased,
                    KEY["placements"]: rng.choice((1, 1, 1, 2, 2, 3, 4)),
                }
            )
        )
    return out


def _leavers(
    rng: random.Random, ids: _Ids, count: int, first: dt.date, as_at: dt.date
) -> list[Row]:
    out = []
    for _ in range(count):
        touch = rng.choice(("a) Yes", "a) Yes", "Yes", "Y", "b) No", "c) Died", "e) NREQ", None))
        suitable = rng.choice(("a) Suitable", "Suitable", "b) Unsuitable", None)) if touch else None
        activity = rng.choice(
            (
                "F1: Full time in higher education",
                "P3",
                "F5",
                "G4: Not in education, employment or training - illness",
                "G6",
                None,
            )
        )
        out.append(
            Row(
                {
                    KEY["child"]: ids(),
                    KEY["age"]: rng.randrange(16, 25),
                    KEY["touch"]: touch,
                    KEY["suitable"]: suitable,
                    KEY["activity"]: activity,
                }
            )
        )
    return out


def _simple(date_heading: str, end_heading: str | None = None) -> Callable[..., list[Row]]:
    def make(
        rng: random.Random, ids: _Ids, count: int, first: dt.date, as_at: dt.date
    ) -> list[Row]:
        out = []
        for _ in range(count):
            start = _day(rng, first, as_at)
            row = Row({KEY["child"]: ids(), date_heading: start})
            if end_heading and rng.random() < 0.5:
                end = start + dt.timedelta(days=rng.randrange(1, 90))
                row.values[end_heading] = end if end <= as_at else None
            out.append(row)
        return out

    return make


_MAKERS: dict[int, Callable[..., list[Row]]] = {
    1: _simple("Date of Contact"),
    2: _simple("Assessment start date", "Assessment completion date"),
    3: _referrals,
    4: _assessments,
    5: _enquiries,
    6: _simple("CIN Start Date", "CIN Closure Date"),
    7: _plans,
    8: _looked_after,
    9: _leavers,
}


#: Made-up answers for the columns no measure reads, by what the heading asks: five each, so
#: one draw from the generator whatever the heading (the measures' values do not move).
_GENDER = ("a) Male", "b) Female", "a) Male", "b) Female", "c) Not known")
_ETHNICITY = ("WBRI", "WBRI", "WIRI", "MWBC", "BAFR")
_DISABILITY = ("b) No", "b) No", "a) Yes", "b) No", "b) No")
_YES_NO = ("a) Yes", "b) No", "a) Yes", "b) No", "b) No")
_CODED = ("Code A", "Code B", "Code C", "Code D", "Code E")
_QUESTION = ("was ", "did ", "is ", "does ", "child seen", "referral nfa", "subject to ")
AGE, BIRTH = "Age of Child (Years)", "Date of Birth"


def _answers(heading: str) -> tuple[str, ...]:
    said = heading.lower()
    if said == "gender":
        return _GENDER
    if said == "ethnicity":
        return _ETHNICITY
    if "disability" in said:
        return _DISABILITY
    if said.startswith(_QUESTION) or said.endswith("?") or "(y/n)" in said:
        return _YES_NO
    return _CODED


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _fill(rng: random.Random, number: int, row: Row, as_at: dt.date) -> None:
    """The columns no measure reads, so the sheet is as wide as a real one; a child's age and
    date of birth agree (the age a measure reads sets the year of birth)."""
    values = row.values
    for key, heading in KEY.items():
        if heading in values:
            row.true[key] = values[heading]
    aged = values.get(AGE)
    for heading in HEADINGS[number]:
        if heading in values:
            continue
        if heading == "Allocated Team":
            values[heading] = rng.choice(TEAMS)
        elif heading == "Allocated Worker":
            values[heading] = rng.choice(WORKERS)
        elif heading == BIRTH:
            values[heading] = _day(rng, dt.date(2003, 1, 1), as_at)
        elif heading.startswith(("Date", "Start")):
            values[heading] = _day(rng, add_months(as_at, -12), as_at)
        elif heading.startswith(("Number", "Age")):
            values[heading] = rng.randrange(0, 17)
        else:
            values[heading] = rng.choice(_answers(heading))
    birth = values.get(BIRTH)
    if isinstance(birth, dt.date):
        birth = birth.replace(day=min(birth.day, 28))  # a year earlier is a date too
        if isinstance(aged, int):  # a care leaver's age, which a measure reads
            year = as_at.year - aged - ((as_at.month, as_at.day) < (birth.month, birth.day))
            birth = birth.replace(year=year)
        else:  # born before anything on the row happened to them
            days = [v for k, v in values.items() if k != BIRTH and isinstance(v, dt.date)]
            while days and birth >= min(days):
                birth = birth.replace(year=birth.year - 1)
            if AGE in values:
                values[AGE] = _age(birth, as_at)
        values[BIRTH] = birth
    row.true["team"] = values.get("Allocated Team")


def _spoil(
    rng: random.Random,
    made: dict[int, list[Row]],
    headings: dict[int, list[str]],
    names: dict[int, str],
    as_at: dt.date,
    problems: list[tuple[str, str, str]],
) -> None:
    """Bad records of every kind, each noted with the cell a reader should report."""

    def spoil(number: int, key: str, value: Any, kind: str) -> None:
        rows = made.get(number)
        if not rows:
            return
        candidates = [i for i, r in enumerate(rows) if r.true.get(key) and not r.bad and not r.dup]
        i = rng.choice(candidates)
        row = rows[i]
        row.values[KEY[key]] = value
        if value is None:  # a blank: the row lacks it, as any blank
            row.true[key] = None
        else:  # unreadable or after the extract date: left out where it is needed
            row.bad.add(key)
        column = headings[number].index(KEY[key]) + 1
        problems.append((names[number], f"{_letters(column)}{i + 2}", kind))

    def duplicate(number: int) -> None:
        rows = made.get(number)
        if not rows:
            return
        source = rng.choice([r for r in rows if not r.bad and not r.dup])
        copy = Row(dict(source.values), dict(source.true), set(), dup=True)
        rows.append(copy)
        column = headings[number].index(KEY["child"]) + 1  # the repeated row's ID cell
        problems.append((names[number], f"{_letters(column)}{len(rows) + 1}", "duplicate-row"))

    us = dt.date(2020, 12, 31)
    spoil(3, "referral", "not known", "date-as-text")
    spoil(3, "referral", None, "missing-date")
    spoil(3, "referral", as_at + dt.timedelta(days=9), "future-date")
    spoil(3, "count12", "two", "not-a-number")
    spoil(4, "auth", f"{us.month:02d}/{us.day}/{us.year}", "date-as-text")  # US order
    spoil(4, "auth", as_at + dt.timedelta(days=30), "future-date")
    _before(rng, made, headings, names, problems, 4, "start", "auth", "authorised-before-start")
    _before(
        rng, made, headings, names, problems, 5, "strategy", "icpc", "conference-before-strategy"
    )
    spoil(5, "strategy", None, "missing-date")
    _before(rng, made, headings, names, problems, 7, "plan_start", "plan_end", "ended-before-start")
    spoil(8, "ceased", "n/k", "date-as-text")
    for number in (3, 4, 7, 9):
        duplicate(number)
    if 4 in made:
        headings[4] = [*headings[4], "Notes"]
        for row in made[4]:
            row.values["Notes"] = "see file"
        problems.append((names[4], f"{_letters(len(headings[4]))}1", "unknown-heading"))


def _before(rng, made, headings, names, problems, number, early, late, kind) -> None:
    rows = made.get(number)
    if not rows:
        return
    i = rng.choice([i for i, r in enumerate(rows) if r.true.get(late) and not r.bad and not r.dup])
    row = rows[i]
    value = row.true[early] - dt.timedelta(days=rng.randrange(1, 20))
    row.values[KEY[late]] = value
    row.true[late] = value
    row.bad |= {early, late}
    column = headings[number].index(KEY[late]) + 1
    problems.append((names[number], f"{_letters(column)}{i + 2}", kind))


def _letters(column: int) -> str:
    out = ""
    while column:
        column, rest = divmod(column - 1, 26)
        out = chr(65 + rest) + out
    return out


# ----------------------------------------------------------------------------- the truth


def truth(extract: Extract) -> tuple[dict[str, dict[dt.date, dict[str, float]]], dict[str, int]]:
    """Every shipped measure's monthly parts, from the rules, by plain Python."""
    as_at, months = extract.as_at, months_between(extract.since, extract.as_at)
    out: dict[str, dict[dt.date, dict[str, float]]] = {}
    left: dict[str, int] = {}

    def usable(number: int, needs: set[str], placing: str | None) -> list[Row]:
        rows = extract.lists.get(number, [])
        good = [
            r
            for r in rows
            if not r.dup and not (r.bad & needs) and (placing is None or r.true.get(placing))
        ]
        return good

    def flow(code, number, placing, needs, counts, num=None, children=False, rate=False) -> None:
        """``counts`` says whether a row is in the measure (None: cannot tell, left out when
        it falls in the months derived); ``num`` whether it is in a percentage's numerator."""
        rows = usable(number, needs | {placing}, placing)
        unused = len(extract.lists.get(number, [])) - len(rows)
        inside = [r for r in rows if month_of(r.true[placing]) >= extract.since]
        rows = [r for r in inside if counts(r) is not None]
        left[code] = unused + len(inside) - len(rows)
        by_month: dict[dt.date, list[Row]] = defaultdict(list)
        for row in rows:
            by_month[month_of(row.true[placing])].append(row)
        series = {}
        for month in months:
            chosen = [r for r in by_month.get(month, []) if counts(r)]
            n = len({r.true["child"] for r in chosen}) if children else len(chosen)
            if num is None:
                key = "numerator" if rate else "value"
                series[month] = {key: float(n)}
                if rate and extract.population:
                    series[month]["value"] = n / extract.population * 10_000
            else:
                k = sum(1 for r in chosen if num(r))
                series[month] = _percent(k, n)
        out[code] = series

    def snapshot(code, number, start, end, extract_only=False, num=None, rate=False) -> None:
        rows = usable(number, {start, end} | ({"placements"} if num else set()), start)
        left[code] = len(extract.lists.get(number, [])) - len(rows)
        series = {}
        for month in months[-1:] if extract_only else months:
            point = min(month_end(month), as_at)
            open_rows = [
                r
                for r in rows
                if r.true[start] <= point and (r.true.get(end) is None or r.true[end] > point)
            ]
            if num is not None:
                series[month] = _percent(sum(1 for r in open_rows if num(r)), len(open_rows))
            elif rate:
                series[month] = {"numerator": float(len(open_rows))}
                if extract.population:
                    series[month]["value"] = len(open_rows) / extract.population * 10_000
            else:
                series[month] = {"value": float(len(open_rows))}
        out[code] = series

    def rereferral(rows_by_child: dict[str, list[Row]]) -> Callable[[Row], bool | None]:
        def check(row: Row) -> bool | None:
            mine = sorted(rows_by_child[row.true["child"]], key=lambda r: r.true["referral"])
            at = mine.index(row)
            if at > 0:
                return mine[at - 1].true["referral"] >= add_months(row.true["referral"], -12)
            if len(mine) == 1:
                count = row.true.get("count12") if "count12" not in row.bad else None
                return None if count is None else count >= 1
            return False

        return check

    if 3 in extract.lists:
        flow("AA REF", 3, "referral", {"child"}, lambda r: True)
        valid = usable(3, {"child", "referral", "count12"}, "referral")
        by_child: dict[str, list[Row]] = defaultdict(list)
        for row in valid:
            by_child[row.true["child"]].append(row)
        is_re = rereferral(by_child)
        flow("AA REREF", 3, "referral", {"child", "count12"}, is_re)
        flow(
            "AA REREF PCT",
            3,
            "referral",
            {"child", "count12"},
            lambda r: is_re(r) is not None,
            is_re,
        )
    if 2 in extract.lists:
        flow("AA EHA", 2, "eh", {"child"}, lambda r: True)
    if 4 in extract.lists:
        needs = {"child", "start", "auth"}
        flow("AA ASMT START", 4, "start", {"child"}, lambda r: True)
        flow("AA ASMT DONE", 4, "auth", {"child"}, lambda r: True)
        flow(
            "AA ASMT 45",
            4,
            "auth",
            needs,
            lambda r: True,
            lambda r: working_days(r.true["start"], r.true["auth"]) <= 45,
        )
    if 5 in extract.lists:
        needs = {"child", "strategy", "icpc"}
        flow("AA S47", 5, "strategy", {"child"}, lambda r: True)
        flow("AA S47 RATE", 5, "strategy", {"child"}, lambda r: True, rate=True)
        flow("AA S47 CHILD", 5, "strategy", {"child"}, lambda r: True, children=True)
        flow(
            "AA ICPC 15",
            5,
            "icpc",
            needs,
            lambda r: True if r.true.get("strategy") else None,
            lambda r: working_days(r.true["strategy"], r.true["icpc"]) <= 15,
        )
    if 7 in extract.lists:
        snapshot("AA CPP", 7, "plan_start", "plan_end")
        snapshot("AA CPP RATE", 7, "plan_start", "plan_end", rate=True)
        needs = {"child", "plan_start", "plan_end"}
        flow(
            "AA CPP 2Y",
            7,
            "plan_end",
            needs,
            lambda r: True,
            lambda r: r.true["plan_end"] >= add_months(r.true["plan_start"], 24),
        )
        flow(
            "AA CPP REPEAT",
            7,
            "plan_start",
            {"child", "previous"},
            lambda r: True,
            lambda r: r.true["previous"] >= 1,
        )
    if 8 in extract.lists:
        snapshot("AA CLA", 8, "cla_start", "ceased")
        snapshot("AA CLA RATE", 8, "cla_start", "ceased", rate=True)
        snapshot(
            "AA CLA 3PL",
            8,
            "cla_start",
            "ceased",
            extract_only=True,
            num=lambda r: r.true["placements"] >= 3,
        )
    if 9 in extract.lists:
        _leaver_truth(extract, months[-1], out, left)
    return out, left


def _leaver_truth(extract: Extract, month: dt.date, out: dict, left: dict[str, int]) -> None:
    rows = [r for r in extract.lists[9] if not r.dup]
    aged = [r for r in rows if 19 <= r.true["age"] < 22]

    def code(value: Any) -> str | None:
        if value is None:
            return None
        text = str(value).strip()
        if len(text) > 2 and text[1] == ")":
            text = text[2:].strip()
        return text.split(":")[0].split()[0].upper()

    touch = [r for r in aged if r.true.get("touch") is not None]
    out["AA CL TOUCH"] = {
        month: _percent(sum(code(r.true["touch"]) in ("Y", "YES") for r in touch), len(touch))
    }
    out["AA CL SUITABLE"] = {
        month: _percent(sum(code(r.true.get("suitable")) == "SUITABLE" for r in aged), len(aged))
    }
    eet = {"F1", "P1", "F2", "P2", "F3", "P3", "F4", "P4", "F5", "P5"}
    out["AA CL EET"] = {
        month: _percent(sum(code(r.true.get("activity")) in eet for r in aged), len(aged))
    }
    out["AA CL NEET"] = {
        month: _percent(
            sum(code(r.true.get("activity")) in {"G4", "G5", "G6"} for r in aged), len(aged)
        )
    }
    total = len(extract.lists[9])
    left["AA CL TOUCH"] = total - len(rows) + sum(1 for r in aged if r.true.get("touch") is None)
    for code_ in ("AA CL SUITABLE", "AA CL EET", "AA CL NEET"):
        left[code_] = total - len(rows)


def _percent(numerator: int, denominator: int) -> dict[str, float]:
    parts = {"numerator": float(numerator), "denominator": float(denominator)}
    if denominator:
        parts["value"] = numerator * 100.0 / denominator
    return parts
