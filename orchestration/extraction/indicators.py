"""The indicator catalogue and the mapper from a figure's phrase to a catalogue code.

Right before greedy: a phrase gets a code only when it names the indicator itself — by name or
alias once words of scope and of measure are set aside, by exactly the indicator's terms (scheme,
measure, population …), or by a name at its end with nothing before it that narrows what is
counted. Anything less leaves the phrase uncatalogued with the indicators it nearly named as
candidates, for an analyst to review (`dim_indicator.candidate_codes`). The unit is a constraint
throughout: a 元 figure is never a 人 indicator, a level in % only a rate.

Rule names are the `INDICATOR_RULES` of `lexicon/indicators.py`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

from .lexicon import counters
from .lexicon import indicators as words
from .scanning import lengths_by_last_char
from .text import HAN

RELATIVE_UNITS = words.RELATIVE_UNITS
PERSON_UNITS = words.PERSON_UNITS
ORGANISATION_UNITS = words.ORGANISATION_UNITS
MAX_CANDIDATES = 3


def unit_family(unit: str) -> str:
    """What kind of quantity a unit measures: money, rate, persons, organisations or other counts
    (个, 件, 场 …). A figure is a figure of an indicator only in the indicator's family."""
    if unit.startswith(counters.MONEY_UNIT):
        return "money"
    if unit in RELATIVE_UNITS:
        return "rate"
    if unit in PERSON_UNITS:
        return "persons"
    if unit in ORGANISATION_UNITS:
        return "organisations"
    return "count"


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    policy_area: str
    unit: str  # its unit; a facility counted now in 家, now in 个 lists both: 家|个
    parent_code: str
    terms: frozenset[str]  # the terms it is composed of (indicator_terms.csv); empty: named by aliases only
    known_terms: frozenset[str]  # its own terms and every term its names contain

    def counts(self, unit: str, measure: str) -> bool:
        """Whether a figure in `unit` with `measure` can be a figure of this indicator."""
        if not self.unit:
            return True
        if unit in RELATIVE_UNITS and measure != "value":
            return True  # a change, share or completion in % of anything
        return unit_family(unit) in {unit_family(u) for u in self.unit.split("|")}


class IndicatorMatch(NamedTuple):
    code: str | None
    rule: str  # a name of lexicon.indicators.INDICATOR_RULES
    candidates: tuple[str, ...] = ()  # codes it nearly named, when it names none


class Term(NamedTuple):
    term: str
    kind: str


class _Phrase(NamedTuple):
    """A phrase as the mapper's rules read it: its plain text and the vocabulary's terms in it."""

    plain: str
    spans: list[tuple[int, int, Term]]
    terms: frozenset[str]


class IndicatorCatalogue:
    """The catalogue (indicators.csv) with its term vocabulary (indicator_terms.csv)."""

    def __init__(self, indicators_csv: Path, terms_csv: Path) -> None:
        self.synonyms: dict[str, Term] = {}
        with terms_csv.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                for word in [row["term"], *(s for s in row["synonyms"].split("|") if s)]:
                    self.synonyms[word] = Term(row["term"], row["kind"])
        # For each first character, the synonyms starting with it, longest first.
        self.words_by_start: dict[str, list[str]] = {}
        for word in sorted(self.synonyms, key=len, reverse=True):
            self.words_by_start.setdefault(word[0], []).append(word)
        self.entries: dict[str, Indicator] = {}
        self.by_name: dict[str, list[Indicator]] = {}
        self.by_terms: dict[frozenset[str], list[Indicator]] = {}
        with indicators_csv.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                names = [row["indicator_name"], *(a for a in row["aliases"].split("|") if a)]
                terms = frozenset(t for t in row.get("terms", "").split("|") if t)
                known = terms.union(*({t.term for t in self.terms_in(n)} for n in names))
                entry = Indicator(row["indicator_code"], row["indicator_name"], row["policy_area"], row["unit"],
                                  row.get("parent_code", ""), terms, known)
                self.entries[entry.code] = entry
                for name in names:
                    self.by_name.setdefault(name, []).append(entry)
                if terms:
                    self.by_terms.setdefault(terms, []).append(entry)
        self.name_lengths_by_end = lengths_by_last_char(self.by_name, words.MIN_NAME_AT_END)
        # Names that close a longer name of another indicator are head nouns (就业人员 closes
        # 城镇就业人员): a phrase ending in one may name another part of it, so only the name itself
        # is that indicator.
        self.head_names = frozenset(
            name for name, entries in self.by_name.items()
            if any(longer.endswith(name) and len(longer) > len(name) and set(others).isdisjoint(entries)
                   for longer, others in self.by_name.items()))
        self._cache: dict[tuple[str, str, str], IndicatorMatch] = {}

    def terms_in(self, phrase: str) -> list[Term]:
        """The vocabulary's terms in `phrase`, left to right, the longest word at each place."""
        return [term for _, _, term in self._term_spans(phrase)]

    def _term_spans(self, phrase: str) -> list[tuple[int, int, Term]]:
        spans, i = [], 0
        while i < len(phrase):
            for word in self.words_by_start.get(phrase[i], ()):
                if phrase.startswith(word, i):
                    spans.append((i, i + len(word), self.synonyms[word]))
                    i += len(word)
                    break
            else:
                i += 1
        return spans

    def names(self, phrase: str) -> bool:
        """Whether `phrase` is, or ends with, a catalogue name (whatever its qualifiers)."""
        if phrase in self.by_name:
            return True
        lengths = self.name_lengths_by_end.get(phrase[-1:], ())
        return any(phrase[-n:] in self.by_name for n in lengths if n < len(phrase))

    def match(self, phrase: str, unit: str, measure: str = "value") -> IndicatorMatch:
        key = (phrase, unit, measure)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._match(phrase, unit, measure)
        return found

    def _match(self, phrase: str, unit: str, measure: str) -> IndicatorMatch:
        # 人口自然增长率 is a name ending in a word of change: the phrase is first read whole.
        whole = self._read(normalise(phrase), unit, measure)
        if whole.code or measure not in words.MEASURE_TAILS:
            return whole
        without_measure = self._read(normalise(phrase, words.MEASURE_TAILS[measure]), unit, measure)
        return without_measure if without_measure.code else whole

    def _read(self, plain: str, unit: str, measure: str) -> IndicatorMatch:
        """The first rule of INDICATOR_RULES, in table order, that reads `plain` as a catalogue
        indicator or as a part of one; not_catalogued when none does (unit_mismatch and
        qualified_name are what a rule finds when the names it matched do not settle the code)."""
        if not plain:
            return IndicatorMatch(None, "not_catalogued")
        spans = self._term_spans(plain)
        phrase = _Phrase(plain, spans, frozenset(t.term for _, _, t in spans))
        for step in _MAPPER_STEPS:
            found = step(self, phrase, unit, measure)
            if found is not None:
                return found
        return IndicatorMatch(None, "not_catalogued")

    def _catalogue_name(self, phrase: _Phrase, unit: str, measure: str) -> IndicatorMatch | None:
        named = self.by_name.get(phrase.plain)
        return self._counted(named, unit, measure, "catalogue_name") if named else None

    def _composed_terms(self, phrase: _Phrase, unit: str, measure: str) -> IndicatorMatch | None:
        if not (phrase.terms and _only_fillers_besides(phrase.plain, phrase.spans)):
            return None
        composed = self.by_terms.get(phrase.terms)
        if composed and _note_restates_terms(phrase.plain, phrase.spans):
            # 征缴收入(工伤保险费征缴收入): a note naming again what the phrase names is one of its parts.
            return IndicatorMatch(None, "qualified_name", _codes(composed))
        if not composed and words.IMPLIED_METRIC in phrase.terms:
            composed = self.by_terms.get(phrase.terms - {words.IMPLIED_METRIC})
        return self._counted(composed, unit, measure, "composed_terms") if composed else None

    def _scheme_in_persons(self, phrase: _Phrase, unit: str, measure: str) -> IndicatorMatch | None:
        if not (phrase.terms and _only_fillers_besides(phrase.plain, phrase.spans)):
            return None
        kinds = {t.kind for _, _, t in phrase.spans}
        if len(phrase.terms) == 1 and len(kinds) == 1 and unit_family(unit) == "persons":
            head = words.HEAD_IMPLIED_IN_PERSONS.get(kinds.pop())
            implied = self.by_terms.get(phrase.terms | {head}) if head else None
            if implied:
                return self._counted(implied, unit, measure, "scheme_in_persons")
        return None

    def _name_at_end(self, phrase: _Phrase, unit: str, measure: str) -> IndicatorMatch | None:
        plain = phrase.plain
        qualifiers = {t.term for _, _, t in phrase.spans if t.kind in words.QUALIFYING_KINDS}
        for length in self.name_lengths_by_end.get(plain[-1], ()):
            if length < len(plain):
                at_end = self.by_name.get(plain[-length:])
                if at_end and plain[-length:] not in self.head_names:
                    unqualified = [e for e in at_end if qualifiers <= e.known_terms]
                    if unqualified:
                        return self._counted(unqualified, unit, measure, "name_at_end")
                    return IndicatorMatch(None, "qualified_name", _codes(at_end))
        return None

    def _qualified_name(self, phrase: _Phrase, unit: str, measure: str) -> IndicatorMatch | None:
        noted = self.by_name.get(words.CLOSING_NOTE.sub("", phrase.plain))
        if noted:
            return IndicatorMatch(None, "qualified_name", _codes(noted))
        # Indicators whose terms are all in the phrase: it names a part of one of them.
        nearly = [e for t, es in self.by_terms.items() if t < phrase.terms for e in es if e.counts(unit, measure)]
        if nearly:
            nearly.sort(key=lambda e: -len(e.terms))
            return IndicatorMatch(None, "qualified_name", _codes(nearly))
        return None

    # How each rule of INDICATOR_RULES reads a phrase: a match when it holds, None when not.
    _MAPPER_TESTS: ClassVar[dict[str, Callable[..., Any]]] = {
        "catalogue_name": lambda self, phrase, unit, measure: self._catalogue_name(phrase, unit, measure),
        "composed_terms": lambda self, phrase, unit, measure: self._composed_terms(phrase, unit, measure),
        "scheme_in_persons": lambda self, phrase, unit, measure: self._scheme_in_persons(phrase, unit, measure),
        "name_at_end": lambda self, phrase, unit, measure: self._name_at_end(phrase, unit, measure),
        "qualified_name": lambda self, phrase, unit, measure: self._qualified_name(phrase, unit, measure),
    }

    @staticmethod
    def _counted(entries: list[Indicator], unit: str, measure: str, rule: str) -> IndicatorMatch:
        fitting = [e for e in entries if e.counts(unit, measure)]
        if len(fitting) == 1:
            return IndicatorMatch(fitting[0].code, rule)
        # None fits the unit (536名 is no 追回工资 amount), or the names say too little to choose.
        return IndicatorMatch(None, "unit_mismatch" if not fitting else "qualified_name", _codes(entries))


def _codes(entries: list[Indicator]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(e.code for e in entries))[:MAX_CANDIDATES]


def _only_fillers_besides(phrase: str, spans: list[tuple[int, int, Term]]) -> bool:
    """Whether every word of `phrase` outside its terms is a filler word (lexicon FILLER_WORDS):
    then the phrase says no more than its terms."""
    rest, last = [], 0
    for start, end, _ in spans:
        rest.append(phrase[last:start])
        last = end
    rest.append(phrase[last:])
    for piece in rest:
        piece = "".join(HAN.findall(piece))
        while piece:
            filler = next((w for w in words.FILLER_WORDS if piece.startswith(w)), None)
            if filler is None:
                return False
            piece = piece[len(filler):]
    return True


def _note_restates_terms(phrase: str, spans: list[tuple[int, int, Term]]) -> bool:
    """Whether a bracketed note of the phrase holds terms, all of them also outside it."""
    inside: set[str] = set()
    outside: set[str] = set()
    for start, _, term in spans:
        depth = phrase.count("(", 0, start) + phrase.count("（", 0, start) \
            - phrase.count(")", 0, start) - phrase.count("）", 0, start)
        (inside if depth > 0 else outside).add(term.term)
    return bool(inside) and inside <= outside


def normalise(phrase: str, measure_tail: re.Pattern[str] | None = None) -> str:
    """The phrase without quotes, list numbers, words of scope and trailing words (and the words of its
    measure, given their pattern)."""
    text = phrase.translate(_DROPPED)
    text = words.ENUMERATOR.sub("", text)
    while True:
        before = text
        text = _strip_scope_and_trailing_words(text, measure_tail)
        for pattern, replacement in words.REWRITES:
            text = pattern.sub(replacement, text)
        if text == before:
            return text


def _strip_scope_and_trailing_words(text: str, measure_tail: re.Pattern[str] | None) -> str:
    changed = True
    while changed and text:
        before = text
        text = _strip_notes(text)
        for word in words.SCOPE_WORDS:
            if text.startswith(word) and len(text) > len(word):
                text = text[len(word):]
        for word in words.TRAILING_WORDS:
            if text.endswith(word) and len(text) > len(word):
                text = text[: -len(word)]
        if measure_tail:
            stripped = measure_tail.sub("", text)
            text = stripped if len(stripped) >= 2 else text
        changed = text != before
    return text


def _strip_notes(text: str) -> str:
    text = words.INCLUDING_NOTE.sub("", text)
    for note in words.SCOPE_NOTES:
        for bracketed in (f"({note})", f"（{note}）"):
            text = text.replace(bracketed, "")
    return text


_DROPPED = str.maketrans("", "", "“”\"'‘’《》「」 \u3000")


def load_catalogue(directory: Path) -> IndicatorCatalogue:
    return IndicatorCatalogue(directory / "indicators.csv", directory / "indicator_terms.csv")


# The mapper's rules in the order of INDICATOR_RULES (unit_mismatch and not_catalogued are outcomes).
_MAPPER_STEPS = tuple(IndicatorCatalogue._MAPPER_TESTS[rule.name] for rule in words.INDICATOR_RULES
                      if rule.name in IndicatorCatalogue._MAPPER_TESTS)
