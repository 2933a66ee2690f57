"""The extraction pipeline for one report's text: normalise, read the document's context, cut
sentences, find tables and quantities, decide each fact's attributes, and map offsets back."""

from __future__ import annotations

import gc
import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from operator import attrgetter, itemgetter
from typing import TypeVar

from .document import (
    ManifestEntry,
    Metadata,
    Span,
    boilerplate_spans,
    chart_residue_spans,
    glued_list_numbers,
    heading_period,
    is_heading,
    item_title,
    parenthesised_spans,
    protected_spans,
    read_metadata,
    sentence_spans,
)
from .facts import MEASURE_OF, MEASURES, DecidedBy, Fact, Measure, Section, SentenceFacts
from .grids import find_cell_list_cells, find_cell_per_line_cells, find_grid_cells
from .indicators import IndicatorCatalogue
from .lexicon import non_facts
from .numbers import Quantity, find_quantities
from .periods import find_time_expressions
from .postpass import goal_and_progress_columns, parts_of_totals, ranked_list, recipients_of_payment
from .reference import Reference, load_reference
from .scanning import SpanSet
from .tables import CellPerLineTable, TableCell, cell_per_line_tables, find_table_cells
from .text import NormalizedText, normalize

T = TypeVar("T")


@dataclass(slots=True)
class ExtractedSentence:
    index: int
    start: int  # offsets into the original text
    end: int
    text: str


@dataclass(slots=True)
class ExtractedFact:
    """A fact with every offset mapped back into the original text."""

    offset: int  # first character of the number
    end: int  # end of the number with its unit
    number_text: str
    quote: str
    quote_start: int
    quote_end: int
    sentence_index: int
    indicator: str
    indicator_code: str | None  # the catalogue indicator the phrase names
    indicator_candidates: tuple[str, ...]  # when it names none: the codes it nearly named
    value: Decimal
    unit: str
    measure: Measure
    basis: str | None
    region: str | None  # None: the text never says which area it is about
    region_code: str
    period: str | None
    program: str | None
    hedge: str | None
    part_of_offset: int | None = None  # offset of the total this fact is a stated part of
    region_basis: str = "document"  # sentence | table | document: how the region was decided
    period_basis: str | None = "document"  # sentence | heading | table | document; None: no period
    decided_by: DecidedBy | None = None  # the named rule behind each attribute (lexicon `*_RULES`)
    # The quote as the rules read it: simplified script, full-width forms folded, annotations (pinyin)
    # dropped; for searching, where `quote` is verbatim evidence.
    quote_simplified: str = ""

    @property
    def candidate_codes(self) -> str | None:
        """The candidates as the warehouse stores them: codes joined by |."""
        return "|".join(self.indicator_candidates) or None

    @property
    def indicator_rule(self) -> str | None:
        return self.decided_by.indicator if self.decided_by else None


@dataclass(frozen=True)
class DocumentExtraction:
    metadata: Metadata
    normalized: NormalizedText
    sentences: list[ExtractedSentence]
    facts: list[ExtractedFact]


SET_REFERENCE = re.compile(non_facts.SET_REFERENCE_BEFORE)
SECTION_COUNT_BEFORE = re.compile(non_facts.SECTION_COUNT_BEFORE)
SECTION_COUNT_AFTER = re.compile(non_facts.SECTION_COUNT_AFTER)
CURRENCY_CONVERSION = re.compile(non_facts.CURRENCY_CONVERSION_BEFORE)
THRESHOLD = re.compile(non_facts.THRESHOLD_BEFORE)
SAMPLE_BEFORE = re.compile(non_facts.SAMPLE_BEFORE)
SAMPLE_AFTER = re.compile(non_facts.SAMPLE_AFTER)
SAMPLE_REPORTING_AFTER = re.compile(non_facts.SAMPLE_REPORTING_AFTER)
PLACES_IN_SCOPE_BEFORE = re.compile(non_facts.PLACES_IN_SCOPE_BEFORE)
PLACES_IN_SCOPE_AFTER = re.compile(non_facts.PLACES_IN_SCOPE_AFTER)


def _counts_its_section(text: str, q: Quantity) -> bool:
    return (q.unit == non_facts.SECTION_COUNT_UNIT
            and SECTION_COUNT_BEFORE.search(text, max(0, q.start - 2), q.start) is not None
            and SECTION_COUNT_AFTER.match(text, q.end) is not None)


def _no_fact(text: str, q: Quantity) -> bool:
    """A number the words around it say is no fact (lexicon/non_facts.py)."""
    before = text[max(0, q.start - 12) : q.start]
    return (SET_REFERENCE.search(before[-8:]) is not None or _counts_its_section(text, q)
            or CURRENCY_CONVERSION.search(before) is not None
            or (text[q.start : q.end].isdigit() and THRESHOLD.search(before) is not None)
            or (q.unit in non_facts.SAMPLE_UNITS and SAMPLE_BEFORE.search(before) is not None
                and SAMPLE_AFTER.match(text, q.end) is not None)
            or (q.unit in non_facts.SAMPLE_UNITS and SAMPLE_REPORTING_AFTER.match(text, q.end) is not None)
            or (q.unit in non_facts.PLACES_IN_SCOPE_UNITS and PLACES_IN_SCOPE_BEFORE.search(before) is not None
                and PLACES_IN_SCOPE_AFTER.match(text, q.end) is not None))


# How far before its figure a fact's quote may begin. A quote is its clause up to the figure, and a
# line of figures with no clause mark (50,000 characters joined by 、) would make every one of its
# thousands of facts quote all of it; the longest quote of the development reports is 169.
MAX_QUOTE_LEAD = 240


def _program_as_written(fact: Fact, norm: NormalizedText) -> str | None:
    """The fact's program with the dashes of its name as written (智汇·起航——线上招聘): the name is
    read from the normalised text, where every dash is one hyphen."""
    if fact.program is None or "-" not in fact.program:
        return fact.program
    named_at = norm.text.rfind(fact.program, 0, fact.end)
    return norm.dashes_as_written(named_at, named_at + len(fact.program)) if named_at >= 0 else fact.program


def _export(fact: Fact, norm: NormalizedText, catalogue: IndicatorCatalogue) -> ExtractedFact:
    mapped = catalogue.match(fact.indicator, fact.unit, fact.measure)
    offset, end = norm.original_span(fact.start, fact.end)
    quote_from = max(fact.quote_start, fact.start - MAX_QUOTE_LEAD)
    quote_start, quote_end = norm.original_span(quote_from, fact.end)
    return ExtractedFact(
        offset=offset,
        end=end,
        number_text=norm.original[offset:end],
        quote=norm.original[quote_start:quote_end].strip(),
        quote_start=quote_start,
        quote_end=quote_end,
        sentence_index=fact.sentence_index,
        indicator=fact.indicator,
        indicator_code=mapped.code,
        indicator_candidates=mapped.candidates,
        value=fact.value,
        unit=fact.unit,
        measure=MEASURE_OF[fact.measure],
        basis=fact.basis,
        region=fact.region.name or None,  # UNKNOWN_REGION has no name
        region_code=fact.region.code,
        period=fact.period,
        program=_program_as_written(fact, norm),
        hedge=fact.hedge,
        part_of_offset=norm.original_offset(fact.part_of) if fact.part_of is not None else None,
        region_basis=fact.region_basis,
        period_basis=fact.period_basis if fact.period is not None else None,
        decided_by=DecidedBy(*fact.decided_by[:5], mapped.rule),  # not `_replace`: interpreted, slow
        quote_simplified=norm.text[quote_from : fact.end].strip(),
    )


def _cells_of_copy(copied: CellPerLineTable, reference: Reference, metadata: Metadata) -> list[TableCell]:
    """The cells of a table copied one cell per line, read by the table readers from its rows laid
    out again, at their places in the report."""
    cells, rows = find_table_cells(copied.text, metadata.period)
    grid, _ = find_grid_cells(copied.text, reference.gazetteer, metadata.region, metadata.period, rows)
    origin = copied.origin
    return [replace(c, start=origin[c.start], end=origin[c.end - 1] + 1, row_start=origin[c.row_start])
            for c in [*cells, *grid]]


def extract_document(original: str, reference: Reference | None = None,
                     manifest: ManifestEntry | None = None) -> DocumentExtraction:
    """Metadata, sentences and facts of one report's text; `manifest` is what a crawl's manifest
    says of it, evidence only where the text is silent."""
    # Extraction makes tens of thousands of objects per report that live as long as the report, and
    # hardly any reference cycles: the cycle collector's repeated passes over them cost about 6 % of
    # the time. It is paused for the report (any cycle is collected after), and left as it was found.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _extract_document(original, reference or load_reference(), manifest)
    finally:
        if collecting:
            gc.enable()


def _extract_document(original: str, reference: Reference, manifest: ManifestEntry | None) -> DocumentExtraction:
    norm = normalize(original)
    text = norm.text
    metadata = read_metadata(text, reference.gazetteer, manifest)
    skip = boilerplate_spans(text)
    protected = protected_spans(text)
    sentences = sentence_spans(text, skip)
    table_cells, table_rows = find_table_cells(text, metadata.period)
    grid_cells, grid_rows = find_grid_cells(text, reference.gazetteer, metadata.region, metadata.period,
                                           table_rows)
    list_cells, list_spans = find_cell_list_cells(text, reference.gazetteer, metadata.region, metadata.period)
    piped_cells, piped_spans = find_cell_per_line_cells(text, metadata.period)
    read = SpanSet(list_spans + piped_spans)
    copied_cells, copied_spans = [], []
    for copied in cell_per_line_tables(text):
        if copied.span[0] in read:
            continue  # a copy the one-cell-per-line readers above have read
        cells = _cells_of_copy(copied, reference, metadata)
        if cells:
            copied_cells.extend(cells)
            copied_spans.append(copied.span)
    table_cells = [*table_cells, *grid_cells, *list_cells, *piped_cells, *copied_cells]
    excluded = SpanSet(protected + table_rows + grid_rows + list_spans + piped_spans + copied_spans
                       + chart_residue_spans(text))
    quantities = [q for q in find_quantities(_blanked(text, glued_list_numbers(text)))
                  if q.start not in excluded and not _no_fact(text, q)]
    times = find_time_expressions(text, metadata.period, SpanSet(protected + parenthesised_spans(text)))

    out_sentences: list[ExtractedSentence] = []
    sentence_facts_all: list[Fact] = []
    programs = reference.programs.names_in(text)
    qi = 0
    previous_indicator = None
    section = Section()
    for index, sentence in enumerate(sentences):
        # An item titled by an indicator the catalogue knows (一、城镇新增就业。) is about it; a
        # title of work (一、确保就业形势稳定) names no quantity.
        title = item_title(text, sentence)
        topic = title if title and reference.indicators.names(title) else None
        if is_heading(text, sentence):
            section = Section(heading_period(text, sentence, times), topic)
        elif title is not None:
            section = section._replace(topic=topic)  # a new item: its own title, or none
        start, end = norm.original_span(sentence.start, sentence.end)
        out_sentences.append(ExtractedSentence(index, start, end, original[start:end]))
        while qi < len(quantities) and quantities[qi].start < sentence.start:
            qi += 1
        first_q = qi
        while qi < len(quantities) and quantities[qi].start < sentence.end:
            qi += 1
        if first_q == qi:
            continue
        builder = SentenceFacts(text, sentence, index, quantities[first_q:qi], reference,
                                metadata.region, metadata.period, _inside(times, sentence, attrgetter("start")),
                                previous_indicator, section,
                                [(s, e, entry.name) for s, e, entry in _inside(programs, sentence, itemgetter(0))
                                 if e <= sentence.end])
        sentence_facts = builder.facts()
        parts_of_totals(builder, sentence_facts)
        recipients_of_payment(builder, sentence_facts)
        ranked_list(text, sentence_facts)
        # The last subject of a sentence may be taken up by the next one (其中:贵阳市2492元、…).
        previous_indicator = builder.last_subject
        sentence_facts_all.extend(sentence_facts)
    goal_and_progress_columns(text, sentence_facts_all, metadata.period)
    facts = [_export(f, norm, reference.indicators) for f in sentence_facts_all]
    facts.extend(_export(_table_fact(cell, sentences, metadata, reference), norm, reference.indicators)
                 for cell in table_cells)
    facts.sort(key=lambda f: (f.offset, MEASURES.index(f.measure)))
    return DocumentExtraction(metadata, norm, out_sentences, facts)


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the spans blanked (offsets kept): list numbers run into a figure are no part of it."""
    if not spans:
        return text
    pieces, last = [], 0
    for start, end in spans:
        pieces += [text[last:start], " " * (end - start)]
        last = end
    return "".join([*pieces, text[last:]])


def _inside(items: list[T], span: Span, start: Callable[[T], int]) -> list[T]:
    """The items (sorted by start) that start inside `span`, found by bisection."""
    return items[bisect_left(items, span.start, key=start) : bisect_left(items, span.end, key=start)]


def _table_fact(cell: TableCell, sentences: list[Span], metadata: Metadata, reference: Reference) -> Fact:
    """A fact of a flattened table row: its column's region and period, else the report's own."""
    index = next((i for i, s in enumerate(sentences) if s.start <= cell.start < s.end), -1)
    region, period = cell.region, cell.period
    period_rule = "table_column" if period else ("document_period" if metadata.period else "none_stated")
    return Fact(start=cell.start, end=cell.end, quote_start=cell.row_start, indicator=cell.indicator,
                value=cell.value, unit=cell.unit,
                measure=cell.measure, basis=cell.basis, region=region or metadata.region,
                period=period or (metadata.period.label if metadata.period else None), program=None, hedge=None,
                sentence_index=index, region_basis="table" if region else "document",
                period_basis="table" if period else "document",
                decided_by=DecidedBy("table_column", "table_row_label", "table_column" if region else "document_area",
                                     period_rule, "none_named"))
