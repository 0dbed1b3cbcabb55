"""What every benchmark sets before Django starts: production-like settings
(DEBUG off, plain static storage so no collectstatic is needed) and the
project on the import path. Scripts run as `python bench/<name>.py`."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def benchmark_environment(*, database_url: str | None = None) -> Path:
    """Set the environment (an explicit DATABASE_URL from the caller's shell wins)
    and return the project root."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if database_url:
        os.environ.setdefault("DATABASE_URL", database_url)
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    # Payments, if any, go to localstripe: its test values are allowed here.
    os.environ.setdefault("STRIPE_TEST_MODE_ALLOWED", "true")
    os.environ.setdefault("STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")
    return ROOT


def database_server(url: str) -> tuple[str, dict]:
    """The database name in a postgres:// URL and how to reach its server."""
    import dj_database_url

    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        sys.exit(f"This benchmark needs PostgreSQL: set DATABASE_URL=postgres://... (got {url})")
    return config["NAME"], {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"] or None,
    }


def database_ensure(url: str) -> None:
    """Create the PostgreSQL database named in `url` if it is not there yet."""
    import psycopg
    from psycopg import sql

    name, server = database_server(url)
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_drop(url: str) -> None:
    import psycopg
    from psycopg import sql

    name, server = database_server(url)
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def database_url_named(url: str, name: str) -> str:
    """The same server as `url`, another database."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))
