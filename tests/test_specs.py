"""Spec files of invented inputs and the fact fields expected of them (tests/specs/facts.jsonl),
the numbers that are no facts (no_facts.jsonl), or the periods the time grammar reads in a text
of a report of a given period (times.jsonl), one
parametrized test per row, as Recognizers-Text runs its spec files. Each row names its concern;
fields not listed are not checked. Texts are invented: other places, other numbers than any report."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from orchestration.extraction import extract_document
from orchestration.extraction.periods import find_time_expressions, period_from_label

SPECS = Path(__file__).parent / "specs"


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (SPECS / name).read_text(encoding="utf-8").splitlines() if line.strip()]


ROWS = _rows("facts.jsonl")
ABSENT = _rows("no_facts.jsonl")
TIMES = _rows("times.jsonl")


@pytest.mark.parametrize("row", ROWS, ids=[row["concern"] for row in ROWS])
def test_spec_row(row):
    facts = {f.number_text: f for f in extract_document(row["text"]).facts}
    for number_text, expected in row["facts"].items():
        assert number_text in facts, (number_text, sorted(facts))
        fact = facts[number_text]
        got = {field: getattr(fact, field) for field in expected}
        if "value" in got:  # compared as numbers: 6000.0 is 6000
            got["value"], expected = Decimal(got["value"]), {**expected, "value": Decimal(expected["value"])}
        assert got == expected, number_text


@pytest.mark.parametrize("row", ABSENT, ids=[row["concern"] for row in ABSENT])
def test_spec_row_gives_no_fact(row):
    found = {f.number_text for f in extract_document(row["text"]).facts}
    assert not found & set(row["absent"])


@pytest.mark.parametrize("row", TIMES, ids=[row["concern"] for row in TIMES])
def test_time_spec_row(row):
    found = find_time_expressions(row["text"], period_from_label(row["report"]))
    assert [t.period for t in found] == row["periods"]
