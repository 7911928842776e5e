"""``open_store``: a store location (a file path, or a server URL) to the backend that keeps it.

:data:`BACKENDS` maps a location's URL scheme to the function that opens it; a plain path
(no ``scheme://``) is an SQLite file. Adding a backend is one entry here and its package
beside ``csckpi/store/sqlite/``; no command changes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from csckpi.errors import StoreError
from csckpi.store.protocol import LOCK_TIMEOUT

if TYPE_CHECKING:
    from csckpi.store.protocol import Store

#: A location's URL scheme: two characters or more, so that `C:\\csckpi.db` stays a path.
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]+)://")

Opener = Callable[[str, float], "Store"]


def _sqlite_file(location: str, lock_timeout: float) -> Store:
    from csckpi.store.sqlite import SqliteStore

    return SqliteStore(location, lock_timeout=lock_timeout)


def _postgres(location: str, lock_timeout: float) -> Store:
    from csckpi.store.postgres import open_postgres

    return open_postgres(location, lock_timeout)


#: BACKENDS[scheme] opens a store at a location with that URL scheme ("" for a file path),
#: waiting up to ``lock_timeout`` seconds for another writer.
BACKENDS: dict[str, Opener] = {
    "": _sqlite_file,
    "postgresql": _postgres,
    "postgres": _postgres,
}


def open_store(location: str | os.PathLike[str], *, lock_timeout: float = LOCK_TIMEOUT) -> Store:
    """The store at ``location``: a file path (an SQLite store) or a server URL.

    Nothing is read or created until the store is used; a URL of a scheme with no backend
    is a :class:`StoreError`.
    """
    text = os.fspath(location)
    scheme = "" if not isinstance(location, str) else scheme_of(text)
    opener = BACKENDS.get(scheme)
    if opener is None:
        raise StoreError(
            f"csckpi cannot open the store {masked(text)}: it knows no {scheme}:// stores.",
            "Give the path of a store file, e.g. --store csckpi.db.",
        )
    return opener(text, lock_timeout)


def scheme_of(location: str) -> str:
    """The URL scheme of ``location`` in lower case: `postgresql`; "" for a file path."""
    found = _SCHEME.match(location)
    return found.group(1).lower() if found else ""


def masked(location: str) -> str:
    """``location`` as a message may show it: a URL's password (in its user part or its
    query) written `***`."""
    if not scheme_of(location):
        return location
    try:
        parts = urlsplit(location)
        netloc = parts.netloc
        if parts.password is not None:
            user, _, host = netloc.rpartition("@")
            netloc = f"{user.split(':', 1)[0]}:***@{host}"
        query = "&".join(
            f"{pair.split('=', 1)[0]}=***"
            if pair.split("=", 1)[0].lower() == "password" and "=" in pair
            else pair
            for pair in parts.query.split("&")
        )
        return urlunsplit(parts._replace(netloc=netloc, query=query))
    except ValueError:  # not a URL urllib can split: show only its scheme
        return f"{scheme_of(location)}://***"
