"""gunicorn's settings for the web process (Procfile, systemd and compose all use it):
    gunicorn config.wsgi --config deploy/gunicorn.conf.py

Every value can be changed from the environment; see docs/deployment.md.
"""

import multiprocessing
import os

# The reverse proxy is the only client: listen on loopback when it is on the same
# host, or on the private network address it reaches (GUNICORN_BIND=10.0.0.11:8000).
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")

# Sync workers: the site's pages are short database-bound requests. Two per core,
# plus one, unless WEB_CONCURRENCY says otherwise; each holds one database
# connection (DATABASE_CONN_MAX_AGE keeps it open between requests).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))

# A request slower than this is killed and logged; PDFs and reports run in Celery.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5

# Recycle workers now and then so a slow leak cannot grow without end.
max_requests = 1000
max_requests_jitter = 100

# Heartbeat files in memory, not on a disk that may stall (containers especially).
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# gunicorn's own messages go to standard error with the site's (see
# settings.LOGGING). The proxy writes the access log, with the request id;
# GUNICORN_ACCESS_LOG=true adds one here too (useful without a proxy on the host).
errorlog = "-"


def _on(name, default):
    """Read as config/settings.py's env_bool reads it."""
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


# X-Forwarded-Proto and the like are believed as Django believes them: only
# with TRUSTED_PROXY_SSL_HEADER on, and then only from the proxy's addresses
# (FORWARDED_ALLOW_IPS, comma-separated). Otherwise a client that reaches
# gunicorn could say its plain-http request came over https.
if _on("TRUSTED_PROXY_SSL_HEADER", "false"):
    forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
else:
    forwarded_allow_ips = ""
    # A peer on a Unix socket is always trusted by gunicorn: believe no scheme header from it either.
    secure_scheme_headers = {}

if _on("GUNICORN_ACCESS_LOG", "false"):
    accesslog = "-"
    access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'

if os.environ.get("LOG_FORMAT", "text" if _on("DEBUG", "true") else "json") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(levelname)s %(name)s %(message)s",
                "rename_fields": {"levelname": "level", "name": "logger"},
                "timestamp": "time",
            }
        },
        # The names of gunicorn's own default handlers, so its defaults for the root
        # and gunicorn loggers (merged with this) write JSON too.
        "handlers": {
            name: {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
            for name in ("console", "error_console")
        },
        "loggers": {
            name: {"handlers": ["error_console"], "level": "INFO", "propagate": False}
            for name in ("gunicorn.error", "gunicorn.access")
        },
    }
