"""dbt's documentation site for the warehouse (`zhibiao docs`): `dbt docs generate` against the real
warehouse file, so the catalog has the columns the tables really have, plus their row counts.

The site is written to a folder, or served on 127.0.0.1 from a temporary one. Its index.html is
one self-contained page, the manifest and the catalog inlined as `dbt docs generate --static` does
it, so it also opens from disk: browsers refuse the page's fetch of manifest.json from `file://`,
and dbt's plain index.html then shows nothing. manifest.json and catalog.json stay beside it for
tools that read them.
"""

from __future__ import annotations

import functools
import json
import shutil
import tempfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..paths import DBT_PROJECT_DIR
from ..warehouse.address import as_address
from ..warehouse.backends import connect, dbt_environment
from ..warehouse.connection import AddressLike
from .model_lineage import column_sources, warehouse_schemas

SITE_FILES = ("manifest.json", "catalog.json")
# Where dbt's docs page template takes its data inline (dbt/task/docs/generate.py, --static).
INLINE_MANIFEST = '"MANIFEST.JSON INLINE DATA"'
INLINE_CATALOG = '"CATALOG.JSON INLINE DATA"'


class DocsFailed(RuntimeError):
    pass


def generate_docs(warehouse: AddressLike, out_dir: Path) -> Path:
    """Write the site for `warehouse` into `out_dir`; returns out_dir."""
    warehouse = as_address(warehouse)
    if not warehouse.exists():
        raise FileNotFoundError(f"warehouse {warehouse.label} does not exist yet: run `zhibiao build` first")
    from dbt.cli.main import dbtRunner  # imported here: dbt takes seconds to import

    # Counted first: dbt keeps its own connection to the file open once it has run.
    row_counts = _row_counts(warehouse)
    with connect(warehouse, read_only=True) as con:
        schemas = warehouse_schemas(con)
    with tempfile.TemporaryDirectory(prefix="zhibiao-docs-") as scratch:
        target = Path(scratch) / "target"
        with dbt_environment(warehouse):
            result = dbtRunner().invoke([
                "--quiet", "--no-send-anonymous-usage-stats", "docs", "generate",
                "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
                "--target-path", str(target), "--log-path", scratch,
            ])
        if not result.success:
            raise DocsFailed(f"dbt docs generate failed: {result.exception or 'see the messages above'}")
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in SITE_FILES:
            shutil.copyfile(target / name, out_dir / name)
        _add_column_lineage(out_dir / "manifest.json", target, schemas)
    _add_row_counts(out_dir / "catalog.json", row_counts)
    _write_static_page(out_dir)
    return out_dir


def _write_static_page(site: Path) -> None:
    """index.html with the site's manifest and catalog inline, as dbt's --static writes it. Not dbt's
    own static page: that one inlines the catalog before the row counts are added to it."""
    from dbt.task.docs import DOCS_INDEX_FILE_PATH

    page = Path(DOCS_INDEX_FILE_PATH).read_text(encoding="utf-8")
    if INLINE_MANIFEST not in page or INLINE_CATALOG not in page:
        raise DocsFailed(f"dbt's docs page {DOCS_INDEX_FILE_PATH} has no place for inline data")
    page = page.replace(INLINE_MANIFEST, (site / "manifest.json").read_text(encoding="utf-8"))
    page = page.replace(INLINE_CATALOG, (site / "catalog.json").read_text(encoding="utf-8"))
    (site / "index.html").write_text(page, encoding="utf-8")


def _add_column_lineage(manifest_path: Path, target: Path, schemas: dict) -> None:
    """Under each model column's description, the upstream columns it is computed from (from the SQL
    dbt compiled into `target`): dbt's docs draw lineage between models, not between columns."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for uid, by_column in column_sources(manifest, target, schemas).items():
        columns = manifest["nodes"][uid].get("columns", {})
        for column, upstream in by_column.items():
            if column in columns:
                computed_from = ", ".join(f"`{schema}.{table}.{name}`" for schema, table, name in upstream)
                description = (columns[column].get("description") or "").rstrip()
                columns[column]["description"] = f"{description}\n\nComputed from: {computed_from}".strip()
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def _row_counts(warehouse: AddressLike) -> dict[tuple[str, str], int]:
    """Rows of every table (not view: counting one would run its query)."""
    with connect(warehouse, read_only=True) as con:
        tables = con.execute("select schema_name, table_name from duckdb_tables() "
                             "where database_name = current_database()").fetchall()
        return {(schema, name): con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0]
                for schema, name in tables}


def _add_row_counts(catalog_path: Path, row_counts: dict[tuple[str, str], int]) -> None:
    """dbt-duckdb's catalog has no table statistics: add each table's row count as dbt's docs show them."""
    catalog = json.loads(catalog_path.read_text(encoding="utf-8"))
    for node in [*catalog.get("nodes", {}).values(), *catalog.get("sources", {}).values()]:
        meta = node.get("metadata", {})
        rows = row_counts.get((meta.get("schema"), meta.get("name")))
        if rows is None:
            continue
        node["stats"] = {
            "row_count": {"id": "row_count", "label": "Row count", "value": rows, "include": True,
                          "description": "Rows in the table when the docs were generated."},
            "has_stats": {"id": "has_stats", "label": "Has stats?", "value": True, "include": False,
                          "description": "Indicates whether there are statistics for this table"},
        }
    catalog_path.write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")


def serve_docs(site: Path, port: int) -> None:
    """Serve the site on 127.0.0.1 until interrupted."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(site))
    with ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"zhibiao: dbt docs on http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
