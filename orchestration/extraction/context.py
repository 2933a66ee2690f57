"""The document-context stage: a report's own area and own period, each with the evidence that
decided it, by an explicit precedence.

Area: the title, then the issuer (…人社局 → its area; 人力资源和社会保障部 → 全国), then the
document-number abbreviation (黔人社通〔2021〕72号 → 贵州省), then the regions the text names most.
Period: the title, then the opening lines, then the first year the body states, then the year of
the report's date line. A fact with no time or place of its own takes these, and records so.

A gazetteer name that is also an ordinary word (资源 in 人力资源, 富裕, 城区) is never evidence on
its own: `Gazetteer.ambiguous` lists them (see seeds/audit_region_names.py).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .lexicon import context as words
from .periods import ReportPeriod, period_from_label, stated_period
from .reference import Gazetteer, Region

_DATELINE = re.compile(words.DATELINE)
_DATE_LINE = re.compile(r"^\s*(?:" + "|".join(words.DATE_LINE_LABELS) + r")\s*[:：]")
_NATIONAL_ISSUER = re.compile("(?:" + "|".join(words.NATIONAL_ISSUERS) + ")(?!门)")  # 人社部门 is any bureau
_LOCAL_ISSUER = re.compile("(?:" + "|".join(sorted(words.LOCAL_ISSUER_BODIES, key=len, reverse=True)) + ")")
_EXPLICIT_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")


@dataclass(frozen=True)
class DocumentContext:
    region: Region
    region_basis: str  # title | issuer | document_number | mentions | default
    region_evidence: str | None  # the words that decided it
    period: ReportPeriod | None
    period_basis: str | None  # title | opening | body_year | date_line, None when nothing says
    period_evidence: str | None


def region_mentions(text: str, gazetteer: Gazetteer) -> list[tuple[int, str, Region]]:
    """(position, name, region) of each confirmed region name in `text`, longest name first at
    each position. Ambiguous bare names (资源, 城区) are skipped, and so is a name that is only the
    tail of a longer word (人力资源 holds 资源 but names no place)."""
    found = []
    prefixes = gazetteer.name_prefixes
    next_candidate = gazetteer.name_start.search
    pos = 0
    while (candidate := next_candidate(text, pos)) is not None:
        pos = candidate.start()
        if text[pos : pos + 2] in prefixes:
            names = gazetteer.names_at(text, pos)
            if names:
                name, candidates = names[0]
                if name not in gazetteer.ambiguous:
                    found.append((pos, name, gazetteer.resolve(candidates, None)))
                pos += len(name)
                continue
        pos += 1
    return found


def _title_lines(lines: list[str]) -> list[str]:
    out = []
    for line in lines[: words.TITLE_LINES]:
        line = _DATELINE.sub("", line).strip()
        # A title is short and no sentence: a line ending in 。 is the report's first statement.
        if line and len(line) <= words.MAX_TITLE_LENGTH and not _DATE_LINE.match(line) \
                and not line.endswith(("。", "；", ";")):
            out.append(line)
    return out


def _region_from_title(titles: list[str], gazetteer: Gazetteer) -> tuple[Region, str] | None:
    for line in titles:
        mentions = region_mentions(line, gazetteer)
        if mentions:
            pos, name, region = mentions[0]
            # 甘肃省兰州市…: a chain of places, each inside the one before, names the last.
            for next_pos, next_name, inner in mentions[1:]:
                if next_pos != pos + len(name) or not _inside(inner, region, gazetteer):
                    break
                pos, name, region = next_pos, next_name, inner
            return region, line
    return None


def _inside(inner: Region, outer: Region, gazetteer: Gazetteer) -> bool:
    parent = gazetteer.parent_of(inner)
    while parent is not None:
        if parent.code == outer.code:
            return True
        parent = gazetteer.parent_of(parent)
    return False


def _region_from_issuer(head: str, gazetteer: Gazetteer, national_allowed: bool) -> tuple[Region, str] | None:
    national = _NATIONAL_ISSUER.search(head) if national_allowed else None
    local = None
    for m in _LOCAL_ISSUER.finditer(head):
        before = head[max(0, m.start() - gazetteer.max_name_length) : m.start()]
        for start in range(len(before)):
            names = gazetteer.names_at(before, start)
            if names and len(names[0][0]) == len(before) - start:
                local = (gazetteer.resolve(names[0][1], None), before[start:] + m.group(0), m.start())
                break
        if local:
            break
    if local and (national is None or local[2] < national.start()):
        return local[0], local[1]
    if national:
        return gazetteer.country(), national.group(0)
    return None


def _region_from_mentions(text: str, gazetteer: Gazetteer, level_hints: Counter[str]) -> Region | None:
    counts: Counter[str] = Counter(region.code for _, _, region in region_mentions(text, gazetteer))
    if not counts:
        return None
    # 全国 named as often as a place is the comparison, not the subject (高于全国平均水平).
    country = gazetteer.country().code
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] == country, len(kv[0]), kv[0]))
    for hint, _ in level_hints.most_common():
        fitting = [code for code, _ in ranked if _fits_level(gazetteer.regions[code], hint)]
        if fitting:
            return gazetteer.regions[fitting[0]]
    return gazetteer.regions[ranked[0][0]]


def _fits_level(region: Region, hint: str) -> bool:
    if hint == "区":
        return region.name.endswith("自治区") or (region.level == "county" and region.name.endswith("区"))
    if hint == "省":
        return region.level == "province" and region.name.endswith("省")
    if hint == "市":
        return region.name.endswith("市")
    if hint == "州":
        return region.level == "prefecture" and region.name.endswith("州")
    return region.level == "county" and region.name.endswith("县")


def document_region(text: str, lines: list[str], document_number: str | None, gazetteer: Gazetteer,
                    level_hints: Counter[str]) -> tuple[Region, str, str | None]:
    """(region, basis, evidence) by the precedence title → issuer → document number → mentions."""
    titled = _region_from_title(_title_lines(lines), gazetteer)
    if titled:
        return titled[0], "title", titled[1]
    head = "\n".join(lines)[:600] + "\n" + text[-300:]
    # A report that calls itself 全区/我省 is local: a ministry it names gave guidance, not the report.
    issued = _region_from_issuer(head, gazetteer, national_allowed=not level_hints)
    if issued:
        return issued[0], "issuer", issued[1]
    if document_number:
        # 黔人社通〔2021〕72号: the leading character is the issuing province's abbreviation.
        province = gazetteer.by_abbreviation.get(document_number[0])
        if province:
            return province, "document_number", document_number
    mentioned = _region_from_mentions(text, gazetteer, level_hints)
    if mentioned:
        return mentioned, "mentions", mentioned.name
    return gazetteer.country(), "default", None


def document_period(text: str, lines: list[str], publish_year: int | None
                    ) -> tuple[ReportPeriod | None, str | None, str | None]:
    """(period, basis, evidence) by the precedence title → opening lines → body year → date line."""
    content_lines = [line for line in lines if not _DATE_LINE.match(line)]
    body_year = _first_body_year(text)
    for basis, head in (("title", "\n".join(_title_lines(content_lines))), ("opening", "\n".join(content_lines)[:600])):
        period = stated_period(head, body_year or publish_year)
        if period is not None:
            return period, basis, head.split("\n")[0][:60]
    if body_year:
        return period_from_label(str(body_year)), "body_year", f"{body_year}年"
    if publish_year:
        return period_from_label(str(publish_year)), "date_line", str(publish_year)
    return None, None, None


def _first_body_year(text: str) -> int | None:
    """The first year the text states outside date lines (报告日期:2022年7月14日 is when, not what)."""
    for line in text.splitlines():
        if not _DATE_LINE.match(line):
            m = _EXPLICIT_YEAR.search(line)
            if m:
                return int(m.group(1))
    return None
