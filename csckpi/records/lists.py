"""The Ofsted Annex A lists: their numbers, names and the column headings councils write.

Each list is one sheet of an Annex A workbook (or one CSV file of a folder). Each column is a
:class:`Field` with a short id (what definitions and expressions name), a type, the heading the
published Annex A template gives it (August 2019 edition, the one councils' systems still write)
and the variants seen in councils' extracts. Headings are matched after :func:`heading_key`:
case, spacing, punctuation and curly quotes do not matter, so only real variants are listed.

Sources of the headings and variants (see docs/records.md): the Ofsted Annex A template's
Guidance sheet; Social Finance's ``liia-tools`` Annex A schema and merge configuration; the
Children's Services Data Platform Annex A cleaner's ``annex-a-merge.yml``.

Nothing here imports polars: the catalogue is plain data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """How a column's cells are read."""

    ID = "id"  # an identifier, kept as text (never shown in a message)
    DATE = "date"  # an Excel date, an Excel serial number or UK text (18/12/2020)
    NUMBER = "number"  # a whole number of things (placements, previous plans)
    TEXT = "text"  # a coded answer or a name


@dataclass(frozen=True)
class Field:
    id: str
    kind: Kind
    heading: str  # as the published template writes it
    variants: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """How a message names the column: the published heading in lower case, acronyms
        kept (`child unique ID`, `CIN start date`)."""
        words = self.heading.split()
        return " ".join(w if len(w) > 1 and w.isupper() else w.lower() for w in words)


@dataclass(frozen=True)
class OrderRule:
    """A date that may not come before another on the same row (authorisation before start)."""

    earlier: str
    later: str
    kind: str  # the Problem kind


@dataclass(frozen=True)
class AnnexList:
    number: int
    name: str  # "Referrals"
    noun: tuple[str, str]  # one row, many rows: ("referral", "referrals")
    fields: tuple[Field, ...]
    unique: tuple[str, ...]  # fields that identify a row: a repeat is a duplicate
    required: tuple[str, ...] = ()  # dates the template says are never blank
    rules: tuple[OrderRule, ...] = ()
    aliases: tuple[str, ...] = ()  # sheet names without "List N" that mean this list

    @property
    def title(self) -> str:
        return f"List {self.number}"

    @property
    def identifier(self) -> str:
        """The field naming whom a row is about (the child, or for List 11 the adopter)."""
        return next(f.id for f in self.fields if f.kind is Kind.ID)

    def field(self, field_id: str) -> Field | None:
        for field in self.fields:
            if field.id == field_id:
                return field
        return None

    def rows(self, count: int) -> str:
        """`1 referral`, `12 referrals`."""
        return f"{count:,} {self.noun[0] if count == 1 else self.noun[1]}"


def _f(field_id: str, kind: Kind, heading: str, *variants: str) -> Field:
    return Field(field_id, kind, heading, variants)


D, N, T = Kind.DATE, Kind.NUMBER, Kind.TEXT

CHILD = _f(
    "child_id",
    Kind.ID,
    "Child Unique ID",
    "Child ID",
    "Unique ID",
    "Child Unique Identifier",
    "Child Identifier",
    "Unique Child ID",
    "Person ID",
    "LA Child ID",
)
_COMMON = (
    CHILD,
    _f("gender", T, "Gender", "Sex"),
    _f("ethnicity", T, "Ethnicity", "Ethnic Origin"),
    _f("date_of_birth", D, "Date of Birth", "DOB", "Birth Date"),
    _f("age", N, "Age of Child (Years)", "Age", "Age of Child", "Age (Years)"),
)
_DISABILITY = _f("disability", T, "Does the Child have a Disability", "Disability", "Disabled")
TEAM = _f("team", T, "Allocated Team", "Team", "Allocated Team Name")
WORKER = _f(
    "worker",
    T,
    "Allocated Worker",
    "Worker",
    "Allocated Social Worker",
    "Social Worker",
    "Allocated Worker Name",
)
_STAFF = (TEAM, WORKER)
_COMMON_DISABILITY = (*_COMMON, _DISABILITY)


def _span(start: str, end: str, kind: str = "ended-before-start") -> dict[str, Any]:
    """A list whose rows start on a date the template says is never blank and may end on
    another, never before it (``kind``: the problem when one does)."""
    return {"required": (start,), "rules": (OrderRule(start, end, kind),)}


LISTS: tuple[AnnexList, ...] = (
    AnnexList(
        1,
        "Contacts",
        ("contact", "contacts"),
        (
            *_COMMON,
            _f("contact_date", D, "Date of Contact", "Contact Date"),
            _f("contact_source", T, "Contact Source", "Source of Contact"),
        ),
        unique=("child_id", "contact_date", "contact_source"),
        required=("contact_date",),
        aliases=("contacts", "contact"),
    ),
    AnnexList(
        2,
        "Early help",
        ("early help assessment", "early help assessments"),
        (
            *_COMMON,
            _f(
                "early_help_start",
                D,
                "Assessment start date",
                "Early Help Assessment Start Date",
                "EHA Start Date",
            ),
            _f(
                "early_help_end",
                D,
                "Assessment completion date",
                "Early Help Assessment Completion Date",
                "EHA Completion Date",
            ),
            _f("organisation", T, "Organisation completing assessment"),
        ),
        unique=("child_id", "early_help_start"),
        **_span("early_help_start", "early_help_end"),
        aliases=("early help", "eha"),
    ),
    AnnexList(
        3,
        "Referrals",
        ("referral", "referrals"),
        (
            *_COMMON,
            _f("referral_date", D, "Date of referral", "Referral Date", "Referral Start Date"),
            _f("referral_source", T, "Referral Source", "Source of Referral"),
            _f("referral_nfa", T, "Referral NFA?", "Referral NFA", "NFA"),
            _f(
                "referrals_in_12_months",
                N,
                "Number of Referrals in Last 12 Months",
                "Number of Referrals in the Last 12 Months",
                "Referrals in Last 12 Months",
                "No. of Referrals in Last 12 Months",
            ),
            *_STAFF,
        ),
        unique=("child_id", "referral_date"),
        required=("referral_date",),
        aliases=("referrals", "referral"),
    ),
    AnnexList(
        4,
        "Assessments",
        ("assessment", "assessments"),
        (
            *_COMMON_DISABILITY,
            _f(
                "assessment_start",
                D,
                "Continuous Assessment Start Date",
                "Assessment Start Date",
                "C&F Assessment Start Date",
                "Single Assessment Start Date",
            ),
            _f("child_seen", T, "Child Seen During Continuous Assessment", "Child Seen"),
            _f(
                "assessment_authorised",
                D,
                "Continuous Assessment Date of Authorisation",
                "Continuous Assessment Authorisation Date",
                "Assessment Date of Authorisation",
                "Assessment Authorisation Date",
                "Assessment Authorised Date",
                "Date of Authorisation",
                "Assessment Completion Date",
                "Single Assessment Authorisation Date",
            ),
            _f(
                "requires_support",
                T,
                "Was the child assessed as requiring LA children's social care support?",
                "Was the child assessed as requiring LA childrens social care support",
                "Was the child assessed as being in need at assessment?",
            ),
            *_STAFF,
        ),
        unique=("child_id", "assessment_start"),
        **_span("assessment_start", "assessment_authorised", "authorised-before-start"),
        aliases=("assessments", "assessment", "single assessments", "c&f assessments"),
    ),
    AnnexList(
        5,
        "Section 47 enquiries and initial conferences",
        ("section 47 enquiry", "section 47 enquiries"),
        (
            *_COMMON_DISABILITY,
            _f(
                "strategy_date",
                D,
                "Strategy discussion initiating Section 47 Enquiry Start Date",
                "Strategy Discussion Initiating Section 47 Enquiry Date",
                "Strategy Discussion Date",
                "Section 47 Enquiry Start Date",
                "S47 Start Date",
                "S47 Enquiry Start Date",
            ),
            _f(
                "icpc_unnecessary",
                T,
                "Was an Initial Child Protection Conference deemed unnecessary?",
                "ICPC deemed unnecessary",
            ),
            _f(
                "icpc_date",
                D,
                "Date of Initial Child Protection Conference",
                "Initial Child Protection Conference Date",
                "ICPC Date",
                "Date of ICPC",
            ),
            _f(
                "icpc_plan",
                T,
                "Did the Initial Child Protection Conference Result in a Child Protection Plan",
                "Did the ICPC result in a Child Protection Plan",
            ),
            _f(
                "s47_in_12_months",
                N,
                "Number of Section 47 Enquiries in the last 12 months",
                "Number of S47 Enquiries in the last 12 months",
            ),
            _f("icpcs_in_12_months", N, "Number of ICPCs in the last 12 months"),
            *_STAFF,
        ),
        unique=("child_id", "strategy_date"),
        **_span("strategy_date", "icpc_date", "conference-before-strategy"),
        aliases=("section 47", "s47", "sec47 and icpc", "s47 and icpc", "section 47 enquiries"),
    ),
    AnnexList(
        6,
        "Children in need",
        ("child in need", "children in need"),
        (
            *_COMMON_DISABILITY,
            _f("cin_start", D, "CIN Start Date", "Child in Need Start Date"),
            _f("primary_need", T, "Primary Need Code", "Primary Need"),
            _f("last_seen", D, "Date Child Was Last Seen", "Date Child Last Seen"),
            _f("cin_end", D, "CIN Closure Date", "Child in Need Closure Date", "CIN End Date"),
            _f("closure_reason", T, "Reason for Closure"),
            _f("case_status", T, "Case Status"),
            *_STAFF,
        ),
        unique=("child_id",),
        **_span("cin_start", "cin_end"),
        aliases=("children in need", "cin"),
    ),
    AnnexList(
        7,
        "Child protection",
        ("child protection plan", "child protection plans"),
        (
            *_COMMON_DISABILITY,
            _f(
                "plan_start",
                D,
                "Child Protection Plan Start Date",
                "CP Plan Start Date",
                "CPP Start Date",
            ),
            _f("initial_category", T, "Initial Category of Abuse"),
            _f("latest_category", T, "Latest Category of Abuse"),
            _f("last_visit", D, "Date of the Last Statutory Visit", "Date of Last Statutory Visit"),
            _f("seen_alone", T, "Was the Child Seen Alone?"),
            _f(
                "last_review",
                D,
                "Date of latest review conference",
                "Date of Latest Review Conference",
            ),
            _f("plan_end", D, "Child Protection Plan End Date", "CP Plan End Date", "CPP End Date"),
            _f(
                "emergency_protection",
                T,
                "Subject to Emergency Protection Order or Protected Under Police Powers in "
                "Last Six Months (Y/N)",
            ),
            _f(
                "previous_plans",
                N,
                "Number of Previous Child Protection Plans",
                "Number of Previous CP Plans",
                "Previous Child Protection Plans",
            ),
            *_STAFF,
        ),
        unique=("child_id",),
        **_span("plan_start", "plan_end"),
        aliases=("child protection", "cp", "cpp", "child protection plans"),
    ),
    AnnexList(
        8,
        "Children in care",
        ("child looked after", "children looked after"),
        (
            *_COMMON,
            _f(
                "uasc",
                T,
                "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)",
                "UASC",
            ),
            _DISABILITY,
            _f(
                "looked_after_start",
                D,
                "Date Started to be Looked After",
                "Date Started to be Looked After (Current Period)",
                "Date Became Looked After",
                "Date Started Looked After",
                "Date Entered Care",
                "CLA Start Date",
            ),
            _f("category_of_need", T, "Child's Category of Need", "Category of Need"),
            _f(
                "second_period",
                T,
                "Is this a second or subsequent period of being a Looked After Child within the "
                "last 12 months (Y/N)",
                "Is this a second or subsequent episode of being a Looked After Child within the "
                "last 12 months (Y/N)",
            ),
            _f("legal_status_start", D, "Start date of current legal status"),
            _f("legal_status", T, "Child's Legal Status", "Legal Status"),
            _f("last_review", D, "Date of Latest Statutory Review"),
            _f("last_visit", D, "Date of Last Social Work Visit"),
            _f("permanence_plan", T, "What is the permanence plan for this child?"),
            _f("last_iro_contact", D, "Date of Last IRO Visit / Contact to the Child"),
            _f("last_health_assessment", D, "Date of Last Health Assessment"),
            _f("last_dental_check", D, "Date of Last Dental Check"),
            _f(
                "placements_in_12_months",
                N,
                "Number of Placements in the Last 12 months",
                "Number of Placements in Last 12 Months",
                "No. of Placements in the Last 12 Months",
                "Placements in the Last 12 Months",
            ),
            _f(
                "ceased",
                D,
                "Date Ceased to be Looked After",
                "Date Ceased Looked After",
                "Date Left Care",
                "CLA End Date",
            ),
            _f("ceased_reason", T, "Reason Ceased to be Looked After"),
            _f("placement_start", D, "Start Date of Most Recent Placement"),
            _f("placement_type", T, "Placement Type"),
            _f("placement_provider", T, "Placement Provider"),
            _f("placement_postcode", T, "Placement postcode"),
            _f("placement_urn", T, "URN of Placement"),
            _f("placement_location", T, "Placement Location"),
            _f("placement_la", T, "LA of Placement"),
            _f(
                "missing_episodes",
                N,
                "Number of Episodes the Child has been 'Missing' from their Placement in the "
                "last 12 months",
            ),
            _f(
                "absent_episodes",
                N,
                "Number of Episodes the Child has been 'Absent' from their Placement in the "
                "last 12 months",
            ),
            _f(
                "return_interview_offered",
                T,
                "Was the child offered a Return Interview after their last missing episode (Y/N)?",
            ),
            _f(
                "return_interview_accepted",
                T,
                "Did the child accept a Return Interview after their last missing episode (Y/N)?",
            ),
            *_STAFF,
        ),
        unique=("child_id",),
        **_span("looked_after_start", "ceased"),
        aliases=(
            "children in care",
            "children looked after",
            "looked after children",
            "cla",
            "cic",
        ),
    ),
    AnnexList(
        9,
        "Care leavers",
        ("care leaver", "care leavers"),
        (
            *_COMMON,
            _f(
                "uasc",
                T,
                "Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)",
                "UASC",
            ),
            _DISABILITY,
            *_STAFF,
            _f("personal_advisor", T, "Allocated Personal Advisor", "Personal Advisor"),
            _f("eligibility", T, "Eligibility Category"),
            _f("pathway_plan_review", D, "Latest Pathway Plan Review Date"),
            _f("in_touch", T, "LA in Touch", "In Touch", "Local Authority in Touch"),
            _f("latest_contact", D, "Latest Date of Contact", "Date of Latest Contact"),
            _f("accommodation", T, "Type of Accommodation", "Accommodation Type"),
            _f("suitability", T, "Suitability of Accommodation", "Accommodation Suitability"),
            _f("activity", T, "Activity Status", "Main Activity"),
        ),
        unique=("child_id",),
        aliases=("care leavers", "care leaver", "leaving care"),
    ),
    AnnexList(
        10,
        "Adoption",
        ("child with an adoption decision", "children with an adoption decision"),
        (
            CHILD,
            _f("family_id", T, "Family identifier"),
            *_COMMON[1:],
            _DISABILITY,
            _f("entered_care", D, "Date the Child Entered Care"),
            _f("adoption_decision", D, "Date of Decision that Child Should be Placed for Adoption"),
            _f("placement_order", D, "Date of Placement Order"),
            _f("matched", D, "Date of Matching Child and Prospective Adopters"),
            _f("placed_for_adoption", D, "Date Placed for Adoption"),
            _f("adoption_order", D, "Date of Adoption Order"),
            _f(
                "no_longer_decision",
                D,
                "Date of Decision that Child Should No Longer be Placed for Adoption",
            ),
            _f("no_longer_reason", T, "Reason Why Child No Longer Placed for Adoption"),
            _f(
                "fostering_for_adoption",
                D,
                "Date the child was placed for fostering in FFA or concurrent planning placement",
            ),
        ),
        unique=("child_id",),
        required=("entered_care",),
        aliases=("adoption", "adoptions"),
    ),
    AnnexList(
        11,
        "Adopters",
        ("adopter", "adopters"),
        (
            _f("adopter_id", Kind.ID, "Individual adopter identifier", "Adopter ID"),
            _f("family_id", T, "Family identifier"),
            _f("gender", T, "Gender"),
            _f("ethnicity", T, "Ethnicity"),
            _f("disability", T, "Disability"),
            _f("fostering_for_adoption", T, "Is the (prospective) adopter fostering for adoption?"),
            _f("enquiry", D, "Date enquiry received"),
            _f("stage_1_start", D, "Date Stage 1 started"),
            _f("stage_1_end", D, "Date Stage 1 ended"),
            _f("stage_2_start", D, "Date Stage 2 started"),
            _f("stage_2_end", D, "Date Stage 2 ended"),
            _f("application", D, "Date application submitted"),
            _f("approved", D, "Date application approved"),
            _f("matched", D, "Date adopter matched with child(ren)"),
            _f("placed", D, "Date child/children placed with adopter(s)"),
            _f("children_placed", N, "No. of children placed"),
            _f("adoption_order", D, "Date of Adoption Order"),
            _f("left_process", D, "Date of leaving adoption process"),
            _f("left_reason", T, "Reason for leaving adoption process"),
        ),
        unique=("adopter_id",),
        required=("enquiry",),
        aliases=("adopters",),
    ),
)

BY_NUMBER: dict[int, AnnexList] = {annex.number: annex for annex in LISTS}

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " "})
_NOT_WORD = re.compile(r"[^a-z0-9&]+")


def heading_key(text: object) -> str:
    """A heading as matched: `Date of Referral ` = `date of referral` = `DATE_OF_REFERRAL`.

    Case, spaces, underscores, punctuation and quotes are dropped; `&` is kept (C&F).
    """
    cleaned = str(text).translate(_QUOTES).lower().replace("'", "")
    return _NOT_WORD.sub(" ", cleaned).strip()


def _index(annex: AnnexList) -> dict[str, str]:
    index: dict[str, str] = {}
    for field in annex.fields:
        for heading in (field.heading, *field.variants, field.id):
            index.setdefault(heading_key(heading), field.id)
    return index


HEADINGS: dict[int, dict[str, str]] = {annex.number: _index(annex) for annex in LISTS}


def match_heading(number: int, text: object) -> str | None:
    """The field id a heading of list ``number`` names, or None."""
    return HEADINGS[number].get(heading_key(text))


_LIST_NUMBER = re.compile(r"(?:^|[^a-z])list[\s_\-.:]*0*(\d{1,2})(?!\d)", re.IGNORECASE)


def list_number(name: str) -> int | None:
    """Which list a sheet or file name is: `List 3`, `List_3`, `List 3 - Referrals`,
    `annex-a-list03.csv` -> 3; a name without `List N` is matched on the list's own name
    (`Referrals`, `Sec47 and ICPC`, `Children in Care`)."""
    found = _LIST_NUMBER.search(name)
    if found:
        number = int(found.group(1))
        return number if number in BY_NUMBER else None
    key = heading_key(name.rsplit(".", 1)[0] if name.lower().endswith(".csv") else name)
    for annex in LISTS:
        if key in {heading_key(alias) for alias in annex.aliases}:
            return annex.number
    return None
