"""zhibiao: Chinese human-resources reports into a DuckDB star schema."""

from orchestration.compiled import import_sources_when_stale

import_sources_when_stale()
