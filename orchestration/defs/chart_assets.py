"""The charts of the catalogue's headline indicators, drawn after each build into the warehouse's own
charts folder (warehouse/charts/zhibiao.duckdb/ for the default warehouse)."""

import base64

import dagster as dg

from ..lib.console import say
from ..readers.charts import HEADLINE_INDICATORS, HEADLINE_REGIONS, NoFigures, chart_data, render
from ..warehouse.backends import connect
from .resources import Warehouse


@dg.asset(
    key=["reports", "indicator_charts"],
    deps=[dg.AssetKey(["marts", "fact_indicator_reconciled"])],
    group_name="reports",
    kinds={"python", "plotly"},
    description="Charts of the headline indicators across regions and periods (the "
                f"{HEADLINE_REGIONS} regions with the most periods): an interactive page (.html, works offline) "
                "and a picture (.png) each, in the warehouse's charts folder (charts/<warehouse file>/ beside it).",
)
def indicator_charts(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    out_dir = warehouse.address.charts_folder
    say(f"charts: drawing the headline indicators into {out_dir}")
    figures = {}
    with connect(warehouse.address, read_only=True) as con:
        for code in HEADLINE_INDICATORS:
            try:
                figures[code] = chart_data(con, code).best_covered(HEADLINE_REGIONS)
            except NoFigures as missing:
                context.log.info(str(missing))
    metadata: dict[str, dg.MetadataValue] = {}
    for code, data in figures.items():
        page = render(data, out_dir / f"{code}.html", shared_script=True)
        picture = render(data, out_dir / f"{code}.png")
        metadata[code] = dg.MetadataValue.path(str(page))
        # The picture itself, so the UI shows it next to the lineage.
        encoded = base64.b64encode(picture.read_bytes()).decode()
        metadata[f"{code}_preview"] = dg.MetadataValue.md(f"![{data.name}](data:image/png;base64,{encoded})")
    metadata["charts_drawn"] = dg.MetadataValue.int(len(figures))
    return dg.MaterializeResult(metadata=metadata)
