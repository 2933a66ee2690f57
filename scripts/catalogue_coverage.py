"""How much of a report folder the indicator catalogue covers, and what to add to it next.

Extracts every report of each folder with the extraction library alone (no Dagster, no warehouse)
and prints, per folder: the share of facts on a catalogue indicator, how many each mapper rule
decided, and the largest groups of uncatalogued phrases with the candidates they nearly named.
With --checked, also the precision and coverage on a hand-checked table (tests/data/indicator_mapping.csv).

    uv run python scripts/catalogue_coverage.py seeds/reports ../shared/wide/reports --top 25
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

from orchestration.extraction import extract_document, load_reference
from orchestration.ingest.decoding import ReportRejected, decode_report


def folder_coverage(folder: Path, top: int) -> None:
    reference = load_reference()
    facts = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        try:
            decoded = decode_report(path, path.read_bytes())
        except ReportRejected as rejected:
            print(f"  rejected {path.name}: {rejected.reason}", file=sys.stderr)
            continue
        facts.extend(extract_document(decoded.text, reference).facts)
    if not facts:
        print(f"{folder}: no facts")
        return
    catalogued = sum(1 for f in facts if f.indicator_code)
    rules = Counter(f.indicator_rule for f in facts)
    print(f"{folder}: {catalogued} of {len(facts)} facts on a catalogue indicator ({catalogued / len(facts):.1%})")
    print("  by rule: " + ", ".join(f"{rule} {n}" for rule, n in rules.most_common()))
    groups = Counter((f.indicator, f.indicator_rule, f.candidate_codes or "") for f in facts if not f.indicator_code)
    print("  largest uncatalogued groups (phrase, rule, candidates):")
    for (phrase, rule, candidates), n in groups.most_common(top):
        print(f"    {n:3d}  {phrase}  [{rule}{': ' + candidates if candidates else ''}]")


def checked_table(path: Path) -> None:
    catalogue = load_reference().indicators
    with path.open(encoding="utf-8") as f:
        pairs = list(csv.DictReader(f))
    given = right = 0
    for pair in pairs:
        code = catalogue.match(pair["phrase"], pair["unit"], pair["measure"]).code
        given += code is not None
        right += code is not None and code == pair["expected_code"]
    expected = sum(1 for p in pairs if p["expected_code"])
    print(f"{path}: precision {right / given:.3f} ({right}/{given}), coverage {right / expected:.3f} "
          f"({right}/{expected}) on {len(pairs)} checked phrases")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", type=Path, nargs="*")
    parser.add_argument("--top", type=int, default=20, help="uncatalogued phrase groups to list per folder")
    parser.add_argument("--checked", type=Path, nargs="?", const=Path("tests/data/indicator_mapping.csv"),
                        help="a hand-checked phrase → code table (default: the test suite's)")
    args = parser.parse_args()
    for folder in args.folders:
        folder_coverage(folder, args.top)
    if args.checked:
        checked_table(args.checked)
    return 0


if __name__ == "__main__":
    sys.exit(main())
