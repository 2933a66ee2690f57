"""Post-passes over the facts of one sentence, each its own step after the per-figure rules.

Recipients of a payment: 对27家企业1.2万名职工发放生活补助827万元 names the counts by the payment
they received.

Ranked lists: 各市城镇新增就业完成目标任务的比例依次为:杭州市180%、宁波市167% is one statement
about every place of the list. Each figure keeps its own place (named with it), and takes the
list's indicator and measure from the lead before 依次为/分别为.
"""

from __future__ import annotations

import re

from .facts import MAX_INDICATOR, Fact, SentenceFacts, han_count
from .lexicon import subjects
from .periods import without_time_expressions

_MARKER = re.compile("|".join(subjects.RANKED_LIST_MARKERS))
_PLACE_SET = re.compile(subjects.PLACE_SET)
_MEASURE_WORDS = [(measure, re.compile(pattern)) for measure, pattern in subjects.RANKED_MEASURE_WORDS]
_LEAD_START = re.compile(r"[。;；!！?？\n]")
_RECIPIENT_UNITS = frozenset(subjects.RECIPIENT_UNITS)
_PAYMENT = re.compile("|".join(subjects.PAYMENT_WORDS))


def recipients_of_payment(sentence: SentenceFacts, facts: list[Fact]) -> None:
    """对27家企业1.2万名职工发放生活补助827万元: the counts before a payment in one clause are
    the recipients of that payment; each is named by the payment and its own noun."""
    text = sentence.text
    for clause in sentence.clauses:
        inside = [f for f in facts if clause.start <= f.start < clause.end]
        if len(inside) < 2 or not inside[-1].unit.startswith("元") or inside[-1].measure != "value":
            continue
        money = inside[-1]
        counts = [f for f in inside[:-1] if f.unit in _RECIPIENT_UNITS and f.measure == "value"]
        if len(counts) != len(inside) - 1:
            continue
        topic = sentence.clean(without_time_expressions(text[counts[-1].end : money.start]))
        if han_count(topic) < 4 or not _PAYMENT.search(topic):
            continue
        for fact in counts:
            nxt = next(f for f in inside if f.start > fact.start)
            # The count right before the payment has its noun at the head of the topic already.
            noun = "" if nxt is money else sentence.clean(text[fact.end : nxt.start])[:6]
            fact.indicator = (topic + noun)[:MAX_INDICATOR]
            fact.decided_by = fact.decided_by._replace(subject="recipients_of_payment")
            code = sentence.ref.indicators.match(fact.indicator, fact.unit)
            fact.indicator_code = code.code if code else None


def ranked_list(text: str, facts: list[Fact]) -> None:
    """Give the place-by-place figures after a ranked-list marker their list's indicator and measure."""
    placed = [f for f in facts if f.region_basis == "sentence"]
    # A list of places names a different one with each figure (not 全国…分别为 a、b、c).
    if len(placed) < 2 or len({f.region.code for f in placed}) < len(placed):
        return
    marker = None
    for m in _MARKER.finditer(text, max(0, placed[0].start - 80), placed[0].start):
        marker = m
    if marker is None or not _items_only(text, marker.end(), placed):
        return
    lead_start = max((m.end() for m in _LEAD_START.finditer(text, 0, marker.start())), default=0)
    lead = text[lead_start : marker.start()]
    measure = "value"
    for candidate, pattern in _MEASURE_WORDS:
        found = pattern.search(lead)
        if found:
            measure, lead = candidate, lead[: found.start()] + lead[found.end() :]
            break
    indicator = _PLACE_SET.sub("", lead).strip(" ,，:：的")
    if not indicator:
        return
    for fact in placed:
        fact.indicator = indicator
        fact.measure = measure
        fact.indicator_code = None
        fact.decided_by = fact.decided_by._replace(measure="ranked_list_lead", subject="ranked_list_lead")


def _items_only(text: str, start: int, placed: list[Fact]) -> bool:
    """Between the marker and the last figure stand only the list's places and figures."""
    span = text[start : placed[-1].end]
    return len(span) <= 30 * len(placed) and not re.search(r"[。;；]", span)
