"""Where the project's parts live. Paths only: nothing here reads the environment or a file."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REPORTS_DIR = PROJECT_ROOT / "seeds" / "reports"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse" / "zhibiao.duckdb"
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
DEFAULT_DAGSTER_HOME = PROJECT_ROOT / ".dagster_home"
