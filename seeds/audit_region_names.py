"""List the gazetteer's names that are also ordinary words, so a bare mention never counts as a place.

A county-level name (official or short) is ambiguous when jieba's dictionary knows it as a common
word (a part of speech of ordinary words, not a place or person name: 资源 n, 富裕 a, 城区 n,
东方 s, 和平 nz) used often enough to appear in any report, or when it stands inside, not at the
start of, a word of the indicator and program catalogues (人力资源 holds 资源). Provinces and
prefectures are left out: their names are meant as places far more often than not. The extractor
never takes an ambiguous bare name as evidence of a document's own area.

    uv run python seeds/audit_region_names.py      # rewrites seeds/reference/ambiguous_region_names.csv

The output is data, reviewed in review of the diff; the test suite checks that every name listed
is handled (never a document's area on its own) and that the list is what this script makes.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import jieba

REFERENCE = Path(__file__).parent / "reference"
OUT = REFERENCE / "ambiguous_region_names.csv"
# Parts of speech of ordinary words in jieba's dictionary (ns place, nr person, nt organisation
# names are left out), and how often a word must occur there to be met in any report.
COMMON_WORD_TAGS = {"n", "a", "v", "vn", "d", "s", "nz", "c", "f", "r", "ad", "an", "l", "i", "m", "b", "t"}
MIN_WORD_FREQUENCY = 300


def dictionary_tags() -> dict[str, tuple[str, int]]:
    tags = {}
    with jieba.get_dict_file() as f:
        for line in f:
            parts = line.decode("utf-8").split()
            if len(parts) == 3:
                tags[parts[0]] = (parts[2], int(parts[1]))
    return tags


def catalogue_words() -> list[str]:
    words = []
    for name, column in (("indicators.csv", "indicator_name"), ("programs.csv", "program_name")):
        with (REFERENCE / name).open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                words += [row[column], *[a for a in row["aliases"].split("|") if a]]
    return words


def ambiguous_names() -> list[tuple[str, str, str]]:
    """(name, region names it stands for, reason) for every ambiguous gazetteer name, sorted."""
    tags = dictionary_tags()
    words = catalogue_words()
    regions: dict[str, list[str]] = {}
    with (REFERENCE / "regions.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["level"] != "county":
                continue
            for name in [row["region_name"], *[s for s in row["short_names"].split("|") if s]]:
                regions.setdefault(name, []).append(row["region_name"])
    out = []
    for name, full in sorted(regions.items()):
        tag, frequency = tags.get(name, (None, 0))
        inside = next((w for w in words if name in w[1:]), None)
        if tag in COMMON_WORD_TAGS and frequency >= MIN_WORD_FREQUENCY:
            reason = f"dictionary word ({tag}, frequency {frequency})"
        elif inside:
            reason = f"inside catalogue word {inside}"
        else:
            continue
        out.append((name, "|".join(sorted(set(full))), reason))
    return out


def main() -> int:
    rows = ambiguous_names()
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["name", "regions", "reason"])
        writer.writerows(rows)
    print(f"{len(rows)} ambiguous names written to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
