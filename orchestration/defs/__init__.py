"""Dagster definitions, grouped by what they do: ingest, dbt models, checks, automation."""
