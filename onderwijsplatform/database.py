"""Engine set-up: make SQLite enforce foreign keys and honour SAVEPOINTs."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask

from onderwijsplatform.extensions import db


def _on_sqlite_connect(dbapi_connection: Any, connection_record: Any) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT; SQLAlchemy's documented recipe.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _on_sqlite_begin(connection: sa.Connection) -> None:
    connection.exec_driver_sql("BEGIN")


def init_app(app: Flask) -> None:
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                sa.event.listen(engine, "connect", _on_sqlite_connect)
                sa.event.listen(engine, "begin", _on_sqlite_begin)
