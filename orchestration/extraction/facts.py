"""From quantities to facts: what each number measures, where, when, and in which program.

Rules are written from the categories of Chinese report prose, not from any one report:
- the subject of a number is the phrase before it in its clause (城镇新增就业累计166881人), or the
  noun phrase after it when the number leads (为10.56万名应届毕业生发放补贴), or, when neither
  names anything (增长4.8%, 共2215.57万元), the subject of the previous number;
- 分别 lists pair their numbers with a list of subjects (A、B和C分别为x、y、z) or with the
  numbers stated before them (…分别完成目标任务的x、y、z);
- the measure comes from the words right before the number (增长/下降 → change, 任务/目标 →
  target, 完成…的 → completion, 占 → share);
- a region named at the head of a clause overrides the report's own region; 全省/全市/全区 stand
  for the report's area; the nearest time expression before a number in its sentence overrides
  the report's period.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Any, ClassVar, NamedTuple

from .document import PARENTHESISED, Span, clause_spans
from .lexicon import counters, measures, places, programs, subjects
from .lexicon import times as time_words
from .numbers import LIST_OR_RANGE_JOINER, Quantity, parse_numeral
from .periods import ReportPeriod, TimeExpression, listed_periods, time_expression_at, without_time_expressions
from .reference import UNKNOWN_REGION, Reference, Region
from .scanning import alternation
from .text import HAN


class Measure(StrEnum):
    """What a figure measures (a str: compares and serialises as its value)."""

    VALUE = "value"  # a level or amount
    CHANGE = "change"  # a change against an earlier time (basis says which)
    TARGET = "target"  # a goal
    COMPLETION = "completion"  # how much of a goal is done
    SHARE = "share"  # a part of a whole


MEASURES = tuple(m.value for m in Measure)
MEASURE_OF = {m.value: m for m in Measure}  # a dict lookup: calling Measure(value) is slow Python

_CHANGE_VERB = re.compile(measures.CHANGE_VERB_BEFORE_FIGURE)
_NEGATIVE_CHANGE = frozenset(measures.CHANGE_DOWN + measures.BELOW_LINE + measures.LOWER_THAN)
_POSITIVE_CHANGE = frozenset(measures.CHANGE_UP)  # 负增长: a growth below zero
_DIFFERENCE_FROM_LINE = re.compile(measures.DIFFERENCE_FROM_LINE)
_ANOTHER_GOAL = re.compile(measures.ANOTHER_GOAL)


def _change_word(decided: re.Match[str]) -> str | None:
    """The word of a change match that says its direction: the verb (下降), or the side of a line
    (低于, or 低 in 比…低)."""
    if "side" in decided.re.groupindex:
        return decided.group("side") or decided.group("compared_side")
    return decided.group(1)
_YOY = re.compile(alternation(measures.YEAR_ON_YEAR))
_MONTH_ON_MONTH = re.compile(alternation(measures.MONTH_ON_MONTH))
_EXPLICIT_BASIS = re.compile(measures.EXPLICIT_BASIS)
_SENTENCE_GOAL = re.compile("|".join(measures.SENTENCE_GOAL))  # goal words are patterns
_ACHIEVED = re.compile(alternation(measures.ACHIEVED))
_TARGET = re.compile(measures.TARGET)
_MEASURE_WORDS = re.compile(alternation(subjects.MEASURING_WORDS))
_COMPARISON_AFTER_SELF = subjects.RANKING_AFTER_SELF
_SHARE = re.compile(alternation(measures.SHARE_WORDS))
_COMPLETION_WORD = re.compile(alternation(measures.COMPLETION_WORDS))
_DONE_RIGHT_BEFORE = re.compile(measures.DONE_RIGHT_BEFORE)
_COMPLETION_OF_PLAN = re.compile(measures.COMPLETION_OF_PLAN)
_GOAL_AFTER_FIGURE = re.compile(measures.GOAL_AFTER_FIGURE)
_COMPLETION_ANCHOR = re.compile(alternation(measures.COMPLETION_ANCHORS))

_SELF_WORD = re.compile(places.SELF_WORD)
_LEAD_NOISE = re.compile("^(?:" + "|".join(subjects.LEAD_FILLERS) + ")+")  # fillers are patterns
_TRAIL_WORDS = subjects.TRAIL_WORDS
_TRAIL_NOISE = re.compile("(?:" + "|".join(_TRAIL_WORDS) + ")+$")
_TRAIL_LAST_CHARS = frozenset(w[-1] for w in _TRAIL_WORDS)  # a phrase ending otherwise has no trail
# A list's joiners, and the words holding a joiner's character without joining (涉及, 和谐), tried
# first so that a joiner inside one of them splits nothing.
_LIST_JOINER = re.compile(f"(?:{alternation(subjects.WORDS_HOLDING_A_JOINER)})"
                          f"|(?P<joiner>{alternation(subjects.LIST_JOINERS)})")
_LIST_ITEM_METRIC = re.compile(f"(?:{alternation(subjects.LIST_ITEM_METRIC_LEADS)})?"
                               f"(?:{alternation(subjects.LIST_ITEM_METRICS)})")
_LIST_ITEM_METRIC_END = re.compile(f"(?:{alternation(subjects.LIST_ITEM_METRICS)})$")
_PAYMENT_SAID_AGAIN = re.compile(f"(?P<verb>{alternation(subjects.PAYING_VERBS)})"
                                 f"(?P<metric>{alternation(subjects.AMOUNT_METRICS)})")
_BASIS_PHRASE = re.compile(measures.BASIS_PHRASE)
_JOINER_GAP = re.compile(subjects.JOINER_GAP)
_QUOTED_PROGRAM = re.compile(f"“([^“”]{{2,40}}?(?:{alternation(programs.PROGRAM_NAME_ENDINGS)}))”")
_QUOTED_BEFORE_PROGRAM_WORD = re.compile(f"“([^“”]{{2,20}})”(?:{alternation(programs.PROGRAM_WORDS_AFTER_QUOTE)})")
_STARTED_PROGRAM = re.compile(programs.STARTED_PROGRAM)
# Programs not in the catalogue, by the rule that finds them, tried in the order of PROGRAM_RULES.
_PROGRAM_MENTIONS = {"quoted_name": _QUOTED_PROGRAM, "quoted_before_program_word": _QUOTED_BEFORE_PROGRAM_WORD,
                     "started_program": _STARTED_PROGRAM}
_PROGRAM_PATTERNS = tuple((_PROGRAM_MENTIONS[rule.name], rule.name) for rule in programs.PROGRAM_RULES
                          if rule.name in _PROGRAM_MENTIONS)
_OWN_SUB_AREA = re.compile(places.OWN_SUB_AREA)
_TOWN_NAME = re.compile(places.TOWN_NAME)
_UNKNOWN_PLACE_NAME = re.compile(places.UNKNOWN_PLACE_NAME)
_REGION_LEAD_FILLER = re.compile(places.REGION_LEAD_FILLER)
# A region is the subject when the figure or a quantity word follows it at once.
_REGION_SUBJECT_FOLLOWER = re.compile(r"\s*(?:" + "|".join(places.REGION_SUBJECT_FOLLOWERS) + ")")
_FOREIGN_WORDS = re.compile(subjects.FOREIGN_WORDS)
_FOREIGN_WORD_FIRST = re.compile(r"[A-Za-z]|\d,\d")
_LEAD_IN_BREAK = re.compile(r"--|——|:|：")  # a heading or lead-in ends at a dash or colon
_NEXT_LIST_ITEM = re.compile(subjects.NEXT_LIST_ITEM)
_SPACED_PART = re.compile(r"[ \u3000]")
_RESPECTIVELY = re.compile(subjects.RESPECTIVELY)
_STATED_ITEM_COUNT = re.compile(subjects.STATED_ITEM_COUNT)
_ORDINAL_LIST = re.compile(subjects.ORDINAL_LIST)
_RANGE_JOINER = re.compile(subjects.RANGE_JOINER)
_MEMBERS_BEFORE = re.compile(subjects.MEMBERS_BEFORE)
_BREAKDOWN_OPENER = re.compile(subjects.BREAKDOWN_OPENER)
MAX_INDICATOR = 24
MAX_SUBJECT = 16  # the words nearest the number name it; further back come actors and settings
MAX_FOLLOWER = 12
_VERB_PHRASE = re.compile(subjects.VERB_PHRASE)
_FULFIL_TARGET = re.compile(measures.FULFIL_TARGET)


def _ordinals_listed(listed: str) -> str:
    """二、三产业就业人员占比 → 第二产业就业人员占比、第三产业就业人员占比: industries listed by their
    ordinals are items of their own, each with the words after the list."""
    found = _ORDINAL_LIST.search(listed)
    if found is None:
        return listed
    rest = found.group("head") + listed[found.end() :]
    ordinals = [c for c in found.group("ordinals") if c != "、"]
    return listed[: found.start()] + "、".join(subjects.ORDINAL_PREFIX + c + rest for c in ordinals)


def _list_items(listed: str) -> list[str]:
    """The items of a list, split at its joiners (not at the 及 of 涉及)."""
    items, start = [], 0
    for m in _LIST_JOINER.finditer(listed):
        if m.group("joiner"):
            items.append(listed[start : m.start()])
            start = m.end()
    return [*items, listed[start:]]


def _with_first_items_topic(items: list[str]) -> list[str]:
    """欠薪案件数、涉及人数及金额 → 欠薪案件数, 欠薪案件涉及人数, 欠薪案件金额: when every item after the
    first is only a metric, each is of the topic the first names before its own metric."""
    ending = _LIST_ITEM_METRIC_END.search(items[0])
    topic = items[0][: ending.start()] if ending else ""
    if han_count(topic) < 2 or not all(_LIST_ITEM_METRIC.fullmatch(it) for it in items[1:]):
        return items
    return [items[0], *(topic + it for it in items[1:])]


def _scheme_named(item: str) -> str | None:
    """An item naming an insurance scheme by its short or full name, perhaps after qualifiers, in
    full (基本养老 → 基本养老保险, 失业 → 失业保险); None for any other item."""
    for short, full in subjects.SCHEME_SHORT_NAMES.items():
        for said in (full, short):
            if item.endswith(said):
                return item[: len(item) - len(said)] + full
    return None


def _listed_subjects(items: list[str], clean: Callable[[str], str]) -> list[str]:
    """The subjects of a list before 分别, the last item's shared rest given to every item: 城镇、农村
    居民的人均收入 → …的人均收入 for each; 养老、医疗、工伤参保人数 → 养老保险参保人数, 医疗保险参保人数…"""
    tail = ""
    if subjects.POSSESSIVE in items[-1]:
        head, tail = items[-1].split(subjects.POSSESSIVE, 1)
        items = [*items[:-1], head]
    short = subjects.SCHEME_SHORT_NAMES
    last_scheme = next((s for s in short if items[-1].startswith(s) and len(items[-1]) > len(s)), None)
    named = [_scheme_named(it) for it in items[:-1]]
    if not tail and last_scheme and all(named):
        # 基本养老、失业、工伤保险参保人数: the last item's rest after its scheme is every item's.
        tail = items[-1][len(last_scheme):].removeprefix(short[last_scheme][len(last_scheme):])
        items = [*(name for name in named if name), short[last_scheme]]
    elif not tail and all(it.endswith(subjects.SCHEME_ENDINGS) for it in items[:-1]):
        # 企业职工基本养老保险、失业保险、工伤保险参保人数: schemes named in full share the rest.
        end = max(items[-1].rfind(word) + len(word) for word in subjects.SCHEME_ENDINGS if word in items[-1]) \
            if any(word in items[-1] for word in subjects.SCHEME_ENDINGS) else 0
        if 0 < end < len(items[-1]):
            tail = items[-1][end:]
            items = [*items[:-1], items[-1][:end]]
    elif not tail:
        items = _with_first_items_topic(items)
    return [clean(it + tail) for it in items]


_TOPIC_METRIC = re.compile(
    f"(?:{re.escape(subjects.TOPIC_METRIC_FUND)})?(?P<metric>{alternation(subjects.TOPIC_METRICS)})$")


def _joined(head: str, tail: str) -> str:
    """`head` + `tail`, a word that ends the one and begins the other said once (…保险基金 + 基金支出)."""
    overlap = next((k for k in range(min(len(head), len(tail)), 1, -1) if head.endswith(tail[:k])), 0)
    return head + tail[overlap:]


def _topic_of(prior: str, subject: str) -> str | None:
    """总支出 after 生育保险基金总收入: 生育保险基金总支出 (the subject is a metric alone, and the
    subject before ends in one)."""
    ending = _TOPIC_METRIC.search(prior)
    if ending is None or _TOPIC_METRIC.fullmatch(subject) is None or ending.start() == 0:
        return None
    return _joined(prior[: ending.start("metric")], subject)


def _metric_of_prior_object(prior: str, subject: str) -> str | None:
    """代缴金额 after 为1.2万人代缴城乡居民养老保险费: 代缴城乡居民养老保险费金额 (the verb said again
    with a metric measures what the verb acted on just before)."""
    said_again = _PAYMENT_SAID_AGAIN.fullmatch(subject)
    if said_again is None or said_again.group("verb") not in prior:
        return None
    acted_on = prior[prior.rindex(said_again.group("verb")) :]
    return acted_on + said_again.group("metric") if len(acted_on) > len(said_again.group("verb")) else None


def _abbreviates(subject: str, prior: str) -> bool:
    """Whether `subject` is `prior` said again in fewer words: 下达扶持资金 after 下达到贫困地区的创业
    专项扶持资金 (same first and last words, every character of it in the longer one, in order)."""
    if subject[:2] != prior[:2]:
        # 下达扶持资金 after 贫困地区的创业专项扶持资金: a verb before it may be all it adds.
        verb = _LEADING_VERB.match(subject)
        subject = subject[verb.end():] if verb else ""
    if han_count(subject) < 4 or len(prior) < len(subject) + 3 or subject[-2:] != prior[-2:]:
        return False
    rest = iter(prior)
    return all(char in rest for char in subject)


_LEADING_VERB = re.compile(f"(?:{alternation(subjects.OBJECT_VERBS)})")


_SCHEME_STEM = re.compile(subjects.SCHEME_STEM)


def _scheme_stem(subject: str) -> str:
    """The scheme a subject is about, with everything before it: 职业年金 of 职业年金个人账户数,
    全市失业保险基金 of 全市失业保险基金收入; empty when it names no scheme."""
    if not any(word in subject for word in subjects.SCHEME_ENDINGS):
        return ""  # most subjects: no scheme, and no need to scan them
    found = _SCHEME_STEM.match(subject)
    return found.group(0) if found else ""


def _replace_last_word(prior: str, sibling: str) -> str:
    """The previous subject with its last word replaced by a sibling item (words by jieba)."""
    if len(sibling) <= 2:
        return prior[: len(prior) - len(sibling)] + sibling
    words = _segment(prior)
    if len(words) < 2:
        return sibling
    return "".join(words[:-1]) + sibling


@lru_cache(maxsize=4096)  # the same subjects come back in every report of a kind
def _segment(phrase: str) -> tuple[str, ...]:
    # Imported here: only short subjects are ever segmented, so jieba's dictionary is loaded only
    # when a report has such a list, never to scan whole texts.
    import jieba

    return tuple(jieba.lcut(phrase, HMM=False))


_TRAILING_VERB = re.compile(f"(?:{alternation(subjects.OBJECT_VERBS)})$")
_TOPIC_TAIL = re.compile(subjects.TOPIC_TAIL)
_ASIDE = re.compile(r"[(（][^()（）]*[)）]")
_HEDGE_AFTER = re.compile(f"^(?:{alternation(counters.HEDGES_AFTER)})")
_OPEN_BRACKET = re.compile(r"[(（]")
_RATE_TAIL = re.compile(f"(?:{alternation(subjects.NON_ADDITIVE_WORDS)})$")


def _words_after_figure(after: str) -> str:
    """The words after a figure that may name it: not its hedge (2,600万以上), nor what brackets
    hold, an aside (5.1万元(约合新台币22万元), 4.7万名(市本级2.3万名)职工)."""
    words = _ASIDE.sub("", _HEDGE_AFTER.sub("", after))
    return _OPEN_BRACKET.split(words, 1)[0]


class DecidedBy(NamedTuple):
    """The named rule that decided each attribute of a fact: a name of the lexicon's rule tables
    (`lexicon/*.py` `*_RULES`), so a fact can be traced to the rule, its example and its counter-example."""

    measure: str
    subject: str
    region: str
    period: str
    program: str
    indicator: str = ""  # set when the fact is exported: the catalogue mapper's rule


@dataclass(slots=True)
class Fact:
    start: int  # normalised offsets of the number with its unit
    end: int
    quote_start: int
    indicator: str
    value: Decimal
    unit: str
    measure: str
    basis: str | None
    region: Region
    period: str | None
    program: str | None
    hedge: str | None
    sentence_index: int
    decided_by: DecidedBy
    part_of: int | None = None  # start of the total this fact is a stated part of (其中…)
    # How region and period were decided: sentence (named with the figure), heading (a section's
    # time), table (the cell's column), or document (the report's own area or period).
    region_basis: str = "document"
    period_basis: str | None = "document"


class Section(NamedTuple):
    """What the heading or item title a sentence stands under says of its figures."""

    period: str | None = None  # 二、下半年工作打算: H2
    topic: str | None = None  # 一、城镇新增就业。: what a figure that names nothing counts


class _PlaceAt(NamedTuple):
    """What stands at a figure's place, read once for the region rules."""

    offset: int  # after fillers (其中, 、, 在 …)
    self_word: re.Match[str] | None  # 全市, 我省, 本县
    names: list[tuple[str, list[Region]]]  # the gazetteer's names there, longest first
    town: re.Match[str] | None  # a town's name (九溪镇), in a prefecture's or county's report


@dataclass(slots=True)
class _SubjectDraft:
    """A figure's subject while the subject rules read it, and what they read it with."""

    subject: str  # renamed by the rules that rewrite it
    rule: str  # the rule that named it last
    gap: str  # the words between the clause's start (or the figure before) and the figure
    follows: str  # the noun phrase right after the figure, if it names one
    follows_names: bool
    verb: re.Match[str] | None  # a verb ending the phrase before (推荐2家…基地: verb, figure, object)
    sibling: bool  # the figure is the next item of a list (、)
    prior: str | None  # the subject just named
    measure: str
    breakdown: bool
    setting: str
    scheme: str
    parent: str


class RegionFound(NamedTuple):
    """A region rule that holds: the area it gives, or None when what stands there is no area."""

    region: Region | None


@lru_cache(maxsize=8192)  # a subject is measured several times while it is decided
def han_count(s: str) -> int:
    return len(HAN.findall(s))


@lru_cache(maxsize=8192)  # several subject rules ask it of the same subject
def _naming(subject: str) -> int:
    """How much of a subject names something once the words of measuring are taken out."""
    return han_count(_MEASURE_WORDS.sub("", subject))


class SentenceFacts:
    """Turns the quantities of one sentence into facts."""

    def __init__(self, text: str, sentence: Span, index: int, quantities: list[Quantity],
                 reference: Reference, home: Region, report: ReportPeriod | None,
                 times: list[TimeExpression], previous_indicator: str | None,
                 section: Section, catalogued_programs: list[tuple[int, int, str]]) -> None:
        self.text = text
        self.sentence = sentence
        self.index = index
        self.quantities = quantities
        self.quantity_starts = [q.start for q in quantities]  # in order: the figure before one, at once
        self.ref = reference
        self.home = home
        self.report = report
        self.times = times
        self.clauses = clause_spans(text, sentence)
        self.previous_indicator = previous_indicator
        self.section = section
        self.programs = self._program_mentions(catalogued_programs)
        # 确保/力争 set a goal for everything that follows them in the sentence.
        goal = _SENTENCE_GOAL.search(text, sentence.start, sentence.end)
        self.goal_from = goal.start() if goal else None
        self.asides = [m.span() for m in PARENTHESISED.finditer(text, sentence.start, sentence.end)]
        self.last_subject: str | None = None
        self._cleaned: dict[str, str] = {}

    # -- helpers ---------------------------------------------------------------------------
    def clause_of(self, pos: int) -> Span:
        for c in self.clauses:
            if c.start <= pos < c.end:
                return c
        return self.clauses[-1]

    def _strip_lead(self, s: str) -> str:
        """Drop what leads a subject without naming it: fillers, regions, times."""
        gaz = self.ref.gazetteer
        while True:
            before = s
            lead = _LEAD_NOISE.match(s)
            if lead:
                s = s[lead.end():]
            if _SELF_WORD.match(s):
                s = s[2:]  # 全省, 我市: the report's own area
            m = time_expression_at(s)
            if m and m.end() > 0:
                s = s[m.end():]
            names = gaz.names_at(s, 0) if s[:2] in gaz.name_prefixes else None
            if names:
                s = s[len(names[0][0]):]  # a region is where, never what: 贵阳市2492元
            elif self.home.level in ("prefecture", "county") and (town := _TOWN_NAME.match(s)) \
                    and _REGION_SUBJECT_FOLLOWER.match(s, town.end()):
                s = s[town.end():]  # nor is a town of the report's county: 九溪镇完成410人 (not 城镇就业)
            s = s.lstrip(" :：,、)）")  # )）: the bracket closing the figure before (北坪县(68.2%)、南垣县…)
            if s == before:
                return s

    def clean(self, s: str) -> str:
        # The words after one figure are the words before the next: each phrase is cleaned once.
        cleaned = self._cleaned.get(s)
        if cleaned is None:
            cleaned = self._cleaned[s] = self._clean(s)
        return cleaned

    def _clean(self, s: str) -> str:
        if _FOREIGN_WORD_FIRST.search(s) and HAN.search(s):
            s = _FOREIGN_WORDS.sub("", s)
        s = self._strip_lead(s.strip().lstrip("(（"))
        s = s.rstrip("。!?！？;；")
        if s and s[-1] in _TRAIL_LAST_CHARS and not s.endswith(subjects.WORDS_HOLDING_A_JOINER):
            s = _TRAIL_NOISE.sub("", s)  # but the 及 of 惠及 is no trailing joiner
        return s.strip(" ,、:：").rstrip("(（")

    def _region_at(self, pos: int) -> tuple[Region | None, str | None]:
        """(region, rule) for a region named at `pos` (after fillers): the first rule of REGION_RULES
        that holds there. A rule may hold with no region (name_before_noun: what stands there is not
        the figure's area); (None, None) when nothing there looks like a place."""
        filler = _REGION_LEAD_FILLER.match(self.text, pos, self.sentence.end)
        offset = filler.end() if filler else pos
        self_word = _SELF_WORD.match(self.text, offset)
        names = [] if self_word else self.ref.gazetteer.names_at(self.text, offset)
        town = _TOWN_NAME.match(self.text, offset, self.sentence.end) \
            if not self_word and self.home.level in ("prefecture", "county") else None
        place = _PlaceAt(offset, self_word, names, town)
        for rule, decide in _REGION_DECIDERS:
            found = decide(self, place)
            if found is not None:
                return found.region, rule
        return None, None

    def _ranking_after_self(self, at: _PlaceAt) -> RegionFound | None:
        if at.self_word and self.text.startswith(_COMPARISON_AFTER_SELF, at.self_word.end()):
            return RegionFound(None)  # 在全国率先, 全省首个: not the area the figure is about
        return None

    def _self_reference(self, at: _PlaceAt) -> RegionFound | None:
        if not at.self_word:
            return None
        level = at.self_word.group(2)
        if level == places.COUNTRY_LEVEL:
            return RegionFound(self.ref.gazetteer.country())
        if level == places.PROVINCE_LEVEL and self.home.level != "province":
            return RegionFound(self.ref.gazetteer.province_of(self.home))
        return RegionFound(self.home)

    def _town_named(self, at: _PlaceAt) -> RegionFound | None:
        town = at.town
        if town and (not at.names or len(town.group(0)) > len(at.names[0][0])) \
                and _REGION_SUBJECT_FOLLOWER.match(self.text, town.end()):
            return RegionFound(self.ref.gazetteer.sub_area(self.home, town.group(0)))  # 桂林街道 holds 桂林
        return None

    def _name_before_noun(self, at: _PlaceAt) -> RegionFound | None:
        # A region is the subject when the figure or a quantity word follows it at once
        # (贵阳市2492元, 黔东南州共…); before a noun it only qualifies it (广东省博士工作站15家).
        if at.names:
            name = at.names[0][0]
            if not _REGION_SUBJECT_FOLLOWER.match(self.text, at.offset + len(name)):
                return RegionFound(None)
        return None

    def _ambiguous_name(self, at: _PlaceAt) -> RegionFound | None:
        # 资源, 城区: an ordinary word here far more often than a place.
        return RegionFound(None) if at.names and at.names[0][0] in self.ref.gazetteer.ambiguous else None

    def _candidates_in_home_province(self, at: _PlaceAt) -> list[Region] | None:
        """A short name's places (合作, 公安) that the report's province holds; None for a full name."""
        name, candidates = at.names[0]
        if any(r.name == name for r in candidates):
            return None
        return [r for r in candidates if r.level == "province" or r.province_code == self.home.province_code]

    def _short_name_elsewhere(self, at: _PlaceAt) -> RegionFound | None:
        if at.names and self._candidates_in_home_province(at) == []:
            return RegionFound(None)  # a short name is trusted only inside the report's province
        return None

    def _short_name_in_home_province(self, at: _PlaceAt) -> RegionFound | None:
        inside = self._candidates_in_home_province(at) if at.names else None
        return RegionFound(self.ref.gazetteer.resolve(inside, self.home)) if inside else None

    def _own_sub_area(self, at: _PlaceAt) -> RegionFound | None:
        if at.names or at.self_word:
            return None
        own = _OWN_SUB_AREA.match(self.text, at.offset)
        if own and self.home.level in ("prefecture", "county"):
            part = own.group(0).lstrip(places.OWN_WORD)[1:]  # 本区开发区 → the home's 开发区
            return RegionFound(self.ref.gazetteer.sub_area(self.home, self.home.name + part))
        return None

    def _unknown_place(self, at: _PlaceAt) -> RegionFound | None:
        if at.names or at.self_word or not _UNKNOWN_PLACE_NAME.match(self.text, at.offset, self.sentence.end):
            return None
        return RegionFound(UNKNOWN_REGION)

    def _named_region(self, at: _PlaceAt) -> RegionFound | None:
        return RegionFound(self.ref.gazetteer.resolve(at.names[0][1], self.home)) if at.names else None

    def _period(self, pos: int, clause: Span) -> tuple[str | None, str | None, str]:
        """(period, basis, rule) of a figure at `pos`: the first rule of PERIOD_RULES that holds (its
        sentence's time, its section's, the report's; none stated)."""
        for rule, decide in _PERIOD_DECIDERS:
            found = decide(self, pos, clause)
            if found is not None:
                return found[0], found[1], rule
        return None, None, "none_stated"

    def _sentence_time(self, pos: int, clause: Span) -> tuple[str | None, str | None] | None:
        # A time expression reaches to the end of its sentence, but not past a semicolon (a new
        # statement), and 全年/年度 only within their clause.
        segment_start = max(self.text.rfind(";", self.sentence.start, pos),
                            self.text.rfind("；", self.sentence.start, pos))
        best = None
        for t in self.times:
            if t.end > pos:
                break
            if t.start < segment_start and not t.as_of:
                continue
            if t.clause_scoped and not (clause.start <= t.start < clause.end):
                continue
            best = t
        return (best.period, "sentence") if best is not None else None

    def _section_heading(self, pos: int, clause: Span) -> tuple[str | None, str | None] | None:
        return (self.section.period, "heading") if self.section.period else None

    def _document_period(self, pos: int, clause: Span) -> tuple[str | None, str | None] | None:
        return (self.report.label, "document") if self.report else None

    def _none_stated(self, pos: int, clause: Span) -> tuple[str | None, str | None] | None:
        return None, None

    def _program_mentions(self, catalogued: list[tuple[int, int, str]]) -> list[tuple[int, int, str, str]]:
        """(start, end, program, rule) of every program named in the sentence, found once.

        `catalogued` are the catalogue's names inside the sentence (the document finds them all in
        one pass); quoted names of programs not in the catalogue are found here.
        """
        hits = [(start, end, name, "catalogued_name") for start, end, name in catalogued]
        for pattern, rule in _PROGRAM_PATTERNS:
            for m in pattern.finditer(self.text, self.sentence.start, self.sentence.end):
                if rule != "quoted_name" and any(start <= m.start(1) < end for start, end, _, _ in hits):
                    continue  # the newer patterns only name what nothing before them named
                entry = self.ref.programs.match(m.group(1))
                hits.append((m.start(1), m.end(1), entry.name if entry else m.group(1), rule))
        return sorted(hits)

    def _program(self, pos: int) -> tuple[str | None, str]:
        """(program, rule): the program named last before `pos` in the sentence."""
        before = [h for h in self.programs if h[1] <= pos]
        if not before:
            return None, "none_named"
        _, _, name, rule = max(before)
        return name, rule

    def _basis(self, pos: int) -> str:
        lead = self.text[self.sentence.start : pos]
        line = _DIFFERENCE_FROM_LINE.search(lead.rstrip())
        if line:
            # 低于省控制线0.46个百分点, 比全国平均水平低0.3个百分点: against that line
            return measures.BASIS_AGAINST + (line.group("line") or line.group("compared_line"))
        explicit = list(_EXPLICIT_BASIS.finditer(lead))
        yoy = list(_YOY.finditer(lead))
        last_explicit = explicit[-1] if explicit else None
        last_yoy = yoy[-1] if yoy else None
        if last_explicit and (not last_yoy or last_explicit.start() > last_yoy.start()):
            if measures.SAME_PERIOD not in lead[last_explicit.end() : last_explicit.end() + 4]:
                return measures.BASIS_AGAINST + last_explicit.group(1)
        sequential = list(_MONTH_ON_MONTH.finditer(lead))
        if sequential and (not last_yoy or sequential[-1].start() > last_yoy.start()) \
                and (not last_explicit or sequential[-1].start() > last_explicit.start()):
            return measures.BASIS_MONTH_ON_MONTH
        return "yoy"

    def _setting(self, clause: Span) -> str:
        """The clause before `clause` in the sentence, cleaned, when it states no number itself."""
        index = self.clauses.index(clause)
        if index == 0:
            return ""
        before = self.clauses[index - 1]
        if any(before.start <= q.start < before.end for q in self.quantities):
            return ""
        return self.clean(without_time_expressions(self.text[before.start : before.end]))

    def _kept_at(self, q: Quantity, gap: str) -> bool:
        """控制在2.97% with no bound after the figure: the level kept, not a goal."""
        return gap.rstrip().endswith(measures.KEPT_AT) and not self.text.startswith(measures.BOUND_AFTER, q.end)

    def _label_before_colon(self, clause: Span) -> str:
        """The clause before `clause` when a colon ends it and it states no number: a label whose
        figure follows the colon (城镇新增就业：3.2万人)."""
        index = self.clauses.index(clause)
        if index == 0 or self.text[clause.start - 1] not in ":：":
            return ""
        before = self.clauses[index - 1]
        if any(before.start <= q.start < before.end for q in self.quantities):
            return ""
        return self.text[before.start : before.end]

    def _under_goal(self, pos: int) -> bool:
        """After 确保/力争 in the sentence, unless something since says it is already done."""
        if self.goal_from is None or self.goal_from > pos:
            return False
        return not _ACHIEVED.search(self.text, self.goal_from, pos)

    def _measure(self, q: Quantity, gap: str, clause_lead: str) -> tuple[str, bool, str]:
        """(measure, negative, rule) from the words before the number."""
        gap_s = gap.strip().rstrip("-−－﹣")  # 增长-5%: the sign belongs to the figure
        if len(gap_s) <= 2:
            # 增幅最大,为2.54%: the measure word stands in the clause before; but not before the figure
            # before (目标3200人,完成2840人: 完成 is no goal), unless the two are one list or range
            # (总量的5%-10%: both are shares).
            index = bisect_left(self.quantity_starts, q.start)
            before = self.quantities[index - 1].end if index > 0 else 0
            if LIST_OR_RANGE_JOINER.match(self.text[before : q.start]):
                before = 0
            gap_s = self.text[max(self.sentence.start, q.start - len(gap_s) - 12, before) : q.start].strip()
        for rule, test in _WORD_RULES:
            if rule.percent_only and q.unit != "%":
                continue
            decided = test(self, q, gap_s, clause_lead)
            if decided and rule.decides:
                negative = rule.decides == "change" and (
                    _change_word(decided) in _NEGATIVE_CHANGE
                    or (decided.group(1) in _POSITIVE_CHANGE
                        and gap_s[: decided.start(1)].endswith(counters.NEGATIVE_WORD)))
                return rule.decides, negative, rule.name
        return "value", False, "no_measure_word"

    # How each rule of measures.MEASURE_RULES that reads the words around a figure reads them: a
    # match (or True) when it holds.
    _MEASURE_TESTS: ClassVar[dict[str, Callable[..., Any]]] = {
        "completion_word": lambda self, q, gap, lead: _COMPLETION_WORD.search(gap),
        # Not when a 完成率 follows: then 完成30% is the level reached of an indicator that is a rate.
        "done_right_before": lambda self, q, gap, lead: _DONE_RIGHT_BEFORE.search(gap.rstrip())
        and measures.COMPLETION_RATE not in self.text[q.end : self.sentence.end],
        "completion_of_plan": lambda self, q, gap, lead: _COMPLETION_OF_PLAN.search(gap),
        "completion_of_stated_goal": lambda self, q, gap, lead: (
            gap.endswith(subjects.POSSESSIVE) and _COMPLETION_ANCHOR.search(lead) and _TARGET.search(lead)),
        "share_word": lambda self, q, gap, lead: _SHARE.search(gap),
        "difference_from_line": lambda self, q, gap, lead: (
            _DIFFERENCE_FROM_LINE.search(gap) if q.unit in measures.LINE_DIFFERENCE_UNITS else None),
        "change_verb": lambda self, q, gap, lead: _CHANGE_VERB.search(gap),
        "goal_word": lambda self, q, gap, lead: _TARGET.search(gap) and not self._kept_at(q, gap),
        "goal_after_figure": lambda self, q, gap, lead: _GOAL_AFTER_FIGURE.match(self.text, q.end, q.end + 16),
        "under_sentence_goal": lambda self, q, gap, lead: self._under_goal(q.start),
    }

    # How each rule of places.REGION_RULES read at a figure's place reads it, and each rule of
    # time_words.PERIOD_RULES decided in a sentence: a result when it holds, None when not.
    _REGION_TESTS: ClassVar[dict[str, Callable[..., Any]]] = {
        "ranking_after_self": lambda self, at: self._ranking_after_self(at),
        "self_reference": lambda self, at: self._self_reference(at),
        "town_named": lambda self, at: self._town_named(at),
        "name_before_noun": lambda self, at: self._name_before_noun(at),
        "ambiguous_name": lambda self, at: self._ambiguous_name(at),
        "short_name_elsewhere": lambda self, at: self._short_name_elsewhere(at),
        "short_name_in_home_province": lambda self, at: self._short_name_in_home_province(at),
        "own_sub_area": lambda self, at: self._own_sub_area(at),
        "unknown_place": lambda self, at: self._unknown_place(at),
        "named_region": lambda self, at: self._named_region(at),
    }
    _PERIOD_TESTS: ClassVar[dict[str, Callable[..., Any]]] = {
        "sentence_time": lambda self, pos, clause: self._sentence_time(pos, clause),
        "section_heading": lambda self, pos, clause: self._section_heading(pos, clause),
        "document_period": lambda self, pos, clause: self._document_period(pos, clause),
        "none_stated": lambda self, pos, clause: self._none_stated(pos, clause),
    }

    def _indicator(self, gap: str, after: str, breakdown: bool, prior: str | None,
                   measure: str, setting: str = "", scheme: str = "", parent: str = "") -> tuple[str, str]:
        """(subject, rule): what the figure counts, and the rule of `lexicon.subjects.SUBJECT_RULES`
        that decided it; `breakdown`: the figure's clause names a part (其中…), `parent` the whole
        the sentence's 其中 breaks down.

        The rules are tried in table order, stage by stage: in a stage of rules that rename the
        subject (a `stage`), the first that holds renames it and the next stage reads the new
        name; any other rule that holds decides. When none decides, the phrase before the figure
        (or its last renaming) is the subject."""
        # A heading or lead-in ending in a dash or colon is not part of the subject; but a label
        # ending in a colon right before its figure (城镇登记失业率：3.6%) is.
        pieces = _LEAD_IN_BREAK.split(gap)
        gap = next((piece for piece in reversed(pieces) if HAN.search(piece)), pieces[-1])
        if measure == "share" and measures.SHARE_OF in gap:
            gap = gap[: gap.index(measures.SHARE_OF)]  # X占Y的z%: the share is of X, not of Y
        subject = self.clean(without_time_expressions(gap))[-MAX_SUBJECT:]
        # What follows the number names it only when it is not the next item of a list.
        # Nor when a space stands between: a headline's next part (新增就业17.67万人 就业形势稳中向好).
        # Nor when the figure stands alone in brackets after what it is of (北坪县(68.2%)、南垣县…).
        bracketed = gap.endswith(("(", "（")) and after[:1] in ")）"
        follows = "" if _NEXT_LIST_ITEM.match(after) or _SPACED_PART.match(after) or bracketed \
            else self.clean(_words_after_figure(after))[:MAX_FOLLOWER]
        draft = _SubjectDraft(subject, "phrase_before", gap, follows, han_count(follows) >= 2,
                              _TRAILING_VERB.search(subject), gap.lstrip().startswith("、"), prior, measure,
                              breakdown, setting, scheme, parent)
        renamed_in: set[str] = set()
        for rule, stage, decide in _SUBJECT_DECIDERS:
            if stage in renamed_in:
                continue
            found = decide(self, draft)
            if found is None:
                continue
            if not stage:
                return found, rule
            draft.subject, draft.rule = found, rule
            renamed_in.add(stage)
        return draft.subject[:MAX_INDICATOR], draft.rule

    def _topic_of_prior(self, d: _SubjectDraft) -> str | None:
        if d.prior:
            topic = _topic_of(d.prior, d.gap.strip(" ,，、;；:：")) or _topic_of(d.prior, d.subject)
            if topic:
                return topic[:MAX_INDICATOR]
        # 职业年金个人账户数…;收入76.77亿元;累计结余…: a metric alone is of the scheme the sentence is
        # about, across statements.
        metric = next((m for m in (d.gap.strip(" ,，、;；:："), d.subject) if _TOPIC_METRIC.fullmatch(m)), None) \
            if d.scheme else None
        return _joined(d.scheme, metric)[:MAX_INDICATOR] if metric else None

    def _sibling_takes_head(self, d: _SubjectDraft) -> str | None:
        if not (d.prior and d.sibling):
            return None
        if d.parent and d.prior.startswith(d.parent) and len(d.prior) > len(d.parent) and han_count(d.subject) <= 6:
            # 培训1.2万人次,其中农民工0.76万人次、高校毕业生0.18万人次: the next part of the same whole.
            return (d.parent + d.subject)[:MAX_INDICATOR]
        if 1 <= len(d.subject) <= 3 and len(d.prior) > len(d.subject):
            # 评出A级639家、B级23家; 惠及企业6300家、劳动者4.94万人: a sibling of the last item
            # takes the same head (the last word of the previous subject is replaced).
            return _replace_last_word(d.prior, d.subject)[:MAX_INDICATOR]
        return None

    def _names_nothing(self, d: _SubjectDraft) -> bool:
        # 共3万人; 其中北坪县完成2850人 (the place said, 完成 names nothing).
        return han_count(d.subject) < 2 or bool(d.prior and _naming(d.subject) == 0)

    def _part_of_prior(self, d: _SubjectDraft) -> str | None:
        # A part of what was just named: 其中本市员工, …企业14.61万户,职工; a place's part named
        # again in fewer words (其中北坪市新增就业 after 城镇新增就业) is the same thing.
        if d.prior and (han_count(d.subject) <= 2 or (d.breakdown and han_count(d.subject) <= 6)):
            return (d.prior if d.subject in d.prior else d.prior + d.subject)[:MAX_INDICATOR]
        return None

    def _actor_of_verb(self, d: _SubjectDraft) -> str | None:
        # 已促进就业10.51万人, 孵化企业147家: a verb phrase whose actor is the topic just named;
        # never a rate (调查失业率4.86%,二季度新增就业12万人: a rate does nothing), nor across a
        # clause that opens with its own time (…引才,截至年底引进落地900人: a new statement).
        if d.prior and han_count(d.subject) <= 4 and _VERB_PHRASE.match(d.subject) and not _RATE_TAIL.search(d.prior) \
                and not time_expression_at(d.gap.lstrip(" ,，、;；")):
            return (d.prior if d.subject in d.prior else _TOPIC_TAIL.sub("", d.prior) + d.subject)[:MAX_INDICATOR]
        return None

    # How each rule of subjects.SUBJECT_RULES that reads a figure's own words reads them: the subject
    # it gives when it holds, None when not.
    _SUBJECT_TESTS: ClassVar[dict[str, Callable[..., Any]]] = {
        # 完成…目标任务的66.75%: a reading of what was just named.
        "completion_reads_prior": lambda self, d: d.prior if d.prior and d.measure == "completion" else None,
        # The list names the members, not what they are.
        "members_listed_before": lambda self, d: d.follows if d.follows_names and _MEMBERS_BEFORE.search(d.gap)
        else None,
        "noun_after_figure": lambda self, d: (
            ((d.subject + d.follows) if han_count(d.subject) >= 2 else d.follows)
            if d.follows_names and (han_count(d.subject) < 6 or d.gap.rstrip().endswith(subjects.LIST_JOINERS))
            else None),
        # 向人社部遴选推荐2家国家级继续教育基地: verb, number, object; the actor before is setting.
        "verb_and_object": lambda self, d: d.verb.group(0) + d.follows if d.follows_names and d.verb else None,
        "topic_of_prior": lambda self, d: self._topic_of_prior(d),
        "metric_of_prior_object": lambda self, d: (
            (_metric_of_prior_object(d.prior, d.subject) or "")[:MAX_INDICATOR] or None) if d.prior else None,
        "sibling_takes_head": lambda self, d: self._sibling_takes_head(d),
        "abbreviates_prior": lambda self, d: d.prior if d.prior and _abbreviates(d.subject, d.prior) else None,
        # 占资金总量的45%: a reading of what was just named.
        "share_reads_prior": lambda self, d: d.prior if d.prior and d.measure == "share" and _naming(d.subject) < 4
        else None,
        # 完成人社部下达的就业扶贫目标任务53万人: the target of what was just named.
        "target_reads_prior": lambda self, d: d.prior if d.prior and d.measure == "target"
        and _FULFIL_TARGET.search(d.subject) else None,
        # 完成全年任务数4万人, 比去年增加400人: the subject just named.
        "measure_reads_prior": lambda self, d: d.prior if d.prior and d.measure != "value" and _naming(d.subject) < 2
        else None,
        "names_nothing_takes_prior": lambda self, d: d.prior if d.prior and self._names_nothing(d) else None,
        "names_nothing": lambda self, d: d.subject if not d.prior and self._names_nothing(d) else None,
        # 面向高校应届毕业生开展公开招聘,计划招聘932人: the clause before says what is counted; a
        # subject of measure words alone adds nothing to it (城镇新增就业:目标3200人).
        "setting_names_count": lambda self, d: d.setting[-MAX_SUBJECT:] + (d.subject if _naming(d.subject) else "")
        if d.setting and _naming(d.subject) <= 3 and not self.ref.indicators.names(d.subject) else None,
        "part_of_prior": lambda self, d: self._part_of_prior(d),
        "actor_of_verb": lambda self, d: self._actor_of_verb(d),
    }

    # -- groups introduced by 分别 ------------------------------------------------------------
    def _respectively_groups(self) -> dict[int, tuple[int, list[str] | None, int]]:
        """Map quantity index → (group start index, subjects or None, anchor position)."""
        out: dict[int, tuple[int, list[str] | None, int]] = {}
        qs = self.quantities
        for m in _RESPECTIVELY.finditer(self.text, self.sentence.start, self.sentence.end):
            anchor = m.start()
            first = next((i for i, q in enumerate(qs) if q.start > anchor), None)
            if first is None or qs[first].start - anchor > 20:
                continue
            members = [first]
            for i in range(first + 1, len(qs)):
                if _JOINER_GAP.match(self.text[qs[i - 1].end : qs[i].start]):
                    members.append(i)
                else:
                    break
            if len(members) < 2:
                continue
            clause = self.clause_of(anchor)
            listed = _BASIS_PHRASE.sub("", self.text[clause.start : anchor])
            items = [self.clean(p) for p in _list_items(_ordinals_listed(listed))]
            items = [p for p in items if p]
            subjects: list[str] | None = None
            if len(items) == len(members):
                subjects = _listed_subjects(items, self.clean)
            for i in members:
                out[i] = (first, subjects, anchor)
        return out

    # -- main -------------------------------------------------------------------------------
    def facts(self) -> list[Fact]:
        facts: list[Fact] = []
        groups = self._respectively_groups()
        # The last subject of the sentence before carries over only into a breakdown (其中…) or to
        # a figure that names nothing itself; otherwise a new sentence starts a new subject.
        opens_breakdown = _BREAKDOWN_OPENER.match(self.text, self.sentence.start, self.sentence.end)
        prior = self.previous_indicator if opens_breakdown else None
        carried = self.previous_indicator
        prior_measure = None
        prior_end: int | None = None
        scheme = ""  # the scheme the sentence is about so far (职业年金, 失业保险基金)
        breakdown_parent = ""  # what a 其中 clause of the sentence breaks down
        for i, q in enumerate(self.quantities):
            clause = self.clause_of(q.start)
            prev_end = clause.start
            if i > 0 and self.quantities[i - 1].end > clause.start:
                prev_end = self.quantities[i - 1].end
            next_start = clause.end
            if i + 1 < len(self.quantities) and self.quantities[i + 1].start < clause.end:
                next_start = self.quantities[i + 1].start
            gap = self.text[prev_end : q.start]
            if prev_end == clause.start and not HAN.search(gap):
                gap = self._label_before_colon(clause) + gap  # 城镇登记失业率：3.6%: the label names it
            after = self.text[q.end : next_start]
            clause_lead = self.text[clause.start : q.start]
            clause_text = self.text[clause.start : clause.end]
            period_anchor = q.start

            if i in groups:
                first, listed, anchor = groups[i]
                group_lead = self.text[clause.start if clause.start < anchor else anchor : q.start]
                # From the start of the clause 分别 stands in: its words say what the figures measure,
                # also when a colon puts the figures in a clause of their own (占比分别为:31.7%、…).
                keyword_text = self.text[min(clause.start, self.clause_of(anchor).start) : self.quantities[first].start]
                measure, negative, measure_rule = self._measure(q, keyword_text, group_lead)
                position = i - first
                if listed:
                    indicator, subject_rule = listed[position], "respectively_listed"
                else:
                    count = len([j for j in groups if groups[j][0] == first])
                    earlier = [f for f in facts if f.start < anchor]
                    lead_words = self.text[self.clause_of(anchor).start : anchor]
                    stated = _STATED_ITEM_COUNT.search(lead_words)
                    # 三项指标分别…: the first three figures of the sentence; otherwise the last ones.
                    earlier = earlier[:count] if stated and parse_numeral(stated.group("count")) == count \
                        else earlier[-count:]
                    lead = self.clean(without_time_expressions(self.text[clause.start : anchor]))
                    subject_rule = "respectively_of_figures_before"
                    indicator = (earlier[position].indicator if len(earlier) == count
                                 else prior or lead or carried or "")
                if measure == "completion":
                    period_anchor = anchor
            else:
                measure, negative, measure_rule = self._measure(q, gap, clause_lead)
                breakdown = clause_text.lstrip().startswith(subjects.BREAKDOWN_WORD)
                if measure == "value" and prior_measure == "target" and breakdown:
                    # 力争培训33万人次,其中贫困劳动力4万人次: a part of a target
                    measure, measure_rule = "target", "part_of_target"
                elif measure == "target" and prior_measure == "completion" and q.unit == "%" \
                        and _ANOTHER_GOAL.search(gap.strip()):
                    # 完成省定目标的106.5%,市定目标的101.2%: the completion of a second goal
                    measure, measure_rule = "completion", "completion_of_another_goal"
                same_statement = prior_end is None or ";" not in self.text[prior_end:q.start]
                # The clause before sets the scene only for the sentence's first figure; later ones
                # have the subjects of the figures before them.
                setting = self._setting(clause) if not facts else ""
                if measure_rule == "goal_after_figure" or _GOAL_AFTER_FIGURE.match(after):
                    after = ""  # 低于4.5%的控制目标: the goal words after the figure name nothing
                subject_prior = prior if same_statement else None
                if not same_statement and breakdown_parent and han_count(self.clean(gap)) <= 2:
                    subject_prior = breakdown_parent  # 其中:企业…;政府…: the parts go on after a semicolon
                indicator, subject_rule = self._indicator(gap, after, breakdown, subject_prior, measure, setting,
                                                          scheme, breakdown_parent)
                around_clause_start = self.text[max(self.sentence.start, clause.start - 3) : clause.start + 3]
                if subject_rule == "part_of_prior" and subject_prior and subjects.BREAKDOWN_WORD in around_clause_start:
                    breakdown_parent = subject_prior  # 其中 opens the clause, or ends the one before (其中:)
                if self.section.topic and not subject_prior and not _naming(indicator):
                    # 一、城镇新增就业。全市完成3.12万人: the item's title names what 完成 counts
                    indicator, subject_rule = self.section.topic, "section_topic"
                if not indicator and (prior or carried):
                    indicator, subject_rule = prior or carried or "", "carried_from_before"
                if facts and len(gap) <= 3 and _RANGE_JOINER.fullmatch(gap) and not han_count(indicator):
                    indicator, subject_rule = facts[-1].indicator, "names_nothing_takes_prior"  # 5%-10%: one range
                if measure_rule == "difference_from_line" and prior and same_statement:
                    indicator, subject_rule = prior, "measure_reads_prior"  # 低于省控制线0.46个百分点
                if measure == "completion":
                    # 完成全年任务的, 为年度目标的: the goal's 全年 dates the goal; the completion is of
                    # the time before it.
                    anchors = [m.start() for m in _COMPLETION_ANCHOR.finditer(clause_lead)]
                    period_anchor = clause.start + anchors[-1] if anchors else q.start

            value = -q.value if negative else q.value
            named_region, region_rule = self._region_at(prev_end)
            if named_region is None and clause.start != prev_end:
                at_clause_start, clause_rule = self._region_at(clause.start)
                if at_clause_start is not None or region_rule is None:
                    named_region, region_rule = at_clause_start, clause_rule
            region = named_region or self.home
            period, period_basis, period_rule = self._period(period_anchor, clause)
            if i in groups and groups[i][1] is None:
                # 1-3月的求人倍率分别为1.20、1.15和1.33: each figure of the list takes its own month.
                first, _, anchor = groups[i]
                count = len([j for j in groups if groups[j][0] == first])
                year = int(period[:4]) if period and period[:4].isdigit() else None
                listed = listed_periods(self.text[self.sentence.start : anchor], count, year, self.report)
                if listed:
                    period, period_basis, period_rule = listed[i - first], "sentence", "respectively_time_list"
            program, program_rule = self._program(q.start)
            facts.append(
                Fact(
                    start=q.start,
                    end=q.end,
                    quote_start=clause.start,
                    indicator=indicator,
                    value=value,
                    unit=q.unit,
                    measure=measure,
                    basis=self._basis(q.start) if measure == "change" else None,
                    region=region,
                    period=period,
                    program=program,
                    hedge=q.hedge,
                    sentence_index=self.index,
                    region_basis="sentence" if named_region else "document",
                    period_basis=period_basis,
                    decided_by=DecidedBy(measure_rule, subject_rule, region_rule or "document_area", period_rule,
                                         program_rule),
                )
            )
            scheme = _scheme_stem(indicator) or scheme
            in_aside = any(a <= q.start < b for a, b in self.asides)
            if indicator and measure in ("value", "target") and not in_aside:
                prior = indicator  # an aside in brackets does not become the subject of what follows
                prior_end = q.end
            prior_measure = measure
        self.last_subject = prior
        return facts


# The measure rules read from the words around a figure, in the table's order, with their tests.
_WORD_RULES = tuple((rule, SentenceFacts._MEASURE_TESTS[rule.name]) for rule in measures.MEASURE_RULES
                    if rule.name in SentenceFacts._MEASURE_TESTS)
# The region and period rules decided in a sentence, in their tables' order, with their tests.
_REGION_DECIDERS = tuple((rule.name, SentenceFacts._REGION_TESTS[rule.name]) for rule in places.REGION_RULES
                         if rule.name in SentenceFacts._REGION_TESTS)
_PERIOD_DECIDERS = tuple((rule.name, SentenceFacts._PERIOD_TESTS[rule.name]) for rule in time_words.PERIOD_RULES
                         if rule.name in SentenceFacts._PERIOD_TESTS)
# The subject rules read from a figure's own words, in the table's order: (name, the stage of
# renaming rules it belongs to or "" for a rule that decides, its test).
_SUBJECT_DECIDERS = tuple((rule.name, rule.stage, SentenceFacts._SUBJECT_TESTS[rule.name])
                          for rule in subjects.SUBJECT_RULES if rule.name in SentenceFacts._SUBJECT_TESTS)
