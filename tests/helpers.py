"""Helpers the tests share: where things are, and running `zhibiao` as a user would."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEED_REPORTS = PROJECT_ROOT / "seeds" / "reports"
SHARED = PROJECT_ROOT.parent / "shared"


def zhibiao(*args: str, env: dict[str, str] | None = None, check: bool = False,
            timeout: float = 900) -> subprocess.CompletedProcess:
    """Run the `zhibiao` command as a user would, in a fresh process."""
    return subprocess.run([sys.executable, "-m", "orchestration.cli", *args], cwd=PROJECT_ROOT,
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
