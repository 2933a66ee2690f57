"""Post-passes over the facts of one sentence, each its own step after the per-figure rules.

Parts of a total: 参保人数500万人,其中职工300万人 states 职工 as a part of the 500万人 before it.

Goal and progress columns: in a flattened table of goals and progress (年度目标任务 | 完成进度),
the figures of a row's goal cell are the year's targets, those of its progress cell what is done.

Recipients of a payment: 对27家企业1.2万名职工发放生活补助827万元 names the counts by the payment
they received.

Ranked lists: 各市城镇新增就业完成目标任务的比例依次为:杭州市180%、宁波市167% is one statement
about every place of the list. Each figure keeps its own place (named with it), and takes the
list's indicator and measure from the lead before 依次为/分别为.
"""

from __future__ import annotations

import re

from .document import HEADING
from .facts import MAX_INDICATOR, Fact, SentenceFacts, han_count
from .lexicon import context as context_words
from .lexicon import counters, subjects
from .periods import ReportPeriod, without_time_expressions
from .scanning import alternation

_MARKER = re.compile("|".join(subjects.RANKED_LIST_MARKERS))
_PLACE_SET = re.compile(subjects.PLACE_SET)
_MEASURE_WORDS = [(measure, re.compile(pattern)) for measure, pattern in subjects.RANKED_MEASURE_WORDS]
_LEAD_START = re.compile(r"[。;；!！?？\n]")
_RECIPIENT_UNITS = frozenset(subjects.RECIPIENT_UNITS)
_PAYMENT = re.compile("|".join(subjects.PAYMENT_WORDS))
_NON_ADDITIVE = re.compile("|".join(subjects.NON_ADDITIVE_WORDS))


def parts_of_totals(sentence: SentenceFacts, facts: list[Fact]) -> None:
    """Link each value of a 其中/包括 clause to the total stated before it (same unit and region)."""
    text, start = sentence.text, sentence.sentence.start
    total: Fact | None = None  # the last value stated before a 其中 breakdown
    breakdown_of: Fact | None = None
    for fact in facts:
        clause = sentence.clause_of(fact.start)
        if text.rfind(";", start, fact.start) > (breakdown_of.start if breakdown_of else fact.start):
            breakdown_of = None  # a new statement after a semicolon ends a breakdown
        if text[clause.start : clause.end].lstrip().startswith(subjects.BREAKDOWN_OPENINGS) and total is not None:
            breakdown_of = total
        listed = fact.decided_by.subject.startswith("respectively")  # a 分别 list pairs, it does not break down
        if (breakdown_of is not None and fact.measure == "value" and fact.unit == breakdown_of.unit
                and fact.region == breakdown_of.region and not listed):
            fact.part_of = breakdown_of.start
        if fact.measure == "value" and fact.part_of is None and breakdown_of is None:
            # Only a stated, additive amount can be a total: not a rate, an average or an estimate.
            additive = "/" not in fact.unit and fact.unit not in counters.RATE_UNITS and fact.hedge is None \
                and not _NON_ADDITIVE.search(fact.indicator)
            total = fact if additive else None


def recipients_of_payment(sentence: SentenceFacts, facts: list[Fact]) -> None:
    """对27家企业1.2万名职工发放生活补助827万元: the counts before a payment in one clause are
    the recipients of that payment; each is named by the payment and its own noun."""
    text = sentence.text
    for clause in sentence.clauses:
        inside = [f for f in facts if clause.start <= f.start < clause.end]
        if len(inside) < 2 or not inside[-1].unit.startswith(counters.MONEY_UNIT) or inside[-1].measure != "value":
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
    lead = without_time_expressions(HEADING.sub("", text[lead_start : marker.start()], count=1))  # not 二、
    measure, measure_words = "value", ""
    for candidate, pattern in _MEASURE_WORDS:
        found = pattern.search(lead)
        if found:
            measure, lead, measure_words = candidate, lead[: found.start()] + lead[found.end() :], found.group()
            break
    # 2019年各县任务完成率依次为: with no subject left but the time and the places, the measure's
    # own words (任务完成率) are what the list measures.
    of = subjects.POSSESSIVE
    indicator = _PLACE_SET.sub("", lead).strip(" ,，:：" + of) or measure_words.strip(of)
    if not han_count(indicator):
        return
    # Item by item: a figure between the marker and the last place is one of the list's, placed or not.
    for fact in facts:
        if marker.end() <= fact.start <= placed[-1].start:
            fact.indicator = indicator
            fact.measure = measure
            fact.decided_by = fact.decided_by._replace(measure="ranked_list_lead", subject="ranked_list_lead")


def _items_only(text: str, start: int, placed: list[Fact]) -> bool:
    """Between the marker and the last figure stand only the list's places and figures."""
    span = text[start : placed[-1].end]
    return len(span) <= 30 * len(placed) and not re.search(r"[。;；]", span)


_GOAL_PROGRESS_HEADER = re.compile(
    rf"^[^\n]*?(?:{alternation(context_words.GOAL_COLUMN_HEADERS)})[ \t\u3000]+"
    rf"(?:{alternation(context_words.PROGRESS_COLUMN_HEADERS)})[ \t\u3000]*$",
    re.MULTILINE,
)
_PROGRESS_CELL = re.compile(rf"[ \t\u3000]+(?=(?:{alternation(context_words.PROGRESS_CELL_STARTS)}))")


def goal_and_progress_columns(text: str, facts: list[Fact], report: ReportPeriod | None) -> None:
    """In the rows under a goal | progress header, make the goal cell's figures targets of the
    report's year and the progress cell's figures achieved values."""
    header = _GOAL_PROGRESS_HEADER.search(text)
    if header is None:
        return
    year = str(report.year) if report else None
    for fact in facts:
        if fact.start < header.end():
            continue
        row_start = text.rfind("\n", 0, fact.start) + 1
        row_end = text.find("\n", fact.start)
        splits = list(_PROGRESS_CELL.finditer(text, row_start, len(text) if row_end == -1 else row_end))
        if not splits:
            continue  # the figure is not on a row with both cells
        progress_from = splits[-1].end()
        if fact.start < progress_from and fact.measure in ("value", "target"):
            fact.measure = "target"
            if year:
                fact.period, fact.period_basis = year, "table"
            fact.decided_by = fact.decided_by._replace(measure="goal_column", period="goal_column")
        elif fact.start >= progress_from and fact.measure == "target":
            fact.measure = "value"
            fact.decided_by = fact.decided_by._replace(measure="progress_column")
