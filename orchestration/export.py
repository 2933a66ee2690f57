"""The public shape of a fact: exactly the fields of GOLD_SCHEMA.md, in its order."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Protocol

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
