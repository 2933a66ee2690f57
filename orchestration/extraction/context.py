"""The document-context stage: a report's own area and own period, each with the evidence that
decided it, by an explicit precedence.

Area: evidence weighed, not a precedence. The title (not page chrome), the issuer (…人社局 → its
area; 人力资源和社会保障部 → 全国), the document-number abbreviation (黔人社通〔2021〕72号 → 贵州省),
each mention of a place, and places that share one parent the text calls 全市: each adds its weight
(lexicon REGION_EVIDENCE_WEIGHTS) to the area it names. Below the floor the area is unknown: a text
that never says which area it is about has none, never a default.
Period: evidence weighed too (lexicon PERIOD_EVIDENCE_WEIGHTS): the title, a scope sentence
(现将2019年1-8月情况通报如下, 截至8月底), the opening lines, the first year the body states, the
year of the date line. A year that is a point of a comparison or a goal (由1978年末的…, 争取2008年)
is no evidence; a text that states no year has no period. A fact with no time or place of its
own takes these, and records so.

A gazetteer name that is also an ordinary word (资源 in 人力资源, 富裕, 城区) is never evidence on
its own: `Gazetteer.ambiguous` lists them (see seeds/audit_region_names.py).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from .lexicon import context as words
from .lexicon import times
from .periods import ReportPeriod, is_background, last_year_mention, period_from_label, stated_period
from .reference import LEVEL_RANK, UNKNOWN_REGION, Gazetteer, Region
from .text import is_han

_DATELINE = re.compile(words.DATELINE)
DATE_LINE = re.compile(r"^\s*(?:" + "|".join(words.DATE_LINE_LABELS) + r")\s*[:：]")
BOILERPLATE_LINE = re.compile(f"^\\s*(?:{'|'.join(words.BOILERPLATE_LINE_STARTS)})")
SITE_NAME_LINE = re.compile(words.SITE_NAME_LINE)
PAGE_LABEL = re.compile(words.PAGE_LABEL)
_NATIONAL_ISSUER = re.compile(words.NATIONAL_ISSUER)
_FULL_DATE = re.compile(words.FULL_DATE)
_TOWN_ISSUER = re.compile(words.TOWN_ISSUER, re.MULTILINE)
_LOCAL_ISSUER = re.compile("(?:" + "|".join(sorted(words.LOCAL_ISSUER_BODIES, key=len, reverse=True)) + ")")
_EXPLICIT_YEAR = re.compile(words.EXPLICIT_YEAR)
_SCOPE_SENTENCE = re.compile(times.SCOPE_SENTENCE)


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
                if name not in gazetteer.ambiguous and not _inside_a_word(text, pos, name) \
                        and not (all(r.name != name for r in candidates) and _inside_quotes(text, pos)):
                    region = gazetteer.resolve(candidates, None)
                    inner = gazetteer.sub_area_at(text, pos, name, region)
                    if inner is not None:
                        region, name = inner, inner.name
                    found.append((pos, name, region))
                pos += len(name)
                continue
        pos += 1
    return found


def _inside_a_word(text: str, pos: int, name: str) -> bool:
    """Whether a two-character name at `pos` is the tail of a longer word (完成县…)."""
    if len(name) != 2 or pos == 0 or name[-1] not in words.LEVEL_ENDINGS:
        return False
    before = text[pos - 1]
    return is_han(before) and before not in words.BEFORE_TWO_CHARACTER_NAME


def _inside_quotes(text: str, pos: int) -> bool:
    """Whether `pos` is inside a quoted name on its line (“同心同行”行动 holds the short name 同心 of
    同心县 but names a campaign): a short name there is no mention of the place."""
    opening = text.rfind("“", max(0, pos - words.QUOTED_NAME_REACH), pos)
    return opening >= 0 and not any(c in "”\n" for c in text[opening:pos])


# Cells separated by | or figures separated by white space: a line of a table, never a title.
_TABLE_ROW = re.compile(r"[|｜][^|｜]+[|｜]|\d\s+[-+]?\d")


def _title_lines(lines: list[str]) -> list[str]:
    out = []
    for line in lines[: words.TITLE_LINES]:
        line = _DATELINE.sub("", line).strip()
        if _TABLE_ROW.search(line):
            break  # a table's row or header: the body has begun
        # A title is short and no sentence: a line with a 。 is the report's first statement.
        if line and len(line) <= words.MAX_TITLE_LENGTH and not DATE_LINE.match(line) \
                and "。" not in line and not line.endswith(("；", ";")):
            out.append(line)
        elif len(line) > words.MAX_TITLE_LENGTH:
            break  # the body has begun: a short line after it is no title
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


def _fits_level(region: Region, hint: str) -> bool:
    """Whether the level word of a self-reference (全区, 省政府) fits `region` (context.toml)."""
    return any(word == hint and region.name.endswith(ending) and (not levels or region.level in levels)
               for word, ending, levels in words.LEVEL_WORD_FITS)


def document_region(text: str, lines: list[str], document_number: str | None, gazetteer: Gazetteer,
                    level_hints: Counter[str]) -> tuple[Region, str, str | None]:
    """(region, basis, evidence): the area with the heaviest evidence (lexicon REGION_EVIDENCE_WEIGHTS),
    basis the kind of its heaviest single piece; UNKNOWN_REGION with basis `none` below the floor."""
    weights = words.REGION_EVIDENCE_WEIGHTS
    evidence = RegionEvidence()
    titled = _region_from_title(_title_lines([ln for ln in lines if not _is_navigation(ln)]), gazetteer)
    if titled:
        evidence.add(titled[0], "title", weights["title"], titled[1])
    head = "\n".join(lines)[:600] + "\n" + text[-300:]
    # A report that calls itself 全区/我省 is local: a ministry it names gave guidance, not the report.
    issued = _region_from_issuer(head, gazetteer, national_allowed=not level_hints)
    if issued:
        evidence.add(issued[0], "issuer", weights["issuer"], issued[1])
    if document_number:
        # 黔人社通〔2021〕72号: the leading character is the issuing province's abbreviation.
        province = gazetteer.by_abbreviation.get(document_number[0])
        if province:
            evidence.add(province, "document_number", weights["document_number"], document_number)
    body = "\n".join(line for line in text.splitlines() if not _is_page_chrome(line))
    _weigh_mentions(evidence, region_mentions(body, gazetteer), gazetteer, level_hints)
    region, basis, found = evidence.decide()
    town = _TOWN_ISSUER.search("\n".join(_title_lines(lines)) + "\n" + text[-words.SIGNATURE_REACH:])
    if town and region.code != UNKNOWN_REGION.code and LEVEL_RANK.get(region.level, 0) < LEVEL_RANK["sub_area"] \
            and region.code != gazetteer.country().code:
        return gazetteer.sub_area(region, town.group(1)), "issuer", town.group(0)
    return region, basis, found


class RegionEvidence:
    """The weight each candidate area has gathered, and the heaviest single piece of evidence for it."""

    def __init__(self) -> None:
        self.total: dict[str, float] = {}
        self.heaviest: dict[str, tuple[float, str, str, Region]] = {}

    def add(self, region: Region, kind: str, weight: float, evidence: str) -> None:
        self.total[region.code] = self.total.get(region.code, 0.0) + weight
        if weight > self.heaviest.get(region.code, (0.0,))[0]:
            self.heaviest[region.code] = (weight, kind, evidence, region)

    def decide(self) -> tuple[Region, str, str | None]:
        if not self.total:
            return UNKNOWN_REGION, "none", None
        # Ties: the heavier single piece of evidence, then the more specific area, then the code.
        code = max(self.total, key=lambda c: (round(self.total[c], 6), self.heaviest[c][0],
                                              LEVEL_RANK.get(self.heaviest[c][3].level, 0), c))
        if self.total[code] < words.REGION_WEIGHT_FLOOR:
            return UNKNOWN_REGION, "none", None
        _, kind, evidence, region = self.heaviest[code]
        return region, kind, evidence


def _is_navigation(line: str) -> bool:
    return line.lstrip().startswith(words.NAVIGATION_LINE_STARTS)


def _is_page_chrome(line: str) -> bool:
    """A line of the page around the report (links, site name, breadcrumbs, date and source): a
    place it names is the site's, not the report's (清河新闻网手机版 on a text that says only 我县)."""
    return _is_navigation(line) or bool(SITE_NAME_LINE.match(line) or BOILERPLATE_LINE.match(line))


def _weigh_mentions(evidence: RegionEvidence, mentions: list[tuple[int, str, Region]], gazetteer: Gazetteer,
                    level_hints: Counter[str]) -> None:
    """Each mention weighs for its place: more when the text's self-references fit it (全省 and a
    province), less for 全国 in a text that calls itself local. Places inside one area that the
    self-references fit (北坪县、南垣县 … 全市) weigh for that area too."""
    weights = words.REGION_EVIDENCE_WEIGHTS
    country = gazetteer.country().code
    children: dict[str, set[str]] = {}  # parent code → names of the places inside it
    child_mentions: Counter[str] = Counter()
    for _, name, region in mentions:
        weight = weights["mention"]
        fits = any(_fits_level(region, hint) for hint in level_hints)
        if region.code == country and level_hints:
            weight *= words.COUNTRY_IN_LOCAL_TEXT
        elif fits:
            weight *= words.SELF_LEVEL_FIT
        evidence.add(region, "mentions", weight, name)
        parent = gazetteer.parent_of(region)
        if level_hints and not fits and parent is not None and parent.code != country \
                and any(_fits_level(parent, hint) for hint in level_hints):
            children.setdefault(parent.code, set()).add(region.name)
            child_mentions[parent.code] += 1
    for code, inside in children.items():
        if len(inside) >= 2:
            names = "、".join(sorted(inside))
            evidence.add(gazetteer.regions[code], "sub_areas", child_mentions[code] * weights["sub_areas"], names)


def document_period(text: str, lines: list[str], publish_year: int | None
                    ) -> tuple[ReportPeriod | None, str | None, str | None]:
    """(period, basis, evidence): the heaviest candidate (lexicon PERIOD_EVIDENCE_WEIGHTS) of the
    title, a scope sentence (现将…通报如下, 截至8月底 in the opening), the opening lines, the first
    year the body states and the date line; None when nothing states a year."""
    weights = words.PERIOD_EVIDENCE_WEIGHTS
    content_lines = [line for line in lines if not DATE_LINE.match(line)]
    body_year = _first_body_year(text)
    year = body_year or publish_year
    opening = "\n".join(content_lines)[:600]
    scope = "\n".join(m.group(0) for m in _SCOPE_SENTENCE.finditer(text[: words.SCOPE_REACH]))
    candidates: list[tuple[float, str, ReportPeriod, str]] = []
    for basis, head, as_of_only in (("title", "\n".join(_title_lines(content_lines)), False),
                                    ("scope", scope, False), ("scope", opening, True), ("opening", opening, False)):
        period = stated_period(head, year, as_of_only=as_of_only)
        if period is not None:
            candidates.append((weights[basis], basis, period, head.split("\n")[0][:60]))
    if body_year:
        candidates.append((weights["body_year"], "body_year", period_from_label(str(body_year)),
                           f"{body_year}{times.YEAR_WORD}"))
    if publish_year:
        candidates.append((weights["date_line"], "date_line", period_from_label(str(publish_year)), str(publish_year)))

    # 过去的一年 in the opening of a text dated (a date line, or a full date under its title) the
    # year after: a speech or review of the year before.
    past = next((w for w in words.PAST_YEAR_WORDS if w in opening), None) or last_year_mention(opening)
    dated = _FULL_DATE.search(opening)
    dated_year = int(dated.group(1)) if dated else publish_year
    if past and dated_year:
        reviewed = replace(period_from_label(str(dated_year - 1)), speaking_year=dated_year)
        candidates.append((weights["past_year"], "past_year", reviewed, past))
    if not candidates:
        return None, None, None
    weight, basis, period, evidence = max(candidates, key=lambda c: c[0])  # the first of equal weight
    # 截至6月底 in a report whose opening says 上半年: the period it names, not the as-of month.
    named = [c for c in candidates if c[1] != "scope" and c[2].year == period.year
             and c[2].end_month == period.end_month and c[2].label != period.label and "-" not in c[2].label]
    if basis == "scope" and named:
        return named[0][2], basis, evidence
    return period, basis, evidence


def _first_body_year(text: str) -> int | None:
    """The first year the text states outside date lines (报告日期:2022年7月14日 is when, not what),
    and not as a point of a comparison or a goal (由1998年末的…, 争取2008年)."""
    for line in text.splitlines():
        if not DATE_LINE.match(line):
            for m in _EXPLICIT_YEAR.finditer(line):
                if not is_background(line, m.start()):
                    return int(m.group(1))
    return None
