"""Support code for the Dagster definitions, as in dagster-open-platform's lib/: column lineage, asset
metadata, freshness policies, run concurrency, console output. May import readers/ and below."""
