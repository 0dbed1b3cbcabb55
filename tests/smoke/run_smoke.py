"""Smoke test of a production-like install, run by CI after the test suite (`make smoke`).

It creates a fresh PostgreSQL database, runs the Procfile's release step (migrate,
collectstatic) and a minimal demo seed (tests/smoke/seed.py), starts the Procfile's
web (gunicorn), worker and beat as separate processes against PostgreSQL and Redis,
waits for /health/, then books a place over HTTP as the demo delegate and waits for
the worker to send the confirmation e-mail and to log the booking's request id, and
for /health/jobs/ to see the worker's heartbeat. On any failure it prints the
processes' logs and exits 1; it always stops its processes and drops its database.

TLS is ended by a reverse proxy in production. Here the script plays the proxy's
part: it sends X-Forwarded-Proto: https (TRUSTED_PROXY_SSL_HEADER=true, as behind
the proxy) and keeps the site's Secure `__Host-` cookies for the plain-HTTP leg to
gunicorn on 127.0.0.1, so the production security settings stay on.

Environment: SMOKE_DATABASE_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres),
SMOKE_REDIS_URL (default redis://127.0.0.1:6379/9, emptied before and after).
"""

import contextlib
import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parents[2]
DELEGATE = ("delegate@example.org", "demo-password-2026")
ADMIN_URL = os.environ.get("SMOKE_DATABASE_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/9")
STARTUP_SECONDS = 60
EMAIL_SECONDS = 60


class SmokeFailure(Exception):
    pass


START = time.monotonic()


def say(message):
    print(f"[smoke {time.monotonic() - START:5.1f}s] {message}", flush=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def procfile():
    entries = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_-]+):\s*(.+)$", line)
        if match:
            entries[match[1]] = match[2]
    return entries


class Stack:
    """The processes of one install, each logging to its own file."""

    def __init__(self, workdir, env):
        self.workdir, self.env, self.processes, self.outputs = workdir, env, {}, []

    def run(self, name, command, timeout=180):
        say(f"{name}: {command}")
        log = self.workdir / f"{name}.log"
        with log.open("w") as output:
            done = subprocess.run(
                ["bash", "-c", command],
                cwd=ROOT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                timeout=timeout,
            )
        if done.returncode:
            raise SmokeFailure(f"{name} exited with {done.returncode}")

    def start(self, name, command):
        say(f"starting {name}: {command}")
        output = (self.workdir / f"{name}.log").open("w")
        self.outputs.append(output)
        self.processes[name] = subprocess.Popen(
            ["bash", "-c", f"exec {command}"],
            cwd=ROOT,
            env=self.env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stopping it stops its children
        )

    def check_running(self):
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise SmokeFailure(f"{name} stopped with {process.returncode}")

    def log(self, name):
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def print_logs(self):
        for path in sorted(self.workdir.glob("*.log")):
            print(f"\n===== {path.stem} =====\n{path.read_text(errors='replace')[-20000:]}", file=sys.stderr)

    def stop(self):
        """Each process's whole group: gunicorn's and Celery's children too."""
        self._signal_groups(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
        self._signal_groups(signal.SIGKILL)  # whatever is left, orphans included
        for process in self.processes.values():
            process.wait()
        for output in self.outputs:
            output.close()
        self.processes, self.outputs = {}, []

    def _signal_groups(self, signum):
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signum)


class ProxiedTLS(http.cookiejar.DefaultCookiePolicy):
    """Send Secure cookies over the plain-HTTP leg, as the TLS-ending proxy does."""

    def return_ok_secure(self, cookie, request):
        return True


class Browser:
    """Just enough of a browser behind the proxy: cookies, the proxy's headers, CSRF."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar(policy=ProxiedTLS()))
        )

    def request(self, path, data=None, referer=None):
        # A fresh id per request, as the proxy's $request_id (urllib repeats it on a redirect).
        self.request_id = uuid.uuid4().hex
        headers = {"X-Forwarded-Proto": "https", "X-Request-ID": self.request_id, "Accept": "text/html"}
        if data is not None:
            # Django checks the Referer (and Origin) of secure POSTs.
            headers |= {
                "Referer": f"https://{self.base.netloc}{referer or path}",
                "Origin": f"https://{self.base.netloc}",
            }
            data = urllib.parse.urlencode(data).encode()
        url = urllib.parse.urljoin(self.base.geturl(), path)
        try:
            with self.opener.open(urllib.request.Request(url, data=data, headers=headers), timeout=30) as response:
                return response.status, response.geturl(), response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, url, error.headers, error.read().decode(errors="replace")

    def get(self, path):
        status, url, headers, body = self.request(path)
        if status != 200:
            raise SmokeFailure(f"GET {path} answered {status}")
        return url, headers, body

    def post_form(self, path, fields):
        _url, _headers, page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not token:
            raise SmokeFailure(f"no CSRF token on {path}")
        status, url, headers, body = self.request(path, {"csrfmiddlewaretoken": token[1], **fields}, referer=path)
        if status != 200:
            raise SmokeFailure(f"POST {path} answered {status}: {body[:500]}")
        return url, headers, body

    def course_links(self):
        """The courses on the calendar's first page, in the order shown."""
        return list(dict.fromkeys(re.findall(r'href="(/courses/[\w-]+/)"', self.get("/")[2])))

    def first_bookable_session(self, course):
        found = re.search(r'href="(/sessions/\d+/book/)">Book a place', self.get(course)[2])
        return found and found[1]


def wait_until(what, seconds, ready, stack):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        stack.check_running()
        if ready():
            return
        time.sleep(0.5)
    raise SmokeFailure(f"gave up waiting for {what} after {seconds}s")


def healthy(browser, path="/health/"):
    try:
        status, _url, _headers, body = browser.request(path)
    except OSError:
        return False
    return status == 200 and '"status": "ok"' in body


def book_a_place(browser):
    """Sign in as the demo delegate (whose nursery pays: by invoice here) and book
    the first session with places left; returns the request id the booking was made under."""
    _url, _headers, page = browser.post_form("/accounts/login/", {"login": DELEGATE[0], "password": DELEGATE[1]})
    if "Sign out" not in page:
        raise SmokeFailure("signing in as the demo delegate failed")
    session = next(filter(None, map(browser.first_bookable_session, browser.course_links())), None)
    if not session:
        raise SmokeFailure("the calendar offers no session with places left")
    booking_form = browser.get(session)[2]
    fields = {"requirements": ""}
    if 'name="payment_method"' in booking_form:
        fields.update(
            payment_method="invoice", billing_contact_name="Pat Payer", billing_contact_email="accounts@example.org"
        )
    url, headers, page = browser.post_form(session, fields)
    if headers["X-Request-ID"] != browser.request_id:
        raise SmokeFailure(f"the site replaced the proxy's request id {browser.request_id}")
    if not re.search(r"/bookings/\d+/$", url) or not re.search(r"Status</dt>\s*<dd[^>]*>\s*Confirmed", page):
        summary = re.search(r'<div class="govuk-error-summary.*?</div>', page, re.DOTALL)
        said = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", summary[0] if summary else page[-3000:]))
        raise SmokeFailure(f"the booking is not confirmed ({url}): {said}")
    return browser.request_id


def confirmation_sent(mail_dir):
    """The file back-end writes one file per batch; the confirmation carries the session's calendar entry."""
    return any(
        f"To: {DELEGATE[0]}" in text and "session.ics" in text
        for text in (path.read_text(errors="replace") for path in mail_dir.glob("*.log"))
    )


def main():
    workdir = Path(tempfile.mkdtemp(prefix="lscp_smoke_"))
    (workdir / "mail").mkdir()
    database = f"lscp_smoke_{os.getpid()}"
    web_port, stripe_port = free_port(), free_port()
    admin = urllib.parse.urlsplit(ADMIN_URL)
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{web_port}",
        "DATABASE_URL": urllib.parse.urlunsplit(admin._replace(path=f"/{database}")),
        "REDIS_URL": REDIS_URL,
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(workdir / "mail"),
        "MEDIA_ROOT": str(workdir / "media"),
        "LOG_FORMAT": "json",
        "TRUSTED_PROXY_SSL_HEADER": "true",
        # Production settings with localstripe's test keys and webhook secret, which production refuses.
        "STRIPE_TEST_MODE_ALLOWED": "true",
        "LOCALSTRIPE_PORT": str(stripe_port),
        "PORT": str(web_port),
        "WEB_CONCURRENCY": "2",
        "CELERY_CONCURRENCY": "1",
        "CELERY_BEAT_SCHEDULE_FILE": str(workdir / "beat-schedule"),
    }
    for name in ("STRIPE_SECRET_KEY", "STRIPE_API_BASE", "EMAIL_HOST", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    stack = Stack(workdir, env)
    queue = redis.Redis.from_url(REDIS_URL)
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {database}")
    try:
        queue.flushdb()  # no message left from an earlier run
        processes = procfile()
        stack.run("release", processes["release"])
        stack.run("seed", ".venv/bin/python -m tests.smoke.seed")
        stack.start("stripe", f".venv/bin/python manage.py localstripe --from-scratch --port {stripe_port}")
        for name in ("web", "worker", "beat"):
            stack.start(name, processes[name])
        browser = Browser(urllib.parse.urlsplit(f"http://127.0.0.1:{web_port}/"))
        wait_until("/health/", STARTUP_SECONDS, lambda: healthy(browser), stack)
        say("healthy; booking a place as the demo delegate")
        request_id = book_a_place(browser)
        say(f"booking confirmed (request id {request_id}); waiting for the e-mail")
        wait_until("the confirmation e-mail", EMAIL_SECONDS, lambda: confirmation_sent(workdir / "mail"), stack)
        say("e-mail sent; looking for the booking's request id in the worker's log")
        wait_until(f"request id {request_id} in the worker's log", 20, lambda: request_id in stack.log("worker"), stack)
        say("waiting for /health/jobs/: the broker up and the worker's heartbeat (beat queues it every minute)")
        wait_until("/health/jobs/", 90, lambda: healthy(browser, "/health/jobs/"), stack)
    except Exception as error:  # any failure: show what the processes said
        stack.stop()
        stack.print_logs()
        print(f"\nsmoke test FAILED: {error!r}", file=sys.stderr)
        return 1
    finally:
        say("stopping the processes, dropping the database")
        stack.stop()
        with contextlib.suppress(redis.RedisError):
            queue.flushdb()
        with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"smoke test passed in {time.monotonic() - START:.0f}s: booked over HTTP, e-mail sent by the worker")
    return 0


if __name__ == "__main__":
    sys.exit(main())
