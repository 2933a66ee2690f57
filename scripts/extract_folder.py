"""Extract every report of a folder with the extraction library alone (no Dagster, no warehouse).

The development loop for extraction rules: the JSON Lines it prints have the fields of
`zhibiao facts`, so `../shared/eval/score.py GOLD FACTS` scores them directly.

    uv run python scripts/extract_folder.py ../shared/wide/reports > /tmp/wide.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from orchestration.extraction import extract_document, load_reference
from orchestration.ingest.decoding import ReportRejected, decode_report
from orchestration.readers.export import fact_record


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    reference = load_reference()
    for path in sorted(p for p in args.folder.iterdir() if p.is_file()):
        try:
            decoded = decode_report(path, path.read_bytes())
        except ReportRejected as rejected:
            print(f"rejected {path.name}: {rejected.reason}", file=sys.stderr)
            continue
        for fact in extract_document(decoded.text, reference).facts:
            print(json.dumps(fact_record(path.name, fact), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
