"""Store versions, the same for every backend: a store written by a newer csckpi is refused, an
older one is brought up to date by its backend's ``MIGRATIONS``, one version at a time."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from csckpi.errors import StoreError

C = TypeVar("C")


def refuse_newer(location: str, version: int, supported: int) -> None:
    """Raise the message for a store of a newer version than this csckpi reads."""
    if version > supported:
        raise StoreError(
            f"The store {location} was written by a newer csckpi (store version {version}; "
            f"this csckpi reads versions up to {supported}).",
            "Upgrade csckpi: pip install --upgrade csckpi.",
        )


def migrate(
    con: C, version: int, supported: int, migrations: Mapping[int, Callable[[C], None]]
) -> None:
    """Bring a store of ``version`` up to ``supported``: ``migrations[n]`` takes it from n to
    n + 1, inside the caller's transaction."""
    while version < supported:
        migrations[version](con)
        version += 1
