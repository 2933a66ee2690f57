"""Where the project's parts live. Paths only: nothing here reads the environment or a file."""

import errno
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REPORTS_DIR = PROJECT_ROOT / "seeds" / "reports"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse" / "zhibiao.duckdb"
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
# One Dagster instance per warehouse, in a folder of its own under this root (app/environment.py),
# unless DAGSTER_HOME names one instance for everything.
DEFAULT_INSTANCES_ROOT = PROJECT_ROOT / ".dagster_home"


def resolved(path: str | Path) -> Path:
    """`path` made absolute with its symbolic links followed; a loop of links is an OSError (ELOOP)
    that names the path, not the RuntimeError Python 3.11 raises."""
    try:
        return Path(path).expanduser().resolve()
    except RuntimeError:
        raise OSError(errno.ELOOP, "a loop of symbolic links", str(path)) from None
