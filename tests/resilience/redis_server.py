"""A Redis server of the test's own (Debian's redis-server), on a free loopback
port with its data in a temporary folder and nothing saved to disk, so a test
can stop and start it as an operator restarting Redis would. The system Redis
(6379) is never touched."""

import contextlib
import shutil
import subprocess
import time

import redis

from tests.stripe_server import free_port


class RedisServer:
    def __init__(self, folder):
        self.folder, self.port, self.process = folder, free_port(), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_connect_timeout=1)

    def start(self):
        command = [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.folder), "--logfile", ""]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
                return
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.05)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def restart(self, down_for: float = 1.0):
        """Stop the server (its queues are lost: nothing is saved), leave it
        down for `down_for` seconds, and start it again on the same port."""
        self.stop()
        time.sleep(down_for)
        self.start()


def redis_server_installed() -> bool:
    return shutil.which("redis-server") is not None


@contextlib.contextmanager
def redis_server(folder):
    server = RedisServer(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()
