"""Dagster definitions only (assets, checks, jobs, schedules, sensors, resources), thin: the work
they do lives in the layers below. May import lib/, readers/, ingest/, warehouse/, extraction/."""
