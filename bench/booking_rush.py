"""Booking rush benchmark: many people book one session at the same moment,
over real HTTP, against gunicorn and PostgreSQL.

Creates (or reuses) the database, migrates, makes a session with CAPACITY
places and USERS delegates who are already logged in (their Django sessions
are written straight to the session table), starts gunicorn on a free
loopback port and lets CLIENTS concurrent clients work through the people:
each loads the booking form (for the CSRF token) and posts it. Prints the
outcome, throughput and POST latency, and checks from the database that no
session was overbooked. Stops by itself and always stops gunicorn.

    .venv/bin/python bench/booking_rush.py
    .venv/bin/python bench/booking_rush.py --users 2000 --capacity 200 --clients 48
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/other .venv/bin/python bench/booking_rush.py
"""

import argparse
import datetime as dt
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lscp_bench_rush")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
# Payments, if any, go to localstripe: its test values are allowed here.
os.environ.setdefault("STRIPE_TEST_MODE_ALLOWED", "true")
# No collectstatic for a benchmark: plain static storage, as in development.
os.environ.setdefault("STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")
# Plain HTTP on loopback: no redirect to HTTPS, and cookies that are not marked
# Secure (so under their ordinary names), in gunicorn and in this script alike.
for _name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
    os.environ.setdefault(_name, "false")

from _environment import database_ensure  # noqa: E402

# The reference: a widely used open-source ticketing system documents
# 300-400 tickets a minute per event as its ceiling; the goal is ten times that.
REFERENCE_PER_MINUTE = (300, 400)
GOAL_FACTOR = 10
RUSH_COURSE_SLUG = "booking-rush"
HOST = "127.0.0.1"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=1000, help="people who book, once each (at most 5000)")
    parser.add_argument("--capacity", type=int, default=100, help="places on the session")
    parser.add_argument("--clients", type=int, default=32, help="concurrent HTTP clients (at most 64)")
    # One single-threaded worker per core measured best here: the work is CPU
    # bound, and more requests in flight than cores only stretch the time each
    # booking holds the session lock.
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--json", help="also write the figures to this file (for bench/run_all.py)")
    args = parser.parse_args()
    # Bounded, so the rush always ends and stays within PostgreSQL's 100 connections.
    if not 1 <= args.users <= 5000 or not 1 <= args.capacity <= args.users:
        parser.error("need 1 <= capacity <= users <= 5000")
    if not 1 <= args.clients <= 64 or not 1 <= args.workers * args.threads <= 64:
        parser.error("need 1 <= clients <= 64 and 1 <= workers x threads <= 64")
    return args


database_ensure(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session as LoginSession  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Agency, Sector, User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from bookings.models import Booking  # noqa: E402
from courses.models import Course, CourseFormat, CourseLevel, Session, Venue  # noqa: E402


def people(count: int) -> list[User]:
    """Delegates rush0… rushN-1, made once and reused by later runs. They work
    for a contributing partner, so their places are free: no payment step."""
    agency, _ = Agency.objects.update_or_create(
        name="Rush Family Centre",
        defaults={"sector": Sector.objects.get(slug="early_years"), "contributes": True, "charging_band": None},
    )
    User.objects.bulk_create(
        [
            User(
                email=f"rush{n}@bench.example.org",
                first_name="Rush",
                last_name=f"Person{n}",
                agency=agency,
                password=make_password(None),
            )
            for n in range(count)
        ],
        ignore_conflicts=True,
    )
    users = list(User.objects.filter(email__endswith="@bench.example.org").order_by("pk")[:count])
    delegate = Group.objects.get(name=Role.DELEGATE)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=user.pk, group_id=delegate.pk) for user in users], ignore_conflicts=True
    )
    return users


def rush_session(capacity: int) -> Session:
    """A new session for this run, on a day of its own, so nobody's earlier
    rush booking clashes with it."""
    course, _ = Course.objects.get_or_create(
        slug=RUSH_COURSE_SLUG,
        defaults={
            "title": "Booking rush",
            "format": CourseFormat.FULL_DAY,
            "level": CourseLevel.LEVEL_2,
            "summary": "A very popular course.",
            "learning_outcomes": "Book quickly",
            "audience": "Everyone",
        },
    )
    venue, _ = Venue.objects.get_or_create(name="Rush Hall", defaults={"address": "1 Road", "postcode": "RV1 1AA"})
    day = timezone.localdate() + dt.timedelta(days=30 + Session.objects.filter(course=course).count())
    start = dt.datetime.combine(day, dt.time(9, 30), timezone.get_current_timezone())
    return Session.objects.create(
        course=course,
        venue=venue,
        start=start,
        end=start + dt.timedelta(hours=7),
        capacity=capacity,
        minimum_numbers=1,
    )


def logins(users: list[User]) -> dict[int, str]:
    """A logged-in Django session for each person, as django.contrib.auth.login
    would store it; returns the session keys by user id."""
    store = SessionStore()
    expires = timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    keys, rows = {}, []
    for user in users:
        key = store._get_new_session_key()
        data = {
            SESSION_KEY: str(user.pk),
            # The backend that signs people in with a password (the first may be django-axes', which only refuses).
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        rows.append(LoginSession(session_key=key, session_data=store.encode(data), expire_date=expires))
        keys[user.pk] = key
    LoginSession.objects.bulk_create(rows)
    return keys


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def gunicorn_start(port: int, args, log) -> subprocess.Popen:
    env = os.environ | {
        "DEBUG": "false",
        "ALLOWED_HOSTS": HOST,
        "DATABASE_CONN_MAX_AGE": "60",
        # E-mail is written to the outbox and "sent" inside the request, as
        # with no broker, so its cost is counted; locmem keeps it off the network.
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    for name in ("CELERY_BROKER_URL", "REDIS_URL", "EMAIL_HOST"):
        env.pop(name, None)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        f"--bind={HOST}:{port}",
        f"--workers={args.workers}",
        "--worker-class=gthread",
        f"--threads={args.threads}",
        "--timeout=60",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)


def cpu_seconds(pids) -> float:
    """CPU time (user + system) the processes have used so far, from Linux's /proc."""
    ticks = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as stat:
            # Fields 14 and 15; the command name (field 2) may hold spaces.
            fields = stat.read().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def gunicorn_pids(process: subprocess.Popen) -> list[int]:
    with open(f"/proc/{process.pid}/task/{process.pid}/children") as children:
        return [process.pid, *(int(pid) for pid in children.read().split())]


def postgres_pids() -> list[int]:
    """The server processes serving gunicorn's connections to this database
    (PostgreSQL is on this machine: the benchmark only uses loopback)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [pid for (pid,) in cursor.fetchall()]


def gunicorn_stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_until_answering(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/")
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on port {port} within {seconds:.0f}s")


def cookie_value(response: http.client.HTTPResponse, name: str) -> str | None:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith(f"{name}="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return None


class Client:
    """One person's browser: loads the booking form, then posts it."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)

    def request(self, method, path, headers, body=None):
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        return response, response.read()

    def book(self, path: str, session_key: str) -> dict:
        response, page = self.request("GET", path, {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}"})
        token = CSRF_INPUT.search(page.decode())
        csrf_cookie = cookie_value(response, settings.CSRF_COOKIE_NAME)
        if response.status != 200 or not token or not csrf_cookie:
            return {"error": f"GET {response.status}", "finished": time.perf_counter()}
        body = urlencode(
            {"csrfmiddlewaretoken": token.group(1), "dietary_requirements": "", "requirements": ""}
        ).encode()
        headers = {
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}; {settings.CSRF_COOKIE_NAME}={csrf_cookie}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        started = time.perf_counter()
        response, _ = self.request("POST", path, headers, body)
        finished = time.perf_counter()
        # Booked: redirected to the booking. Anything else is a refusal or a failure.
        error = None if response.status == 302 else f"POST {response.status}"
        return {"error": error, "latency": finished - started, "finished": finished}


def rush(port: int, session: Session, users: list[User], keys: dict[int, str], clients: int) -> tuple[dict, float]:
    """Everyone books; `clients` people at a time. Returns each user's result
    and the moment the rush started."""
    path = f"/sessions/{session.pk}/book/"
    pending = iter(users)
    lock = threading.Lock()
    results = {}
    start_line = threading.Barrier(clients + 1)

    def client_loop():
        client = Client(port)
        start_line.wait()
        while True:
            with lock:
                user = next(pending, None)
            if user is None:
                return
            try:
                results[user.pk] = client.book(path, keys[user.pk])
            except (OSError, http.client.HTTPException) as error:
                results[user.pk] = {"error": type(error).__name__, "finished": time.perf_counter()}
                client = Client(port)

    with ThreadPoolExecutor(max_workers=clients) as pool:
        running = [pool.submit(client_loop) for _ in range(clients)]
        start_line.wait()
        started = time.perf_counter()
        for future in running:
            future.result()
    return results, started


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(int(len(ordered) * fraction + 0.5) - 1, 0)]


def report(args, session: Session, results: dict, started: float, cpu: dict[str, float]) -> bool:
    bookings = Booking.objects.filter(session=session)
    status_of = dict(bookings.values_list("user_id", "status"))
    confirmed = sum(status == Booking.Status.CONFIRMED for status in status_of.values())
    waitlisted = sum(status == Booking.Status.WAITLISTED for status in status_of.values())
    places_held = bookings.filter(status__in=Booking.PLACE_STATUSES).count()
    queue = sorted(bookings.filter(status=Booking.Status.WAITLISTED).values_list("queue_number", flat=True))
    errors = Counter(result["error"] for result in results.values() if result["error"])
    booked = [result for result in results.values() if result["error"] is None]
    latencies = [result["latency"] * 1000 for result in results.values() if "latency" in result]
    ended = max(result["finished"] for result in results.values())
    confirmed_by = max(
        (
            results[user_id].get("finished", started)
            for user_id, status in status_of.items()
            if status == Booking.Status.CONFIRMED
        ),
        default=started,
    )
    seconds = ended - started
    per_second = len(booked) / seconds if seconds else 0.0
    confirmed_per_second = confirmed / (confirmed_by - started) if confirmed_by > started else 0.0
    per_minute = per_second * 60
    overbooking = max(0, places_held - args.capacity)
    cpu_per_attempt = {name: used * 1000 / len(results) for name, used in cpu.items()}
    cores = os.cpu_count()
    ceiling = cores * 1000 / sum(cpu_per_attempt.values())
    low, high = REFERENCE_PER_MINUTE

    rows = [
        ("attempts", f"{len(results):,}"),
        ("confirmed", f"{confirmed:,}"),
        ("waitlisted", f"{waitlisted:,}"),
        ("errors", ", ".join(f"{count:,} {kind}" for kind, count in errors.most_common()) or "0"),
        ("rush duration", f"{seconds:.2f} s (full after {confirmed_by - started:.2f} s)"),
        ("confirmed bookings per second", f"{confirmed_per_second:.1f} (until full)"),
        ("bookings per second (all)", f"{per_second:.1f} ({per_minute:,.0f} a minute)"),
        ("POST latency p50", f"{percentile(latencies, 0.5):.0f} ms" if latencies else "-"),
        ("POST latency p95", f"{percentile(latencies, 0.95):.0f} ms" if latencies else "-"),
        ("CPU per attempt (GET + POST)", ", ".join(f"{name} {ms:.1f} ms" for name, ms in cpu_per_attempt.items())),
        (f"so at most, on {cores} idle cores", f"{ceiling:.0f} bookings per second ({ceiling * 60:,.0f} a minute)"),
        ("overbooking (from the database)", f"{overbooking}"),
        ("waiting list numbered 1..n", "yes" if queue == list(range(1, len(queue) + 1)) else f"NO: {queue[:10]}…"),
        (f"vs {low}-{high} a minute", f"{per_minute / high:.1f}x-{per_minute / low:.1f}x (goal {GOAL_FACTOR}x)"),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"{'figure':<{width}}  value")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    ok = overbooking == 0 and not errors and confirmed + waitlisted == len(booked)
    if args.json:
        figures = {
            "attempts": len(results),
            "confirmed": confirmed,
            "waitlisted": waitlisted,
            "errors": sum(errors.values()),
            "seconds": seconds,
            "bookings_per_second": per_second,
            "confirmed_per_second": confirmed_per_second,
            "post_p50_ms": percentile(latencies, 0.5) if latencies else None,
            "post_p95_ms": percentile(latencies, 0.95) if latencies else None,
            "cpu_ms_per_attempt": cpu_per_attempt,
            "overbooking": overbooking,
            "ok": ok,
            "users": args.users,
            "capacity": args.capacity,
            "clients": args.clients,
            "workers": args.workers,
            "threads": args.threads,
        }
        with open(args.json, "w") as out:
            json.dump(figures, out, indent=1)
    print()
    print(
        "no overbooking, no errors, every booking answered is in the database"
        if ok
        else "FAILED: see the figures above"
    )
    verdicts = [
        f"{GOAL_FACTOR * rate:,} a minute {'met' if per_minute >= GOAL_FACTOR * rate else 'NOT met'}"
        for rate in (low, high)
    ]
    print(f"goal of {GOAL_FACTOR}x the reference: {'; '.join(verdicts)}")
    return ok


def main():
    args = arguments()
    call_command("migrate", verbosity=0)
    users = people(args.users)
    session = rush_session(args.capacity)
    keys = logins(users)
    port = free_port()
    server_version = connection.cursor().connection.info.server_version
    print(
        f"Booking rush: {args.users:,} people, one session of {args.capacity:,} places, {args.clients} concurrent "
        f"clients; each loads the booking form (GET, for the CSRF token) and posts it.\n"
        f"Server: gunicorn, {args.workers} gthread workers of {args.threads} thread(s) on {HOST}:{port}, DEBUG=false; "
        f"PostgreSQL {server_version // 10000}.{server_version % 100}; {os.cpu_count()} CPU cores shared with "
        f"the clients.\nE-mail: Celery eager, so each booking's e-mail is written to the outbox and sent inside the "
        f"request, to the locmem backend (no network mail).\n"
    )
    with tempfile.TemporaryFile(mode="w+") as log:
        server = gunicorn_start(port, args, log)
        try:
            wait_until_answering(port, server)
            gunicorn_before, clients_before = cpu_seconds(gunicorn_pids(server)), time.process_time()
            results, started = rush(port, session, users, keys, args.clients)
            # PostgreSQL's figure is each connection's whole life, which is the rush
            # and the one warm-up request (connections live for 60 s).
            cpu = {
                "gunicorn": cpu_seconds(gunicorn_pids(server)) - gunicorn_before,
                "PostgreSQL": cpu_seconds(postgres_pids()),
                "clients": time.process_time() - clients_before,
            }
        except BaseException:
            log.seek(0)
            print(log.read()[-4000:], file=sys.stderr)
            raise
        finally:
            gunicorn_stop(server)
    LoginSession.objects.filter(session_key__in=keys.values()).delete()
    ok = report(args, session, results, started, cpu)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
