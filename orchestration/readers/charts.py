"""One indicator across regions and periods, as a chart (`zhibiao chart`, and the `charts` asset).

Bars per region when the figures share one period, a line per region over periods otherwise;
values in the indicator's unit, title and axes in Chinese. The figures are the reconciled ones
(`marts.fact_indicator_reconciled`: one value per region and period, from the most authoritative
document).

- `.html`: interactive (plotly) and self-contained: plotly's JavaScript is embedded, nothing is
  loaded from the network.
- `.png` / `.svg`: drawn by matplotlib with Noto Sans CJK SC from the `mplfonts` package, so
  Chinese renders on a fresh machine whatever fonts it has.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from ..extraction.indicators import unit_family

CHART_SUFFIXES = (".html", ".png", ".svg")
CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
# Charts the `charts` asset draws after each build: the indicators analysts compare first.
HEADLINE_INDICATORS = ("urban_new_jobs", "registered_unemployment_rate", "unemployed_reemployed",
                       "employee_pension_insured", "unemployment_insured", "injury_insured")
# Regions a headline chart shows at most: a line per region stays readable, and drawing costs the
# same whether the warehouse holds five reports or ten thousand.
HEADLINE_REGIONS = 12


class NoFigures(LookupError):
    """The warehouse has no figures for the indicator (or the regions asked for)."""


@dataclass(frozen=True)
class ChartData:
    code: str | None
    name: str
    unit: str
    measure: str
    rows: list[tuple[str, str, float]]  # (region, period, value), periods in time order

    @property
    def periods(self) -> list[str]:
        return list(dict.fromkeys(period for _, period, _ in self.rows))

    @property
    def regions(self) -> list[str]:
        return list(dict.fromkeys(region for region, _, _ in self.rows))

    @property
    def one_figure_per_region(self) -> bool:
        """Each region has one figure (of one period or another): bars, not lines of one point."""
        return len(self.rows) == len(self.regions)

    @property
    def bar_labels(self) -> list[str]:
        """A bar's region, with its period when the bars are of different periods."""
        if len(self.periods) == 1:
            return self.regions
        return [f"{region} {period}" for region, period, _ in self.rows]

    @property
    def title(self) -> str:
        measure = MEASURE_NAMES.get(self.measure, self.measure)
        return f"{self.name}({measure},{self.unit})" if measure else f"{self.name}({self.unit})"

    def best_covered(self, count: int) -> ChartData:
        """The figures of the `count` regions with the most periods (ties: the larger latest value),
        so a chart of a warehouse of many regions stays readable and costs the same to draw."""
        if len(self.regions) <= count:
            return self
        periods: dict[str, int] = {}
        latest: dict[str, float] = {}
        for region, _, value in self.rows:
            periods[region] = periods.get(region, 0) + 1
            latest[region] = value
        kept = set(sorted(self.regions, key=lambda r: (-periods[r], -latest[r], r))[:count])
        return replace(self, rows=[row for row in self.rows if row[0] in kept])


MEASURE_NAMES = {"value": "", "change": "变化", "target": "目标", "completion": "完成进度", "share": "占比"}

CHART_SQL = """
with chosen as (
    select i.indicator_code, i.indicator_name, r.region_name, c.period_key, p.start_date, c.value, c.unit,
           -- a figure outside any program before one of a program; then the more common unit
           row_number() over (partition by c.region_key, c.period_key
                              order by (c.program_key = md5('(none)')) desc, c.unit) as rank_in_cell
    from marts.fact_indicator_reconciled c
    join marts.dim_indicator i using (indicator_key)
    join marts.dim_region r using (region_key)
    join marts.dim_period p using (period_key)
    where (i.indicator_code = $indicator or i.indicator_name = $indicator) and c.measure = $measure
      and c.period_key <> 'unknown'
      and (len($regions) = 0 or list_contains($regions, r.region_name))
)
select indicator_code, indicator_name, region_name, period_key, cast(value as double), unit
from chosen where rank_in_cell = 1
order by start_date, period_key, region_name
"""


def chart_data(con: duckdb.DuckDBPyConnection, indicator: str, measure: str = "value",
               regions: tuple[str, ...] = ()) -> ChartData:
    """The reconciled figures of `indicator` (a catalogue code or a Chinese name)."""
    rows = con.execute(CHART_SQL, {"indicator": indicator, "measure": measure, "regions": list(regions)}).fetchall()
    if not rows:
        where = f" in {', '.join(regions)}" if regions else ""
        raise NoFigures(f"no {measure} figures of {indicator}{where} in the warehouse")
    units = [row[5] for row in rows]
    unit = max(dict.fromkeys(units), key=units.count)  # one axis: the indicator's most common unit
    return ChartData(rows[0][0], rows[0][1], unit, measure,
                     [(region, period, value) for _, _, region, period, value, u in rows if u == unit])


def render(data: ChartData, out: Path, shared_script: bool = False) -> Path:
    """Draw `data` into `out`; the suffix (.html, .png, .svg) decides how. With `shared_script`, a
    page loads plotly.min.js from its own folder (written once beside it) instead of embedding it:
    still offline, without 4.8 MB in every page of a folder of charts."""
    out = Path(out)
    if out.suffix not in CHART_SUFFIXES:
        raise ValueError(f"{out.name}: a chart is written as {', '.join(CHART_SUFFIXES)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix == ".html":
        _render_html(data, out, shared_script)
    else:
        _render_image(data, out)
    return out


def _render_html(data: ChartData, out: Path, shared_script: bool) -> None:
    import plotly.graph_objects as go  # imported here: only charts need plotly

    figure = go.Figure()
    if data.one_figure_per_region:
        figure.add_bar(x=data.bar_labels, y=[v for _, _, v in data.rows], name=data.name)
        x_title = "地区"
    else:
        for region in data.regions:
            points = [(p, v) for r, p, v in data.rows if r == region]
            figure.add_scatter(x=[p for p, _ in points], y=[v for _, v in points], mode="lines+markers", name=region)
        x_title = "时期"
    figure.update_layout(title=data.title, xaxis_title=x_title, yaxis_title=data.unit, legend_title="地区")
    figure.update_xaxes(type="category")
    # include_plotlyjs=True embeds plotly.js in the page: it works offline, loads nothing.
    figure.write_html(out, include_plotlyjs="directory" if shared_script else True, full_html=True)


def cjk_font_path() -> Path:
    """Noto Sans CJK SC as the mplfonts package installs it."""
    import mplfonts  # imported here: only images need it

    found = next(Path(mplfonts.__file__).parent.rglob(CJK_FONT_FILE), None)
    if found is None:
        raise FileNotFoundError(f"{CJK_FONT_FILE} is missing from the mplfonts package")
    return found


def _render_image(data: ChartData, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display: draw to a file
    from matplotlib import font_manager, ticker
    from matplotlib import pyplot as plt

    font = cjk_font_path()
    font_manager.fontManager.addfont(str(font))
    family = font_manager.FontProperties(fname=str(font)).get_name()
    with plt.rc_context({"font.family": family, "axes.unicode_minus": False}):
        figure, axes = plt.subplots(figsize=(9, 5), dpi=120)
        if data.one_figure_per_region:
            axes.bar(data.bar_labels, [v for _, _, v in data.rows])
            axes.set_xlabel("地区")
            if len(data.rows) > 6:
                axes.tick_params(axis="x", labelrotation=30)
        else:
            for region in data.regions:
                points = [(data.periods.index(p), v) for r, p, v in data.rows if r == region]
                axes.plot([i for i, _ in points], [v for _, v in points], marker="o", label=region)
            axes.set_xticks(range(len(data.periods)), data.periods)
            axes.set_xlabel("时期")
            # Beside the plot, in as many columns as it takes: a legend never covers the lines.
            axes.legend(title="地区", loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small",
                        ncol=1 + len(data.regions) // 16)
        axes.set_title(data.title)
        axes.set_ylabel(data.unit)
        axes.yaxis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}" if unit_family(data.unit) != "rate"
                                                                  else "{x:,.2f}"))
        figure.tight_layout()
        figure.savefig(out)
        plt.close(figure)
