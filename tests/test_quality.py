"""The seeds' quality floor, from a clone alone: the extractor over seeds/reports scored against the
seeds' gold kept in tests/data (without its quotes) by the project's own scorer (tests/scoring.py).
The wide development set and the shared scorer stay in ../shared (test_pipeline.py)."""

import json
import subprocess
import sys

import pytest
from helpers import MEASURED, PROJECT_ROOT, SEED_FLOORS, SEED_REPORTS, SHARED
from scoring import score

from orchestration.extraction import extract_document, load_reference
from orchestration.ingest.decoding import decode_report
from orchestration.readers.export import fact_record

SEED_GOLD = PROJECT_ROOT / "tests" / "data" / "seed_gold.jsonl"


@pytest.fixture(scope="module")
def seed_facts() -> list[dict]:
    reference = load_reference()
    return [fact_record(path.name, fact) for path in sorted(SEED_REPORTS.glob("*.txt"))
            for fact in extract_document(decode_report(path, path.read_bytes()).text, reference).facts]


@pytest.fixture(scope="module")
def seed_gold() -> list[dict]:
    return [json.loads(line) for line in SEED_GOLD.read_text(encoding="utf-8").splitlines()]


def test_seed_quality_floor(seed_facts, seed_gold):
    figures = score(seed_gold, seed_facts)
    MEASURED["seeds (own scorer)"] = f"number F1 {figures['number_f1']:.3f}, fact F1 {figures['fact_f1']:.3f}"
    assert {k: figures[k] >= floor for k, floor in SEED_FLOORS.items()} == dict.fromkeys(SEED_FLOORS, True), figures


@pytest.mark.skipif(not (SHARED / "eval" / "score.py").is_file(), reason="needs ../shared/eval")
def test_own_scorer_agrees_with_the_shared_one(seed_facts, seed_gold, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(p.read_text(encoding="utf-8") for p in sorted((SHARED / "gold").glob("*.jsonl"))),
                    encoding="utf-8")
    facts = tmp_path / "facts.jsonl"
    facts.write_text("".join(json.dumps(f, ensure_ascii=False) + "\n" for f in seed_facts), encoding="utf-8")
    shared = json.loads(subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), str(gold), str(facts),
                                        "--json"], capture_output=True, text=True, check=True).stdout)
    own = score(seed_gold, seed_facts)
    assert own == {k: shared[k] for k in own}
