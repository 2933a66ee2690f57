"""Reference data the extractor resolves against: the gazetteer and the two catalogues.

The CSVs live in `seeds/reference/` (they are dbt seeds too, so the warehouse joins to the very
rows the extractor used). They are read once per process and looked up by dictionary, never by
scanning: a region name is found by trying the few lengths a name can have at a position.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .indicators import IndicatorCatalogue, load_catalogue
from .lexicon import places
from .scanning import lengths_by_last_char

DEFAULT_REFERENCE_DIR = Path(__file__).resolve().parents[2] / "seeds" / "reference"

LEVEL_RANK = {"country": 0, "province": 1, "prefecture": 2, "county": 3, "sub_area": 4}


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str
    parent_code: str
    province_code: str
    abbreviation: str


_SUB_AREA = re.compile(places.SUB_AREA)

# The area of a report that never says which area it is about: no gazetteer row, no name.
UNKNOWN_REGION = Region(code="unknown", name="", level="unknown", parent_code="", province_code="", abbreviation="")


@dataclass
class Gazetteer:
    regions: dict[str, Region]
    by_name: dict[str, list[Region]] = field(default_factory=dict)  # official and short names
    by_abbreviation: dict[str, Region] = field(default_factory=dict)
    max_name_length: int = 0
    name_prefixes: frozenset[str] = frozenset()  # first two characters of every name
    lengths_by_prefix: dict[str, tuple[int, ...]] = field(default_factory=dict)  # longest first
    # Two characters that may begin a name: a first character of some name followed by a second
    # character of some name. A superset of the real prefixes, but a C-speed scan for them.
    name_start: re.Pattern[str] = re.compile("(?!)")
    # Names that are also ordinary words (资源, 城区): never a place on their own (seeds/audit_region_names.py).
    ambiguous: frozenset[str] = frozenset()

    @classmethod
    def from_csv(cls, path: Path) -> Gazetteer:
        regions: dict[str, Region] = {}
        by_name: dict[str, list[Region]] = {}
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                region = Region(row["region_code"], row["region_name"], row["level"],
                                row["parent_code"], row["province_code"], row["abbreviation"])
                regions[region.code] = region
                names = [region.name] + [s for s in row["short_names"].split("|") if s]
                for name in names:
                    by_name.setdefault(name, []).append(region)
        abbreviations = {r.abbreviation: r for r in regions.values() if r.abbreviation}
        longest = max(len(n) for n in by_name)
        prefixes = frozenset(n[:2] for n in by_name)
        lengths: dict[str, set[int]] = {}
        for name in by_name:
            lengths.setdefault(name[:2], set()).add(len(name))
        by_prefix = {p: tuple(sorted(ls, reverse=True)) for p, ls in lengths.items()}
        name_start = re.compile("[" + "".join(sorted({re.escape(p[0]) for p in prefixes})) + "]"
                                "[" + "".join(sorted({re.escape(p[1:2]) for p in prefixes})) + "]")
        ambiguous_csv = path.with_name("ambiguous_region_names.csv")
        ambiguous: frozenset[str] = frozenset()
        if ambiguous_csv.exists():
            with ambiguous_csv.open(encoding="utf-8") as f:
                ambiguous = frozenset(row["name"] for row in csv.DictReader(f))
        return cls(regions, by_name, abbreviations, longest, prefixes, by_prefix, name_start, ambiguous)

    def country(self) -> Region:
        return self.regions["000000"]

    def province_of(self, region: Region) -> Region:
        return self.regions.get(region.province_code, region)

    def parent_of(self, region: Region) -> Region | None:
        return self.regions.get(region.parent_code)

    def sub_area_at(self, text: str, pos: int, name: str, city: Region) -> Region | None:
        """The area inside `city` (its name `name` written at `pos`) that the words after name:
        青岛西海岸新区 → 青岛西海岸新区, a member of its own under 青岛市 (code 370200:青岛西海岸新区)."""
        if city.level != "prefecture":
            return None
        m = _SUB_AREA.match(text, pos + len(name))
        if m is None:
            return None
        return self.sub_area(city, text[pos : m.end()])

    @staticmethod
    def sub_area(city: Region, written: str) -> Region:
        """An area inside `city` that the gazetteer lacks, named as written (金华市市区)."""
        return Region(f"{city.code}:{written}", written, "sub_area", city.code, city.province_code, "")

    def names_at(self, text: str, pos: int) -> list[tuple[str, list[Region]]]:
        """Region names starting at `pos`, longest first."""
        found = []
        for length in self.lengths_by_prefix.get(text[pos : pos + 2], ()):
            candidates = self.by_name.get(text[pos : pos + length])
            if candidates:
                found.append((text[pos : pos + length], candidates))
        return found

    def resolve(self, candidates: list[Region], home: Region | None) -> Region:
        """Pick among same-named regions: the one inside the report's province, else the highest."""
        if home is not None and home.code != "000000":
            inside = [r for r in candidates if r.province_code == home.province_code]
            if inside:
                candidates = inside
        return min(candidates, key=lambda r: (LEVEL_RANK[r.level], r.code))


@dataclass(frozen=True)
class CatalogEntry:
    code: str
    name: str
    policy_area: str


@dataclass
class Catalog:
    """Program names with aliases; a phrase matches when it is, or ends with, a known name."""

    entries: dict[str, CatalogEntry]
    by_alias: dict[str, CatalogEntry]
    # For each last character, the lengths of the aliases (four characters or more) ending in it,
    # longest first: the only suffixes of a phrase worth looking up.
    suffix_lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)

    @classmethod
    def from_csv(cls, path: Path, code_column: str, name_column: str) -> Catalog:
        entries: dict[str, CatalogEntry] = {}
        by_alias: dict[str, CatalogEntry] = {}
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                entry = CatalogEntry(row[code_column], row[name_column], row["policy_area"])
                entries[entry.code] = entry
                for alias in [entry.name, *[a for a in row["aliases"].split("|") if a]]:
                    by_alias[alias] = entry
        return cls(entries, by_alias, lengths_by_last_char(by_alias, 4))

    def match(self, phrase: str) -> CatalogEntry | None:
        """The entry the phrase names: by name, else by the longest name closing it."""
        if not phrase:
            return None
        exact = self.by_alias.get(phrase)
        if exact:
            return exact
        # The longest catalogue name (of four characters or more) closing the phrase:
        # 全区城镇新增就业 → 城镇新增就业.
        for length in self.suffix_lengths.get(phrase[-1], ()):
            if length < len(phrase):
                entry = self.by_alias.get(phrase[-length:])
                if entry:
                    return entry
        return None

    def names_in(self, text: str) -> list[tuple[int, int, CatalogEntry]]:
        """Every alias occurrence in `text` (start, end, entry), left to right.

        Called once per document: each alias is one C-speed `str.find` pass over the text.
        """
        hits = []
        for alias, entry in self.by_alias.items():
            start = text.find(alias)
            while start != -1:
                hits.append((start, start + len(alias), entry))
                start = text.find(alias, start + 1)
        return sorted(hits, key=lambda h: (h[0], -h[1]))



@dataclass
class Reference:
    gazetteer: Gazetteer
    indicators: IndicatorCatalogue
    programs: Catalog


@lru_cache(maxsize=4)
def load_reference(directory: Path = DEFAULT_REFERENCE_DIR) -> Reference:
    directory = Path(directory)
    return Reference(
        gazetteer=Gazetteer.from_csv(directory / "regions.csv"),
        indicators=load_catalogue(directory),
        programs=Catalog.from_csv(directory / "programs.csv", "program_name", "program_name"),
    )
