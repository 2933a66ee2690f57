"""Keep a stale compiled extraction library from running.

`uv sync` compiles `orchestration/extraction` with mypyc into extension modules beside the sources
(hatch_build.py), and Python imports an extension module before a source file of the same name. A
source edited since the last install would then be ignored without a word, and the old rules would
run. So when a source is newer than the compiled modules, the package is imported from its sources
(same results, slower) and a warning says how to recompile. `uv run` recompiles by itself: its
cache keys include these sources (pyproject.toml).
"""

from __future__ import annotations

import importlib.machinery
import sys
import warnings
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

COMPILED_PACKAGE = "orchestration.extraction"
PACKAGE_DIR = Path(__file__).resolve().parent / "extraction"


def stale_sources() -> list[Path]:
    """The sources edited after their package was compiled; empty when it is not compiled at all."""
    compiled = [p.stat().st_mtime for p in PACKAGE_DIR.rglob("*.so")]
    if not compiled:
        return []
    built = min(compiled)
    return sorted(p for p in PACKAGE_DIR.rglob("*.py") if p.stat().st_mtime > built)


class SourcesFirst:
    """A meta-path finder that finds the compiled package's modules as source files only."""

    def find_spec(self, name: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if name != COMPILED_PACKAGE and not name.startswith(COMPILED_PACKAGE + "."):
            return None
        sources_only = (importlib.machinery.SourceFileLoader, importlib.machinery.SOURCE_SUFFIXES)
        for folder in path or ():
            spec = importlib.machinery.FileFinder(folder, sources_only).find_spec(name)
            if spec is not None:
                return spec
        return None


def import_sources_when_stale() -> None:
    stale = stale_sources()
    if stale and not any(isinstance(f, SourcesFirst) for f in sys.meta_path):
        sys.meta_path.insert(0, SourcesFirst())
        warnings.warn(f"{stale[0].relative_to(PACKAGE_DIR.parent.parent)} is newer than the compiled extraction "
                      "library: running it from its sources (slower). `uv sync` compiles it again.", stacklevel=2)
