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
    os.environ.setdefault("STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")
    return ROOT
