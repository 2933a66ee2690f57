"""The UI starts from workspace.yaml and lists the asset graph (asked through its GraphQL API)."""

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from helpers import PROJECT_ROOT

QUERY = "{ assetNodes { assetKey { path } hasAssetChecks } }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_webserver_lists_assets(dagster_env):
    port = free_port()
    webserver = shutil.which("dagster-webserver") or str(Path(sys.executable).with_name("dagster-webserver"))
    process = subprocess.Popen([webserver, "-w", str(PROJECT_ROOT / "workspace.yaml"), "-h", "127.0.0.1",
                                "-p", str(port)], cwd=PROJECT_ROOT, env=dagster_env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180
        nodes = None
        while time.monotonic() < deadline:
            try:
                data = graphql(port, QUERY)
                nodes = data.get("data", {}).get("assetNodes")
                if nodes:
                    break
            except OSError:
                pass
            time.sleep(2)
        assert nodes, "the webserver did not serve the asset graph within 180 s"
        keys = {"/".join(n["assetKey"]["path"]) for n in nodes}
        assert {"raw/facts", "marts/fact_indicator", "marts/dim_region", "staging/stg_raw__facts"} <= keys
        assert any(n["hasAssetChecks"] for n in nodes if n["assetKey"]["path"] == ["marts", "fact_indicator"])
    finally:
        process.terminate()
        process.wait(timeout=30)
