"""Write the raw tables' columns into the dbt sources file from their one definition.

    uv run python scripts/write_raw_sources.py

`orchestration/warehouse/raw_schema.py` defines every raw column once and `orchestration/lib/freshness.py` the
freshness rule; this rewrites document_sources' `freshness:` and the `columns:` of each table in
`dbt_project/models/staging/_raw__sources.yml` (names and descriptions, keeping the data tests
written there) and leaves the rest of the file as it is. `tests/test_schema.py` fails when the file
and the definition differ.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from orchestration.lib.freshness import dbt_source_freshness
from orchestration.warehouse.raw_schema import RAW_COLUMNS

SOURCES = Path(__file__).resolve().parent.parent / "dbt_project" / "models" / "staging" / "_raw__sources.yml"


def with_columns(sources: dict) -> dict:
    """The sources document with every raw table's columns taken from `RAW_COLUMNS`."""
    (raw,) = [s for s in sources["sources"] if s["name"] == "raw"]
    # Fresh means scanned lately, whether or not a report changed: the rule is on the scan time of
    # document_sources (as in the `raw_reports_fresh` check), not on when content was loaded.
    raw.pop("config", None)
    for table in raw["tables"]:
        if table["name"] == "document_sources":
            table["config"] = {"loaded_at_field": "last_seen_at", "freshness": dbt_source_freshness()}
        tests = {c["name"]: c["data_tests"] for c in table.get("columns", []) if "data_tests" in c}
        table["columns"] = [
            {"name": c.name, "description": c.description, **({"data_tests": tests[c.name]} if c.name in tests else {})}
            for c in RAW_COLUMNS[table["name"]]
        ]
    return sources


def main() -> int:
    sources = with_columns(yaml.safe_load(SOURCES.read_text(encoding="utf-8")))
    SOURCES.write_text(yaml.safe_dump(sources, sort_keys=False, allow_unicode=True, width=110), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
