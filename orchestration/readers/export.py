"""The public shape of a fact: exactly the fields of GOLD_SCHEMA.md, in its order; and the current
facts of a warehouse in that shape (`zhibiao facts`)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Protocol

from ..warehouse.backends import connect

GOLD_FIELDS = ("doc", "offset", "number_text", "quote", "indicator", "value", "unit", "measure",
               "basis", "region", "period", "program")


class FactLike(Protocol):
    offset: int
    number_text: str
    quote: str
    indicator: str
    value: Decimal
    unit: str
    measure: str
    basis: str | None
    region: str
    period: str | None
    program: str | None


def json_number(value: Decimal | float | int) -> int | float:
    """A base-unit value as JSON: integral values as integers, others as the shortest float."""
    d = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if d == d.to_integral_value():
        return int(d)
    return float(d.normalize())


def fact_record(doc: str, fact: FactLike) -> dict[str, Any]:
    return {
        "doc": doc,
        "offset": fact.offset,
        "number_text": fact.number_text,
        "quote": fact.quote,
        "indicator": fact.indicator,
        "value": json_number(fact.value),
        "unit": fact.unit,
        "measure": fact.measure,
        "basis": fact.basis,
        "region": fact.region,
        "period": fact.period,
        "program": fact.program,
    }


CURRENT_FACTS_SQL = """
select f.source_file as doc, f.number_offset, f.number_text, f.quote, f.indicator_phrase, f.value,
       f.unit, f.measure, f.basis, r.region_name, nullif(f.period_key, 'unknown') as period,
       nullif(p.program_name, '(none)') as program
from marts.fact_indicator f
join marts.dim_region r using (region_key)
join marts.dim_program p using (program_key)
where f.is_current
order by f.source_file, f.number_offset, f.measure, f.fact_id
"""


def current_facts(warehouse: Path) -> list[dict[str, Any]]:
    """Every current fact of the warehouse as an export record (the fields of GOLD_FIELDS)."""
    with connect(warehouse, read_only=True) as con:
        rows = con.execute(CURRENT_FACTS_SQL).fetchall()
    out = []
    for doc, offset, number_text, quote, indicator, value, unit, measure, basis, region, period, program in rows:
        fact = SimpleNamespace(offset=offset, number_text=number_text, quote=quote, indicator=indicator,
                               value=value, unit=unit, measure=measure, basis=basis, region=region,
                               period=period, program=program)
        out.append(fact_record(doc, fact))
    return out
