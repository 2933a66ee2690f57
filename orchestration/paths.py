"""Where the project's parts live. Paths only: nothing here reads the environment or a file."""

import errno
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REPORTS_DIR = PROJECT_ROOT / "seeds" / "reports"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse" / "zhibiao.duckdb"
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
DEFAULT_DAGSTER_HOME = PROJECT_ROOT / ".dagster_home"


def resolved(path: str | Path) -> Path:
    """`path` made absolute with its symbolic links followed; a loop of links is an OSError (ELOOP)
    that names the path, not the RuntimeError Python 3.11 raises."""
    try:
        return Path(path).expanduser().resolve()
    except RuntimeError:
        raise OSError(errno.ELOOP, "a loop of symbolic links", str(path)) from None
