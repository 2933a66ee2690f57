"""Document structure and metadata: boilerplate, sentences, clauses, protected spans, and the
report's title, issuing body, publish date, document number, own region and own period."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from .context import BOILERPLATE_LINE, DATE_LINE, PAGE_LABEL, SITE_NAME_LINE, document_period, document_region
from .lexicon import context as words
from .periods import ReportPeriod, period_from_label, period_label
from .reference import Gazetteer, Region
from .scanning import finditer_from, first_char_of, first_chars
from .text import is_han

# Lines a web page wraps around the report: breadcrumbs, timestamps, share and print links.
DOCUMENT_NUMBER = re.compile(words.DOCUMENT_NUMBER)
ISSUER = re.compile(words.ISSUER)
PUBLISH_DATE = re.compile(words.PUBLISH_DATE)
# A page's timestamp line near its top: 2016-10-20 20:18:07 (a source or author may follow).
TIMESTAMP_LINE = re.compile(r"^\s*((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})\s+\d{1,2}:\d{2}", re.MULTILINE)
TRAILING_DATE = re.compile(words.TRAILING_DATE)
HEADING = re.compile(words.HEADING)
SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]*")
# A comma (not a thousands separator between digits), semicolon or colon.
CLAUSE_BREAK = first_chars([(",", r"(?<!\d,)|(?!\d{3})"), (";:；：", "")])
PROTECTED = re.compile(r"《[^《》\n]{0,120}》|“[^“”\n]{0,60}”|〔[^〔〕\n]{0,10}〕|【[^【】\n]{0,40}】")

# Words that stand for the report's own area (全区, 我省 …) and the level each implies.
SELF_REFERENCE = re.compile(words.SELF_REFERENCE)
CHILD_REFERENCE = re.compile(words.CHILD_REFERENCE)
# The characters a match of each can start with, from the words that open it.
SELF_REFERENCE_FIRST_CHAR = first_char_of(words.SELF_REFERENCE_WORDS + words.SELF_REFERENCE_BODY_LEVELS)
CHILD_REFERENCE_FIRST_CHAR = first_char_of(words.CHILD_REFERENCE_WORDS)


@dataclass(slots=True)  # made by the thousand per report: plain slots are 7× cheaper than frozen
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class ManifestEntry:
    """What a crawl's manifest (sources.csv beside the reports) says of one report: evidence used
    only where the text itself is silent."""

    region: str | None = None
    period: str | None = None
    title: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Metadata:
    title: str | None
    issuer: str | None
    publish_date: str | None  # ISO date
    document_number: str | None
    region: Region
    period: ReportPeriod | None
    region_basis: str  # the heaviest evidence for the area: title, issuer, document_number, mentions,
    # sub_areas; none when nothing is strong enough (region is then UNKNOWN_REGION)
    region_evidence: str | None
    period_basis: str | None  # title, scope, opening, body_year, date_line, manifest; None when nothing says
    period_evidence: str | None
    manifest_conflict: str | None = None  # where the text says otherwise than its manifest


def glued_page_label(line: str) -> int:
    """The length of the page's date and source labels that open `line` and run on into its text
    (日期:03-14 来源:县人社局2018年…), or 0 when the line holds no such labels or only them."""
    label = PAGE_LABEL.match(line)
    return label.end() if label and line[label.end() :].strip() else 0


def boilerplate_spans(text: str) -> list[Span]:
    """Lines of page chrome, and the page labels glued to the start of a line of text."""
    spans = []
    pos = 0
    for line in text.splitlines(keepends=True):
        if BOILERPLATE_LINE.match(line):
            spans.append(Span(pos, pos + len(line)))
        elif glued := glued_page_label(line.rstrip("\n")):
            spans.append(Span(pos, pos + glued))
        pos += len(line)
    return spans


PARENTHESISED = re.compile(r"[(（][^()（）\n]{0,60}[)）]")


# A figure's caption (图1 2016-2020年城镇新增就业(万人)) and the axis ticks or legend values left
# by a chart (a line of bare numbers, perhaps with one unit: 0 20 40 60 80 万人): no statements.
FIGURE_CAPTION = re.compile(words.FIGURE_CAPTION, re.MULTILINE)
AXIS_TICKS = re.compile(r"^[ \t]*(?:[-+]?\d+(?:\.\d+)?%?[ \t]+){3,}[-+]?\d+(?:\.\d+)?%?[ \t]*"
                        r"(?:[(（]?[\u4e00-\u9fff%]{1,3}[)）]?)?[ \t]*$", re.MULTILINE)


# Legend or data labels run together with nothing between them (35.2%30.4%25.7%): no prose writes so.
RUN_TOGETHER_FIGURES = re.compile(r"(?:[-+]?\d+(?:\.\d+)?%){3,}")
_PERCENT_THEN_DIGIT = re.compile(r"%[-+]?\d")  # a literal-led scan: cheap where, as in most texts, none is


# A list item's number at the head of a line (*2., 3., 4、), and one run into the figure after it.
_LIST_ITEM = re.compile(r"^[ \t\u3000]*[*＊]?(\d{1,2})[.．、]", re.MULTILINE)
_GLUED_LIST_ITEM = re.compile(r"^[ \t\u3000]*[*＊]?(\d{1,2})[.．](?=\d)", re.MULTILINE)


def glued_list_numbers(text: str) -> list[tuple[int, int]]:
    """Spans of list numbers run into the figure after them: in a list of items *1. *2. 3.90%…
    4.30%…, `3.` and `4.` continue the count, so the figures are 90% and 30%, not 3.90 and 4.30."""
    if not _GLUED_LIST_ITEM.search(text):
        return []
    items = [(m.start(1), m.end(), int(m.group(1))) for m in _LIST_ITEM.finditer(text)]
    glued = []
    for (_, _, before), (start, end, number) in zip(items, items[1:], strict=False):
        if number == before + 1 and text[end : end + 1].isdigit():
            glued.append((start, end))
    return glued


def chart_residue_spans(text: str) -> list[tuple[int, int]]:
    """Lines left by charts: figure captions, runs of axis ticks, labels run together."""
    patterns = (FIGURE_CAPTION, AXIS_TICKS, RUN_TOGETHER_FIGURES) if _PERCENT_THEN_DIGIT.search(text) \
        else (FIGURE_CAPTION, AXIS_TICKS)
    return [m.span() for pattern in patterns for m in pattern.finditer(text)]


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Titles, quoted names and document numbers: numbers and dates inside them are not facts."""
    return [m.span() for m in PROTECTED.finditer(text)]


def parenthesised_spans(text: str) -> list[tuple[int, int]]:
    """Asides in brackets: a date inside one (含2018年…) does not set the time of the sentence."""
    return [m.span() for m in PARENTHESISED.finditer(text)]


def sentence_spans(text: str, skip: list[Span]) -> list[Span]:
    skipped = {(s.start, s.end) for s in skip}
    out = []
    for m in SENTENCE.finditer(text):
        start, end = m.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        cut = next((b for a, b in skipped if a <= start < b), None)
        if cut is not None and cut < end:
            start = cut  # a page label glued to the sentence: the sentence begins after it
            while start < end and text[start].isspace():
                start += 1
        elif cut is not None:
            continue
        if end <= start:
            continue
        out.append(Span(start, end))
    return out


def clause_spans(text: str, sentence: Span) -> list[Span]:
    """Clauses of a sentence: split at commas (not thousands separators), semicolons and colons."""
    out = []
    start = sentence.start
    for m in CLAUSE_BREAK.finditer(text, sentence.start, sentence.end):
        out.append(Span(start, m.start()))
        start = m.end()
    out.append(Span(start, sentence.end))
    return [c for c in out if c.end > c.start]


def is_heading(text: str, sentence: Span) -> bool:
    """A section heading: a short line of its own, numbered (一、 (二) 3.) or without a full stop."""
    line_start = text.rfind("\n", 0, sentence.start) + 1
    line_end = text.find("\n", sentence.end)
    line = text[line_start : line_end if line_end != -1 else len(text)].strip()
    return 0 < len(line) <= 40 and bool(HEADING.match(line)) and not line.endswith("。")


# The longest item title taken as the name of what its figures count (一、城镇新增就业。): longer
# ones are about work (三、深入推进…), not a quantity.
MAX_ITEM_TITLE = 12


def item_title(text: str, sentence: Span) -> str | None:
    """The title of a numbered item (一、城镇新增就业。, (二)失业人员再就业) when the sentence is only
    that title, a short name without figures; "" for another numbered sentence (a new item without
    such a title); None for a sentence that opens no item."""
    words = text[sentence.start : sentence.end]
    numbered = HEADING.match(words)
    if numbered is None:
        return None
    title = words[numbered.end() :].strip().rstrip("。:：;；")
    if not 2 <= len(title) <= MAX_ITEM_TITLE or not all(map(is_han, title)):
        return ""
    return title


def heading_period(text: str, sentence: Span, times) -> str | None:  # noqa: ANN001 - TimeExpression list
    """The period a heading sets for its section (二、下半年工作打算 → H2), or None."""
    inside = [t for t in times if sentence.start <= t.start < sentence.end and not t.clause_scoped]
    return inside[0].period if inside else None


def _first_lines(text: str, count: int) -> list[str]:
    lines: list[str] = []
    start = 0
    while len(lines) < count and start < len(text):
        end = text.find("\n", start)
        end = len(text) if end == -1 else end
        line = text[start:end]
        start = end + 1
        if line.strip() and not BOILERPLATE_LINE.match(line) and not SITE_NAME_LINE.match(line):
            glued = glued_page_label(line)
            # A label glued to the text is a line of its own: a date line, and the text after it.
            lines.extend(part.strip() for part in (line[:glued], line[glued:]) if part.strip())
    return lines


def _title(lines: list[str]) -> str | None:
    for line in lines[:2]:
        if DOCUMENT_NUMBER.fullmatch(line) or DATE_LINE.match(line):
            continue  # 日期:05-21 来源:县人社局 heads a page; it is no title
        if len(line) <= 60 and not line.endswith(("。", ";", "；")) and not HEADING.match(line):
            return line
        return None
    return None


def _publish_date(text: str) -> str | None:
    m = PUBLISH_DATE.search(text[:600]) or TIMESTAMP_LINE.search(text[:600]) or TRAILING_DATE.search(text[-200:])
    if not m:
        return None
    year, month, day = (int(g) for g in m.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def self_reference_levels(text: str) -> Counter[str]:
    """How often the text names its own area by level: 全区/我区 → 区, 省政府 → 省; and 各县(市、区)
    → 市 and 州, the levels of an area whose counties the report goes through."""
    levels = Counter(m.group(2) or m.group(3)[-1]
                     for m in finditer_from(SELF_REFERENCE, SELF_REFERENCE_FIRST_CHAR, text)
                     if not _comparison_with_wider_area(text, m.start(), m.end()))
    for m in finditer_from(CHILD_REFERENCE, CHILD_REFERENCE_FIRST_CHAR, text):
        levels.update(words.CHILD_REFERENCE_PARENT_LEVELS[m.group(1)])
    return levels


def _comparison_with_wider_area(text: str, start: int, end: int) -> bool:
    """排名全省第一, 居全省前列, 高于全省平均水平: the wider area a place is ranked in, not the report's."""
    return any(word in text[end : end + 8] for word in words.SELF_REFERENCE_COMPARISONS) \
        or text[max(0, start - 2) : start].endswith(words.RANKED_IN_BEFORE)


def read_metadata(text: str, gazetteer: Gazetteer, manifest: ManifestEntry | None = None) -> Metadata:
    lines = _first_lines(text, 3)
    number_match = DOCUMENT_NUMBER.search(text[:400])
    document_number = number_match.group(0) if number_match else None
    head_lines = _first_lines(text, 8)
    region, region_basis, region_evidence = document_region(text, head_lines, document_number, gazetteer,
                                                            self_reference_levels(text))
    issuer_match = ISSUER.search("\n".join(lines)) or ISSUER.search(text[-300:])
    issuer = issuer_match.group(0) if issuer_match else None
    if issuer and issuer.startswith(words.ISSUER_LEVEL_WORDS) and region.level != "country":
        issuer = region.name + issuer.lstrip("".join(words.ISSUER_LEVEL_WORDS))  # 市人社局 → 厦门市人社局
    publish_date = _publish_date(text)
    publish_year = int(publish_date[:4]) if publish_date else None
    period, period_basis, period_evidence = document_period(text, head_lines, publish_year)
    metadata = Metadata(_title(lines), issuer, publish_date, document_number, region, period,
                        region_basis, region_evidence, period_basis, period_evidence)
    return with_manifest(metadata, manifest, gazetteer) if manifest else metadata


def with_manifest(metadata: Metadata, manifest: ManifestEntry, gazetteer: Gazetteer) -> Metadata:
    """The manifest's area and period where the text decided none (basis `manifest`), and a note of
    where the text contradicts its manifest; the text's own evidence always wins."""
    listed_region = _manifest_region(manifest.region, gazetteer)
    listed_period = period_label(manifest.period)
    conflicts = []
    if listed_region is not None:
        if metadata.region_basis == "none":
            metadata = replace(metadata, region=listed_region, region_basis="manifest",
                               region_evidence=manifest.region)
        elif not _within(metadata.region, listed_region, gazetteer):
            conflicts.append(f"area: the text says {metadata.region.name}, the manifest {listed_region.name}")
    if listed_period is not None:
        if metadata.period is None:
            metadata = replace(metadata, period=period_from_label(listed_period), period_basis="manifest",
                               period_evidence=manifest.period)
        elif metadata.period.year != period_from_label(listed_period).year:
            conflicts.append(f"period: the text says {metadata.period.label}, the manifest {listed_period}")
    return replace(metadata, manifest_conflict="; ".join(conflicts)) if conflicts else metadata


def _manifest_region(name: str | None, gazetteer: Gazetteer) -> Region | None:
    candidates = gazetteer.by_name.get((name or "").strip())
    return gazetteer.resolve(candidates, None) if candidates else None


def _within(region: Region, listed: Region, gazetteer: Gazetteer) -> bool:
    """`region` is the manifest's area or lies inside it (a county of the listed city)."""
    inside: Region | None = region
    while inside is not None:
        if inside.code == listed.code:
            return True
        inside = gazetteer.parent_of(inside)
    return False
