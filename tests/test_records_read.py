"""Reading Annex A: sheet and file names, the headings councils write, dates, bad layouts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from csckpi.errors import WorkbookError
from csckpi.records import looks_like_annex_a, read_records
from csckpi.records.lists import LISTS, heading_key, list_number, match_heading

D = dt.date
STRATEGY = "Strategy discussion initiating Section 47 Enquiry Start Date"


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("List 1", 1),
        ("List 3 - Referrals", 3),
        ("List_3", 3),
        ("List3", 3),
        ("LIST 03", 3),
        ("List 10", 10),
        ("List 11 Adopters", 11),
        ("List 1: Contacts", 1),
        ("annex-a-list-8-children-in-care.csv", 8),
        ("Referrals", 3),
        ("Sec47 and ICPC", 5),
        ("Children in Care", 8),
        ("Care Leavers", 9),
        ("Annex A - Referrals", 3),
        ("annex_a_children_in_care.csv", 8),
        ("Annex A", None),
        ("Guidance", None),
        ("Front_Sheet", None),
        ("List 12", None),
        ("Checklist 3", None),
    ],
)
def test_sheet_and_file_names(name, number):
    assert list_number(name) == number


@pytest.mark.parametrize(
    ("number", "heading", "field"),
    [
        # as the published template, Social Finance's sample and councils' systems write them
        (3, "Date of referral", "referral_date"),
        (3, "Date of Referral", "referral_date"),
        (3, "Referral Date", "referral_date"),
        (3, "Age", "age"),
        (3, "CHILD UNIQUE ID", "child_id"),
        (3, "Child_Unique_ID", "child_id"),
        (3, "Child ID", "child_id"),
        (4, "Continuous Assessment Start Date", "assessment_start"),
        (4, "Continuous Assessment Date of Authorisation", "assessment_authorised"),
        (4, "Assessment Authorisation Date", "assessment_authorised"),
        (
            4,
            "Was the child assessed as requiring LA children’s social care support",
            "requires_support",
        ),
        (5, STRATEGY, "strategy_date"),
        (5, "Date of Initial Child Protection Conference", "icpc_date"),
        (5, "ICPC Date", "icpc_date"),
        (7, "Child Protection Plan Start Date", "plan_start"),
        (7, "Child Protection Plan End Date", "plan_end"),
        (7, "Number of Previous Child Protection Plans", "previous_plans"),
        (8, "Date Started to be Looked After", "looked_after_start"),
        (8, "Date Ceased to be Looked After ", "ceased"),
        (8, "Number of Placements in the Last 12 months", "placements_in_12_months"),
        (8, "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N))", "uasc"),
        (
            8,
            "Number of Episodes the Child has been ‘Missing’ from their Placement in the last "
            "12 months",
            "missing_episodes",
        ),
        (9, "LA In Touch ", "in_touch"),
        (9, "Allocated Team", "team"),
        (9, "Allocated Worker", "worker"),
        (10, "Date of Adoption Order ", "adoption_order"),
    ],
)
def test_headings_and_their_variants(number, heading, field):
    assert match_heading(number, heading) == field


def test_no_two_fields_of_a_list_share_a_heading():
    for annex in LISTS:
        seen: dict[str, str] = {}
        for field in annex.fields:
            for heading in (field.heading, *field.variants):
                key = heading_key(heading)
                assert seen.setdefault(key, field.id) == field.id, (annex.number, heading)


def test_the_ofsted_template_layout_with_a_title_row(tmp_path):
    path = workbook(
        tmp_path / "t.xlsx",
        {
            "Front_Sheet": [["Annex A - Child level data"]],
            "List_3": [
                ["List 3: Referral"],
                ["Child Unique ID", "Gender", "Date of referral", "Allocated Team"],
                [1, "F", D(2021, 1, 5), "Team A"],
                [2, "M", "06/01/2021", None],
            ],
        },
    )
    records = read_records(path, {3: {"referral_date", "team"}})
    data = records.lists[3]
    assert data.sheet == "List_3" and data.header_row == 2
    assert data.frame.select("_row", "child_id", "referral_date", "team").rows() == [
        (3, "1", D(2021, 1, 5), "Team A"),
        (4, "2", D(2021, 1, 6), None),
    ]
    assert records.ignored == ("Front_Sheet",) and records.problems == ()
    assert looks_like_annex_a(path)


def test_dates_as_excel_dates_serials_and_uk_text_never_us_order(tmp_path):
    path = workbook(
        tmp_path / "d.xlsx",
        {
            "List 4": [
                ["Child Unique ID", "Continuous Assessment Start Date"],
                ["A", D(2020, 12, 18)],
                ["B", 44183],  # an Excel serial number without a date format
                ["C", "18/12/2020"],
                ["D", "2020-12-18"],
                ["E", "18 Dec 2020"],
                ["F", "18/12/2020 00:00:00"],
                ["G", "12/18/2020"],  # US order: not a date
                ["H", "soon"],
                ["I", "NULL"],  # a system's blank
            ]
        },
    )
    records = read_records(path, {4: {"assessment_start"}})
    dates = records.lists[4].frame.get_column("assessment_start").to_list()
    assert dates == [D(2020, 12, 18)] * 6 + [None, None, None]
    assert [(p.location, p.kind) for p in records.problems] == [
        ("List 4!B8", "date-as-text"),
        ("List 4!B9", "date-as-text"),
    ]
    assert "12/18/2020" not in str(records.problems[0])  # never the cell's content


def test_unknown_and_repeated_headings_are_reported_at_their_cell(tmp_path):
    path = workbook(
        tmp_path / "h.xlsx",
        {
            "List 3 - Referrals": [
                ["Child Unique ID", "Date of referral", "Postcode of home", "Referral Date"],
                ["A", D(2021, 1, 5), "X", D(2021, 1, 6)],
            ]
        },
    )
    records = read_records(path, {3: {"referral_date"}})
    assert [(p.location, p.kind) for p in records.problems] == [
        ("List 3 - Referrals!C1", "unknown-heading"),
        ("List 3 - Referrals!D1", "repeated-heading"),
    ]
    assert str(records.problems[0]) == (
        'List 3 - Referrals!C1: "Postcode of home" is not one of List 3\'s headings '
        "— the column is not read"
    )
    assert records.lists[3].frame.get_column("referral_date").to_list() == [D(2021, 1, 5)]


def test_only_the_lists_asked_for_are_read(tmp_path):
    path = workbook(
        tmp_path / "o.xlsx",
        {
            "List 1": [["Child Unique ID", "Date of Contact"], ["A", "not a date"]],
            "List 3": [["Child Unique ID", "Date of referral"], ["A", D(2021, 1, 5)]],
        },
    )
    records = read_records(path, {3: {"referral_date"}})
    assert set(records.lists) == {3} and records.problems == ()  # List 1's bad date unseen
    assert records.sheets == {1: "List 1", 3: "List 3"}


def test_a_list_without_headings_and_a_second_sheet_for_a_list(tmp_path):
    path = workbook(
        tmp_path / "n.xlsx",
        {
            "List 3": [["something", "else"], ["A", "B"]],
            "List 3 (copy)": [["Child Unique ID", "Date of referral"]],
        },
    )
    records = read_records(path, {3: {"referral_date"}})
    assert records.lists == {}
    assert [(p.location, p.kind) for p in records.problems] == [
        ("List 3", "no-header"),
        ("List 3 (copy)", "repeated-list"),
    ]


def test_a_workbook_with_no_list_is_refused_with_a_hint(tmp_path):
    path = workbook(tmp_path / "x.xlsx", {"Monthly": [["code", "Apr-20"]]})
    with pytest.raises(WorkbookError, match="no Annex A list") as error:
        read_records(path, {3: {"referral_date"}})
    assert "List 3 - Referrals" in str(error.value)
    assert not looks_like_annex_a(path)


def test_a_csv_folder_in_windows_1252_with_a_bom_less_header(tmp_path):
    folder = tmp_path / "annex"
    folder.mkdir()
    text = (
        "Child Unique ID,Number of Episodes the Child has been \u2018Missing\u2019 from their "
        "Placement in the last 12 months,Date Started to be Looked After,Date Ceased to be "
        "Looked After\r\nA,0,01/02/2019,\r\nB,1,2020-03-04,31/12/2020\r\n"
    )
    (folder / "List 8 - Children in care.csv").write_bytes(text.encode("cp1252"))
    (folder / "notes.txt").write_text("not a list")
    records = read_records(folder, {8: {"looked_after_start", "ceased", "missing_episodes"}})
    frame = records.lists[8].frame
    assert frame.select(
        "_row", "child_id", "looked_after_start", "ceased", "missing_episodes"
    ).rows() == [
        (2, "A", D(2019, 2, 1), None, 0.0),
        (3, "B", D(2020, 3, 4), D(2020, 12, 31), 1.0),
    ]
    assert records.ignored == ("notes.txt",) and records.problems == ()
    assert len(records.sha256) == 64
    assert looks_like_annex_a(folder)
