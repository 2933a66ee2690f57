"""Tests generated from the rule data: every measure rule decides its own example and leaves its
counter-example to another rule, and the word lists do not contradict each other."""

import re

import pytest

from orchestration.extraction import extract_document
from orchestration.extraction.lexicon import measures

MARKED = re.compile(r"【([^】]+)】")


def measure_of_marked(text: str) -> str:
    """The measure the extractor gives the figure marked 【…】 in `text`."""
    marked = MARKED.search(text)
    plain = MARKED.sub(r"\1", text)
    start = marked.start()
    facts = [f for f in extract_document(f"天津市2021年就业情况\n{plain}").facts if f.number_text == marked.group(1)]
    assert facts, f"no fact for {marked.group(1)} in {plain}"
    offset = len("天津市2021年就业情况\n") + start
    return min(facts, key=lambda f: abs(f.offset - offset)).measure


@pytest.mark.parametrize("rule", measures.MEASURE_RULES, ids=lambda r: r.name)
def test_rule_decides_its_example(rule):
    assert measure_of_marked(rule.example) == rule.measure


@pytest.mark.parametrize("rule", measures.MEASURE_RULES, ids=lambda r: r.name)
def test_rule_leaves_its_counter_example(rule):
    assert measure_of_marked(rule.counter_example) != rule.measure


def test_rule_names_are_unique_and_measures_known():
    names = [r.name for r in measures.MEASURE_RULES]
    assert len(names) == len(set(names))
    assert {r.measure for r in measures.MEASURE_RULES} <= {"value", "change", "target", "completion", "share"}


def test_word_lists_do_not_contradict_each_other():
    assert not set(measures.CHANGE_UP) & set(measures.CHANGE_DOWN)
    assert not set(measures.GOAL_WORDS) & set(measures.ACHIEVED)
    assert set(measures.SENTENCE_GOAL) <= set(measures.GOAL_WORDS)
