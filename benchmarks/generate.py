"""Make a realistic corpus of N reports from the seed reports, deterministically.

Each generated report is a seed report moved to another region of the gazetteer (its own names,
short names and 全区/全省/全市 wording follow the region's level) and another period, with its
counts and amounts scaled by one factor per report (decimals kept) and its paragraphs shuffled
after the first. One factor keeps related numbers related: a part stays within its total and a
completion rate stays value ÷ target, so the plausibility checks hold on a generated corpus as on
the seeds; percentages are left as they are for the same reason.
`python benchmarks/generate.py N OUT_DIR [--seed S]` writes N files in a few seconds.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEED_REPORTS = PROJECT_ROOT / "seeds" / "reports"
REGIONS = PROJECT_ROOT / "seeds" / "reference" / "regions.csv"

# Names the seeds are about, replaced by the new region's (longest first).
SEED_NAMES = ["广西壮族自治区", "贵州省", "厦门市", "江门市", "广西", "贵州", "厦门", "江门"]
SELF_WORDS = re.compile(r"(全|我|本)(区|省|市)")
NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?"
                    r"(?=\s?(?P<scale>万|亿|千)?\s?(?P<unit>人次|人|元|%|家|个|户|件|名|项|场|所|本|份|次))")
# A year: before 年, or the first year of a span (2016-2020年), so spans move as a whole.
YEAR = re.compile(r"(?<!\d)(20[12]\d)(?=\s*(?:年|[-至到~]\s*20[12]\d\s*年))")


def load_regions() -> list[dict[str, str]]:
    with REGIONS.open(encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["level"] in ("province", "prefecture") and r["short_names"]]


def scale(match: re.Match[str], factor: float) -> str:
    text = match.group(0)
    if match.group("unit") == "%":
        return text
    value = float(text) * factor
    decimals = len(text.split(".")[1]) if "." in text else 0
    if match.group("scale") and value < 1000:
        # A small scaled figure keeps four significant digits (0.66万 → 0.7052万): rounded to its
        # own digits it moves so far that a completion rate is no longer value ÷ target.
        decimals = max(decimals, 4 - len(str(int(value))) if value >= 1 else 4)
    return f"{value:.{decimals}f}" if decimals else str(max(1, round(value)))


def make_report(seed_text: str, region: dict[str, str], year: int, rng: random.Random) -> str:
    short = region["short_names"].split("|")[0]
    name = region["region_name"]
    level_word = "省" if name.endswith("省") else "区" if name.endswith("区") else "市"
    text = seed_text
    for name in SEED_NAMES:
        text = text.replace(name, region["region_name"] if len(name) > 2 else short)
    text = SELF_WORDS.sub(lambda m: m.group(1) + level_word, text)
    shift = year - 2020
    text = YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)
    factor = rng.uniform(0.7, 1.3)
    text = NUMBER.sub(lambda m: scale(m, factor), text)
    paragraphs = text.split("\n")
    head, body = paragraphs[:3], paragraphs[3:]
    rng.shuffle(body)
    return "\n".join(head + body)


def generate(count: int, out: Path, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEED_REPORTS.glob("*.txt"))]
    regions = load_regions()
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        region = regions[rng.randrange(len(regions))]
        year = rng.randrange(2015, 2025)
        text = make_report(seeds[i % len(seeds)], region, year, rng)
        path = out / f"report_{i:05d}_{region['region_code']}_{year}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.count, args.out, args.seed)
    print(f"wrote {args.count} reports to {args.out}")


if __name__ == "__main__":
    main()
