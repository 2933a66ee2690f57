"""Tests generated from the rule tables: every rule decides its own example (and gives the figure
what the table says it gives), leaves its counter-example to another rule, and the word lists do not
contradict each other."""

import re

import pytest

from orchestration.extraction import ExtractedFact, extract_document
from orchestration.extraction.lexicon import indicators, measures, places, programs, subjects, times
from orchestration.extraction.lexicon.rules import Rule

MARKED = re.compile(r"【([^】]+)】")

# attribute → (its rule table, how a fact shows the attribute)
TABLES = {
    "measure": (measures.MEASURE_RULES, lambda f: f.measure),
    "subject": (subjects.SUBJECT_RULES, lambda f: f.indicator),
    "region": (places.REGION_RULES, lambda f: f.region),
    "period": (times.PERIOD_RULES, lambda f: f.period),
    "program": (programs.PROGRAM_RULES, lambda f: f.program),
    "indicator": (indicators.INDICATOR_RULES, lambda f: f.indicator_code),
}
CASES = [(attribute, rule) for attribute, (table, _) in TABLES.items() for rule in table]


def marked_fact(title: str, text: str) -> ExtractedFact:
    """The fact of the figure marked 【…】 in `text`, in a report whose first line is `title`."""
    marked = MARKED.search(text)
    assert marked, f"no figure marked in {text}"
    head = f"{title}\n"
    plain = head + MARKED.sub(r"\1", text)
    offset = len(head) + marked.start()
    facts = [f for f in extract_document(plain).facts if f.offset == offset]
    assert facts, f"no fact for {marked.group(1)} in {plain}"
    assert facts[0].number_text == marked.group(1)
    return facts[0]


@pytest.mark.parametrize("attribute, rule", CASES, ids=[f"{a}-{r.name}" for a, r in CASES])
def test_rule_decides_its_example(attribute: str, rule: Rule):
    fact = marked_fact(rule.title, rule.example)
    assert getattr(fact.decided_by, attribute) == rule.name
    assert TABLES[attribute][1](fact) == rule.decides


@pytest.mark.parametrize("attribute, rule", CASES, ids=[f"{a}-{r.name}" for a, r in CASES])
def test_rule_leaves_its_counter_example(attribute: str, rule: Rule):
    fact = marked_fact(rule.title, rule.counter_example)
    assert getattr(fact.decided_by, attribute) != rule.name


@pytest.mark.parametrize("attribute", TABLES)
def test_rule_names_are_unique_per_attribute(attribute: str):
    names = [r.name for r in TABLES[attribute][0]]
    assert len(names) == len(set(names))


def test_measure_rules_give_known_measures():
    assert {r.decides for r in measures.MEASURE_RULES} <= {"value", "change", "target", "completion", "share"}


def test_word_lists_do_not_contradict_each_other():
    assert not set(measures.CHANGE_UP) & set(measures.CHANGE_DOWN)
    assert not set(measures.GOAL_WORDS) & set(measures.ACHIEVED)
    assert set(measures.SENTENCE_GOAL) <= set(measures.GOAL_WORDS)
