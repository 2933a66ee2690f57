"""The extraction library runs compiled when installed, and never stale: a source edited after the
build is imported from its source instead, with a warning."""

import os
import shutil
import subprocess
import sys
import time

import pytest
from helpers import PROJECT_ROOT

from orchestration.compiled import PACKAGE_DIR

COMPILED = sorted(PACKAGE_DIR.rglob("*.so"))
WHERE_FROM = ("import orchestration.extraction as e, orchestration.extraction.numbers as n; "
              "print(e.__file__); print(n.__file__); "
              "print(e.extract_document('贵州省2021年就业情况\\n全省城镇新增就业30万人。').facts[0].value)")
needs_compiled = pytest.mark.skipif(not COMPILED, reason="installed uncompiled (HATCH_BUILD_NO_HOOKS)")


def _import_from_copy(tmp_path, edit=None):
    copy = tmp_path / "orchestration"
    shutil.copytree(PROJECT_ROOT / "orchestration", copy, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "seeds").symlink_to(PROJECT_ROOT / "seeds")  # the reference data, found beside the package
    for shared in PROJECT_ROOT.glob("*__mypyc.*.so"):
        shutil.copy2(shared, tmp_path / shared.name)
    if edit:
        later = time.time() + 5
        os.utime(copy / edit, (later, later))
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, "-c", WHERE_FROM], capture_output=True, text=True, env=env,
                          cwd=tmp_path, check=True)
    return done.stdout.split(), done.stderr


@needs_compiled
def test_installed_extraction_is_compiled(tmp_path):
    (package, numbers, value), stderr = _import_from_copy(tmp_path)
    assert package.endswith(".so") and numbers.endswith(".so")
    assert value == "300000"
    assert "newer than the compiled" not in stderr


@needs_compiled
def test_a_source_edited_after_the_build_runs_as_source(tmp_path):
    (package, numbers, value), stderr = _import_from_copy(tmp_path, edit="extraction/numbers.py")
    assert package.endswith("extraction/__init__.py") and numbers.endswith("extraction/numbers.py")
    assert value == "300000"
    assert "orchestration/extraction/numbers.py is newer than the compiled extraction library" in stderr


@pytest.mark.skipif(shutil.which("uv") is None, reason="run without uv")
def test_uv_run_starts_without_recompiling_the_environment():
    """`uv run` compiled every installed package again at each call with `compile-bytecode` in
    pyproject.toml (astral-sh/uv#12202): bytecode is written once, by `uv sync --compile-bytecode`."""
    done = subprocess.run(["uv", "run", "--frozen", "python", "-c", "pass"], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, check=True)
    assert "Bytecode compiled" not in done.stderr
