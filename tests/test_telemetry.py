"""Nothing leaves the machine: `zhibiao build` and `zhibiao ui` with Dagster's telemetry address
pointed at a local stand-in server post nothing to it and move or delete no log."""

import contextlib
import http.server
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from helpers import PROJECT_ROOT, copy_seeds, zhibiao
from test_ui import free_port, graphql


class RecordingHandler(http.server.BaseHTTPRequestHandler):
    """Records every request it is sent, whatever the method, and answers 200 as Dagster's server would."""

    received: list[str] = []

    def _record(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        self.received.append(f"{self.command} {self.path} {len(self.rfile.read(length))} bytes")
        self.send_response(200)
        self.end_headers()

    do_GET = do_POST = do_PUT = _record

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def stand_in_telemetry_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RecordingHandler)
    RecordingHandler.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/actions", RecordingHandler.received
    finally:
        server.shutdown()
        server.server_close()


def test_build_and_ui_post_nothing_and_keep_every_log(tmp_path, dagster_env):
    home = tmp_path / "dagster_home"
    with stand_in_telemetry_server() as (url, received):
        env = {k: v for k, v in dagster_env.items() if k not in ("DAGSTER_DISABLE_TELEMETRY", "DO_NOT_TRACK")}
        env.update(DAGSTER_HOME=str(home), DAGSTER_TELEMETRY_URL=url)
        reports = copy_seeds(tmp_path / "reports", ["002_0ff12cf94d2db451.txt"])
        warehouse = tmp_path / "zhibiao.duckdb"
        build = zhibiao("build", "--reports", str(reports), "--warehouse", str(warehouse), env=env)
        assert build.returncode == 0, build.stderr[-3000:]
        log = Path(re.search(r"full log: (\S+?)\)", build.stderr).group(1))
        log_size = log.stat().st_size
        assert log_size > 0
        # What Dagster's own telemetry would leave for its uploader: it must stay where it is.
        (home / "logs").mkdir(exist_ok=True)
        canary = home / "logs" / "event.log"
        canary.write_text('{"action": "canary"}\n' * 100)

        port = free_port()
        ui_log = tmp_path / "ui.log"
        with ui_log.open("w") as log_file:
            ui = subprocess.Popen([sys.executable, "-m", "orchestration.app.cli", "ui", "--warehouse",
                                   str(warehouse), "-h", "127.0.0.1", "-p", str(port)], cwd=PROJECT_ROOT, env=env,
                                  stdout=log_file, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 180
            served = False
            while time.monotonic() < deadline and not served:
                with contextlib.suppress(OSError):
                    served = bool(graphql(port, "{ version }").get("data"))
                time.sleep(2)
            assert served, "the UI did not start within 180 s"
            # The uploader's first pass runs as the webserver and the daemon start; give both time.
            time.sleep(15)
        finally:
            ui.send_signal(signal.SIGTERM)
            ui.wait(timeout=60)
        # Stopped as asked: no abort, and no warning about a command the user did not choose.
        assert ui.returncode == 0
        shown = ui_log.read_text(errors="replace")
        assert "Aborted!" not in shown and "Warning" not in shown, shown[-3000:]
        assert received == []
        assert log.stat().st_size == log_size and canary.exists()
        assert not (home / ".logs_queue").exists() or not os.listdir(home / ".logs_queue")
