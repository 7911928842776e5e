"""A store on a database server, in portable SQL: :class:`ServerStore`.

``tables`` holds the SQL (standard SQL only), ``dialect`` what each server's module provides
(``csckpi.store.postgres`` for PostgreSQL), ``backend`` the store itself.
"""

from csckpi.store.server.backend import ServerStore
from csckpi.store.server.tables import MIGRATIONS, SCHEMA_VERSION, TABLES

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "TABLES", "ServerStore"]
