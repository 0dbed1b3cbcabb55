"""A worker that ends must not take the web server down with it. honcho, which
runs the Procfiles (`make run`, and production on one host), stops every
process as soon as one ends, so the background processes there run through
deploy/keep-running, which starts them again; systemd and compose restart them
themselves."""

import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEEP_RUNNING = ROOT / "deploy" / "keep-running"


def _procfile(name):
    entries = {}
    for line in (ROOT / name).read_text().splitlines():
        if match := re.match(r"^([A-Za-z0-9_-]+):\s*(.+)$", line):
            entries[match[1]] = match[2]
    return entries


@pytest.mark.parametrize(
    ("procfile", "background"), [("Procfile", ["worker", "beat"]), ("Procfile.dev", ["worker"])]
)
def test_the_procfiles_start_the_worker_again_when_it_ends(procfile, background):
    entries = _procfile(procfile)

    for name in background:
        assert entries[name].startswith("deploy/keep-running "), f"{procfile}: {name} is not kept running"


def test_under_honcho_a_worker_that_dies_is_started_again_and_the_web_stays_up(tmp_path):
    (tmp_path / "Procfile").write_text(
        "web: sleep 60\n"
        f"worker: {KEEP_RUNNING} sh -c 'echo worker started; exit 1'\n"
    )
    honcho = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "honcho"), "-f", str(tmp_path / "Procfile"), "start"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        time.sleep(8)  # the worker ends at once, and again 5 seconds later
        still_running = honcho.poll() is None
    finally:
        honcho.send_signal(signal.SIGTERM)
        output, _ = honcho.communicate(timeout=30)

    assert still_running, f"honcho stopped everything when the worker ended:\n{output}"
    assert output.count("worker started") >= 2, output
    assert "ended (exit status 1); starting it again" in output


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not Path("/proc").is_dir() or not shutil.which("setsid"), reason="needs /proc and setsid")
def test_what_a_worker_killed_outright_leaves_running_is_ended_before_it_starts_again(tmp_path):
    """`celery worker --beat` runs beat as a child that ignores SIGTERM; when the
    worker is killed outright, that child must not live on as a second scheduler."""
    child_file = tmp_path / "child.pid"
    command = f"trap '' TERM; (trap '' TERM; exec sleep 300) & echo $! > {child_file}; kill -9 $$"
    keeper = subprocess.Popen([str(KEEP_RUNNING), "sh", "-c", command], start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not child_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        child = int(child_file.read_text())
        time.sleep(1)  # the command has been killed; keep-running has cleared up after it
        left_running = _alive(child)
    finally:
        keeper.send_signal(signal.SIGTERM)
        keeper.wait(timeout=30)
        if child_file.exists() and _alive(int(child_file.read_text())):
            subprocess.run(["kill", "-9", child_file.read_text().strip()], check=False)

    assert not left_running
