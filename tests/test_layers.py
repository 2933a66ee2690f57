"""The package's layers (orchestration/__init__.py): no module imports a layer above its own."""

import ast
from pathlib import Path

import pytest
from helpers import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "orchestration"
# Lowest first; a module at the package's top level other than these is in the layer named here.
LAYERS = ["", "extraction", "warehouse", "ingest", "readers", "lib", "defs", "app"]
TOP_LEVEL = {"paths": "", "compiled": "", "__init__": "", "definitions": "defs"}


def layer_of(module: list[str]) -> str:
    """The layer of a module named by its path inside the package (["warehouse", "lake"])."""
    return module[0] if module[0] in LAYERS else TOP_LEVEL[module[0]]


def imported_modules(path: Path) -> list[list[str]]:
    """Every zhibiao module `path` imports, lazily or not, as a path inside the package."""
    own = list(path.relative_to(PACKAGE).with_suffix("").parts)
    package = own[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1] + (node.module or "").split(".")
            elif (node.module or "").startswith("orchestration."):
                base = node.module.split(".")[1:]
            else:
                continue
            base = [part for part in base if part]
            if node.module is None:  # from . import lake
                found.extend(base + [alias.name] for alias in node.names)
            else:
                found.append(base)
        elif isinstance(node, ast.Import):
            found.extend(alias.name.split(".")[1:] for alias in node.names if alias.name.startswith("orchestration."))
    return [m for m in found if m]


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_a_layer_above_its_own(path):
    own = layer_of(list(path.relative_to(PACKAGE).with_suffix("").parts))
    above = [".".join(m) for m in imported_modules(path) if LAYERS.index(layer_of(m)) > LAYERS.index(own)]
    assert above == [], f"{path.relative_to(PACKAGE)} ({own or 'top level'}) imports a higher layer"


def test_every_folder_is_a_layer_that_says_what_it_may_import():
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert folders == set(LAYERS) - {""}
    for folder in folders:
        doc = ast.get_docstring(ast.parse((PACKAGE / folder / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "import" in doc, folder


# Libraries a layer may not use: the lower layers run without Dagster (the extraction library is
# benchmarked on its own and in worker processes), and extraction touches no database either.
FORBIDDEN = {"extraction": {"dagster", "dagster_dbt", "duckdb", "dbt"}, "warehouse": {"dagster", "dagster_dbt"},
             "ingest": {"dagster", "dagster_dbt"}, "readers": {"dagster", "dagster_dbt"}}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_lower_layers_use_no_orchestrator(path):
    forbidden = FORBIDDEN.get(layer_of(list(path.relative_to(PACKAGE).with_suffix("").parts)), set())
    used = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            used.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            used.add(node.module.split(".")[0])
    assert not used & forbidden, f"{path.relative_to(PACKAGE)} uses {sorted(used & forbidden)}"


# The address parser names where a warehouse's catalog is, backends.py acts on it (its factory is the one
# place that tells a file from a lake) and lake.py attaches a lake by its catalog's kind.
KNOWS_THE_BACKEND = {"warehouse/address.py", "warehouse/backends.py", "warehouse/lake.py"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_outside_the_backends_no_code_asks_which_backend_it_has(path):
    if str(path.relative_to(PACKAGE)) in KNOWS_THE_BACKEND:
        return
    asks = [node.lineno for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Attribute) and node.attr in ("catalog", "is_lake")]
    assert asks == [], f"{path.relative_to(PACKAGE)} asks which backend it has on lines {asks}"
