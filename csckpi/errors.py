"""The exceptions csckpi raises. Each message says what went wrong, where, and how to fix it.

The CLI turns a :class:`CsckpiError` into a one-line message on stderr and its
``exit_code``; anything else is a bug.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from csckpi.model import Problem


class CsckpiError(Exception):
    """Base class: a problem the user can act on."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


class WorkbookError(CsckpiError):
    """The file cannot be read as a performance workbook at all."""


class InvalidWorkbook(CsckpiError):
    """The workbook was read but has errors; ``problems`` lists every one."""

    def __init__(self, message: str, problems: Sequence[Problem]) -> None:
        super().__init__(message)
        self.problems = list(problems)


class PeriodError(CsckpiError):
    """A period the user typed cannot be understood or answered."""


def no_figures_at_all() -> PeriodError:
    """Data with no figure at all (an empty template ingested): no period can be answered, so
    the user is told to fill the workbook in rather than to give a period."""
    return PeriodError(
        "There are no figures at all: no indicator has a monthly or period figure.",
        "Fill in the workbook's Indicators and Monthly sheets (docs/workbook.md), then ingest it.",
    )


class PeriodTypo(PeriodError):
    """A period written so that it cannot be read (`foo`, `Q5 2020/21`, `2020-Q3`): on the
    command line, a mistyped command line (exit 2)."""

    exit_code = 2


class UnknownIndicator(CsckpiError):
    """An indicator code that is not in the catalogue."""


class StoreError(CsckpiError):
    """The store cannot be opened, is locked, or was written by another version."""


class OutputError(CsckpiError):
    """An output file cannot be written in the asked format."""
