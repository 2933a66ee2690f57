"""How fresh the warehouse must be, stated once.

The daily schedule scans the report folder every 24 hours, so data older than 26 hours means a
scan was missed (warn) and older than 36 hours that a day and a half passed without one (fail).
The raw assets' freshness policies, the `raw_reports_fresh` check, the marts' policies and dbt's
source freshness (`_raw__sources.yml`, written by `scripts/write_raw_sources.py`) all read these.
"""

from datetime import timedelta

WARN_AFTER = timedelta(hours=26)
FAIL_AFTER = timedelta(hours=36)
# Intermediate tables are rebuilt with the marts; only a day's extra slack before they fail.
INTERMEDIATE_FAIL_AFTER = FAIL_AFTER + timedelta(hours=12)


def dbt_source_freshness() -> dict[str, dict[str, int | str]]:
    """The same rule in dbt's `freshness:` shape."""
    return {"warn_after": {"count": int(WARN_AFTER.total_seconds() // 3600), "period": "hour"},
            "error_after": {"count": int(FAIL_AFTER.total_seconds() // 3600), "period": "hour"}}
