"""zhibiao: Chinese human-resources reports into a DuckDB star schema.

The package is in layers, each a folder; a module imports only its own layer and those below it
(tests/test_layers.py checks it), lowest first:

    paths, compiled   where things are; the compiled extraction library's guard
    extraction/       text → facts: a pure library (no Dagster, no DuckDB, no other layer)
    warehouse/        addresses, connections, DuckLake, the raw schema, history, build inputs
    ingest/           report folders: scan, decode, extract in workers, the raw write model
    readers/          what reads the marts: SQL, facts export, charts, the docs site
    lib/              Dagster support: lineage, asset metadata, freshness, run concurrency, console
    defs/             Dagster definitions only (definitions.py gathers them)
    app/              the `zhibiao` command: build, ui, environment
"""

from orchestration.compiled import import_sources_when_stale

import_sources_when_stale()
