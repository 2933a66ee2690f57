"""zhibiao's Dagster code location: report folder → raw tables → dbt marts → charts, with checks."""

import dagster as dg

from .defs.automation import build_warehouse_job, daily_refresh, report_folder_sensor
from .defs.chart_assets import indicator_charts
from .defs.checks import CHECKS
from .defs.dbt_models import warehouse_models
from .defs.raw_assets import raw_reports
from .defs.resources import default_resources

defs = dg.Definitions(
    assets=[raw_reports, warehouse_models, indicator_charts],
    asset_checks=CHECKS,
    jobs=[build_warehouse_job],
    schedules=[daily_refresh],
    sensors=[report_folder_sensor],
    resources=default_resources(),
)
