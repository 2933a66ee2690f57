"""Build hook: compile the extraction library with mypyc, in place.

`uv sync` installs zhibiao editable: site-packages points at this checkout, so the compiled modules
must sit beside their sources (Python imports an extension module before a source file of the same
name), and so must the library they share: mypyc locates the compiled packages from that library's
own folder. hatch-mypyc copies the shared library into site-packages, away from the packages, which
breaks an editable install; hence this hook, which runs mypyc's own command line in the checkout.

A wheel (`uv build`) carries the compiled modules and the shared library as well. A source edited
after the build is imported as source instead (`orchestration/compiled.py`).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

COMPILED_PACKAGE = "orchestration/extraction"
SHARED_LIBRARY = "*__mypyc.*.so"  # the code of every compiled module, imported by each


class CompileExtraction(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        for old in [*(root / COMPILED_PACKAGE).rglob("*.so"), *root.glob(SHARED_LIBRARY)]:
            old.unlink()
        # Compiled in a copy: mypyc builds with setuptools, which refuses a folder whose pyproject.toml
        # it does not understand.
        with tempfile.TemporaryDirectory() as scratch:
            work = Path(scratch)
            shutil.copytree(root / COMPILED_PACKAGE, work / COMPILED_PACKAGE,
                            ignore=shutil.ignore_patterns("__pycache__"))
            shutil.copy2(root / "orchestration" / "__init__.py", work / "orchestration" / "__init__.py")
            sources = sorted(p.relative_to(work).as_posix() for p in (work / COMPILED_PACKAGE).rglob("*.py"))
            done = subprocess.run([sys.executable, "-m", "mypyc", "--ignore-missing-imports", *sources], cwd=work,
                                  capture_output=True, text=True)
            if done.returncode:
                raise RuntimeError(f"mypyc could not compile {COMPILED_PACKAGE} (HATCH_BUILD_NO_HOOKS=true installs "
                                   f"it uncompiled):\n{done.stdout}{done.stderr}")
            for built in [*(work / COMPILED_PACKAGE).rglob("*.so"), *work.glob(SHARED_LIBRARY)]:
                shutil.copy2(built, root / built.relative_to(work))
        if version == "standard":
            build_data["pure_python"] = False
            build_data["infer_tag"] = True
            build_data["artifacts"].append(f"/{COMPILED_PACKAGE}/**/*.so")
            for shared in root.glob(SHARED_LIBRARY):
                build_data["force_include"][str(shared)] = shared.name
