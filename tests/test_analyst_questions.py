"""Analyst questions as tests (`data/analyst_questions.yml`): each question's SQL over a warehouse of
every development report, its answer rows compared with the rows the development gold gives.
A change that breaks an answer shows up as a broken answer, with the rows it got wrong."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import yaml
from helpers import MEASURED, SHARED

from orchestration.extraction.lexicon.places import SUB_AREA_ENDINGS

QUESTIONS = yaml.safe_load((Path(__file__).parent / "data" / "analyst_questions.yml").read_text(encoding="utf-8"))
# Of all questions' answer rows together: the share that are gold rows, and of the gold rows the share found.
RIGHT_FLOOR, FOUND_FLOOR = 0.95, 0.90
GOLD_DIRS = (SHARED / "gold", SHARED / "wide" / "gold")

pytestmark = pytest.mark.skipif(not all(folder.is_dir() for folder in GOLD_DIRS),
                                reason="needs ../shared/gold and ../shared/wide")


def _gold() -> list[dict]:
    return [json.loads(line) for folder in GOLD_DIRS for path in sorted(folder.glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _row(values: tuple) -> tuple:
    """An answer row as both sides write it: no period is `unknown` in the warehouse, null in the gold;
    numbers compared to four decimal places."""
    return tuple(None if v == "unknown" else round(float(v), 4) if isinstance(v, int | float | Decimal) else v
                 for v in values)


def expected_rows(question: dict, gold: list[dict]) -> set[tuple]:
    wanted = question["gold"]
    phrase = re.compile(wanted["phrase"])
    selected = [f for f in gold if phrase.fullmatch(f["indicator"]) and f["unit"] in wanted["units"]
                and f["measure"] in wanted["measures"]]
    if wanted.get("stated_by_several_documents"):
        values, documents = defaultdict(set), defaultdict(set)
        for f in selected:
            values[(f["region"], f["period"])].add(round(float(f["value"]), 4))
            documents[(f["region"], f["period"])].add(f["doc"])
        return {_row((*key, len(values[key]))) for key in values if len(documents[key]) > 1}
    return {_row(tuple(f[column] for column in question["answer"])) for f in selected}


@pytest.fixture(scope="module")
def answers(development_build) -> dict[str, tuple[set[tuple], set[tuple]]]:
    _, warehouse, _ = development_build
    gold = _gold()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {q["name"]: ({_row(r) for r in con.execute(q["sql"]).fetchall()}, expected_rows(q, gold))
                for q in QUESTIONS}


def test_every_question_has_gold_rows():
    gold = _gold()
    assert all(expected_rows(q, gold) for q in QUESTIONS)


def test_analyst_questions_are_answered_right(answers):
    right = sum(len(got & expected) for got, expected in answers.values())
    given = sum(len(got) for got, _ in answers.values())
    wanted = sum(len(expected) for _, expected in answers.values())
    MEASURED["analyst questions"] = (f"{len(answers)} questions: rows right {right}/{given} ({right / given:.3f}), "
                                     f"found {right}/{wanted} ({right / wanted:.3f})")
    wrong = {name: {"not in the gold": sorted(got - expected, key=str), "missed": sorted(expected - got, key=str)}
             for name, (got, expected) in answers.items() if got != expected}
    assert right / given >= RIGHT_FLOOR, wrong
    assert right / wanted >= FOUND_FLOOR, wrong
    # No question may lose most of its answer, whatever the others do.
    assert all(len(got & expected) >= len(expected) / 2 for got, expected in answers.values()), wrong


def test_areas_inside_a_city_are_regions_of_their_own(development_build):
    """Every area inside a city (新区, 市区 …) the gold names is a member of dim_region of level
    sub_area, with its city as parent, apart from the city's own figures."""
    _, warehouse, _ = development_build
    with duckdb.connect(str(warehouse), read_only=True) as con:
        sub_areas = dict(con.execute("select region_name, parent_region_name from marts.dim_region "
                                     "where region_level = 'sub_area'").fetchall())
    named = {f["region"] for f in _gold() if f["region"] and f["region"].endswith(SUB_AREA_ENDINGS)}
    assert named and named <= set(sub_areas), named - set(sub_areas)
    city_areas = {name: parent for name, parent in sub_areas.items() if name.endswith(SUB_AREA_ENDINGS)}
    assert all(parent and name.startswith(parent[:2]) for name, parent in city_areas.items()), city_areas
    # Towns and villages (a township's notice and the table of its villages) are areas too, each
    # inside a region of the gazetteer.
    assert all(sub_areas.values()), sub_areas
