"""Every mart as a Parquet file, for notebooks, spreadsheets and BI tools (`zhibiao export DIR`).

The warehouse is read once, read-only, and closed before anything is written: whoever reads the
export never touches the warehouse or its lock. The dbt descriptions (kept as DuckDB comments by
`persist_docs`) travel with the data: each column's description is Arrow field metadata and the
table's is schema metadata, which Parquet keeps in the file's Arrow schema.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..warehouse.address import as_address
from ..warehouse.backends import connect
from ..warehouse.connection import AddressLike

MARTS_SCHEMA = "marts"


def _described(table: pa.Table, description: str | None, columns: dict[str, str]) -> pa.Table:
    fields = [field.with_metadata({b"description": columns[field.name].strip().encode()}) if columns.get(field.name)
              else field for field in table.schema]
    metadata = {b"description": description.strip().encode()} if description else None
    return table.cast(pa.schema(fields, metadata=metadata))


def export_marts(warehouse: AddressLike, out_dir: Path) -> dict[str, int]:
    """Write `out_dir/<table>.parquet` for every table of the marts schema; their row counts."""
    tables: dict[str, tuple[pa.Table, str | None, dict[str, str]]] = {}
    with connect(warehouse, read_only=True) as con:
        names = con.execute(
            "select table_name, comment from duckdb_tables() "
            "where database_name = current_database() and schema_name = ? order by table_name",
            [MARTS_SCHEMA]).fetchall()
        for name, comment in names:
            columns = dict(con.execute(
                "select column_name, comment from duckdb_columns() "
                "where database_name = current_database() and schema_name = ? and table_name = ?",
                [MARTS_SCHEMA, name]).fetchall())
            tables[name] = (con.sql(f'select * from {MARTS_SCHEMA}."{name}"').to_arrow_table(), comment, columns)
    if not tables:
        raise FileNotFoundError(f"warehouse {as_address(warehouse).label} has no marts yet: run `zhibiao build` first")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, (table, comment, columns) in tables.items():
        target = out_dir / f"{name}.parquet"
        partial = target.with_suffix(".parquet.partial")
        pq.write_table(_described(table, comment, columns), partial)
        partial.replace(target)  # a reader never sees half a file
        counts[name] = table.num_rows
    return counts
