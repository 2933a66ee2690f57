"""Helpers the tests share: where things are, and running `zhibiao` as a user would."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEED_REPORTS = PROJECT_ROOT / "seeds" / "reports"
SHARED = PROJECT_ROOT.parent / "shared"
# The seeds' extraction floors (issue 26), by the project's scorer and by the shared one alike.
SEED_FLOORS = {"number_f1": 0.99, "fact_f1": 0.88}
# Figures tests measure (quality scores, the indicator mapper's precision), printed at the end of a run.
MEASURED: dict[str, str] = {}


def zhibiao(*args: str, env: dict[str, str] | None = None, check: bool = False,
            timeout: float = 900) -> subprocess.CompletedProcess:
    """Run the `zhibiao` command as a user would, in a fresh process."""
    return subprocess.run([sys.executable, "-m", "orchestration.app.cli", *args], cwd=PROJECT_ROOT,
                          env=env, capture_output=True, text=True, check=check, timeout=timeout)


def build_json(result: subprocess.CompletedProcess) -> dict:
    """The JSON summary `zhibiao build --json` prints as its last line of standard output."""
    lines = [ln for ln in result.stdout.splitlines() if ln.strip()]
    assert lines, f"no output; stderr:\n{result.stderr[-3000:]}"
    return json.loads(lines[-1])


def copy_seeds(target: Path, names: list[str] | None = None) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for p in sorted(SEED_REPORTS.glob("*.txt")):
        if names is None or p.name in names:
            shutil.copy(p, target / p.name)
    return target


def _postgres_tool(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))), None)
    assert found, f"{name} not found: PostgreSQL (the Debian package) is on every machine"
    return str(found)


def create_postgres_database(conninfo: str, name: str) -> str:
    """A new database on the server of `conninfo` (from local_postgres); its connection string."""
    host = dict(part.split("=", 1) for part in conninfo.split())["host"]
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*as_postgres, _postgres_tool("createdb"), "-h", host, name], check=True, capture_output=True)
    return conninfo.replace("dbname=zhibiao", f"dbname={name}")


@contextlib.contextmanager
def local_postgres() -> Iterator[str]:
    """A throwaway PostgreSQL server with a database `zhibiao`; yields its libpq connection string.

    initdb and pg_ctl run as the `postgres` user (initdb refuses root); the server listens on a
    socket in a temporary folder only, no TCP, and is stopped and removed when the block ends.
    """
    root = Path(tempfile.mkdtemp(prefix="zbpg-"))  # short: a socket's path has a length limit
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(root, "postgres")
    data, socket = root / "data", root / "socket"

    def run(*command: str) -> None:
        subprocess.run([*as_postgres, *command], check=True, capture_output=True, text=True)

    try:
        run(_postgres_tool("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-instructions")
        run("mkdir", str(socket))
        run(_postgres_tool("pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w", "start",
            "-o", f"-k {socket} -c listen_addresses=''")
        try:
            run(_postgres_tool("createdb"), "-h", str(socket), "zhibiao")
            yield f"dbname=zhibiao host={socket} user=postgres"
        finally:
            run(_postgres_tool("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def local_s3_server(bucket: str) -> Iterator[dict[str, str]]:
    """A throwaway S3-compatible server (moto's server mode) on 127.0.0.1 holding an empty `bucket`;
    yields the standard AWS environment that points at it. Stopped when the block ends."""
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(urllib.request.Request(f"{endpoint}/{bucket}", method="PUT"), timeout=5)
                break
            time.sleep(0.2)
        else:
            raise RuntimeError("the S3 stand-in did not start")
        # Distinctive credentials, so a test can tell they never reach an output or a log.
        yield {"AWS_ACCESS_KEY_ID": "AKIAZHIBIAOTESTKEY", "AWS_SECRET_ACCESS_KEY": "zhibiao-test-secret-4242",
               "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": endpoint}
    finally:
        server.terminate()
        server.wait(timeout=30)
