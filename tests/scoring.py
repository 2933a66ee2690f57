"""Fact scoring of the project's own, so a clone without ../shared still fails when extraction gets
worse on the seeds. It follows ../shared/eval/score.py (GOLD_SCHEMA.md): a predicted fact matches a
gold one of the same value and unit family within a few characters of its offset, the pairs chosen
greedily by indicator similarity and measure; a fact is right when its measure, region, period and
indicator (character F1 ≥ 0.5) are. tests/test_quality.py checks the two agree where both run."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

OFFSET_SLACK = 4
FACT_ATTRIBUTES = ("measure", "region", "period")
UNIT_SYNONYMS = {"名": "人", "位": "人", "场次": "场", "宗": "件", "％": "%"}


def _char_f1(a: str | None, b: str | None) -> float:
    a, b = a or "", b or ""
    common = sum((Counter(a) & Counter(b)).values())
    if not common:
        return 0.0
    precision, recall = common / len(a), common / len(b)
    return 2 * precision * recall / (precision + recall)


def _unit_family(unit: str | None) -> str:
    base = (unit or "").strip().split("/")[0]
    return UNIT_SYNONYMS.get(base, base)


def _blank(value: object) -> str | None:
    return None if value is None else str(value).strip() or None


def _same_value(a: object, b: object) -> bool:
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _pairs(gold: list[dict], predicted: list[dict]) -> list[tuple[dict, dict]]:
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            if not _same_value(g["value"], p["value"]) or _unit_family(g["unit"]) != _unit_family(p["unit"]):
                continue
            if abs(int(p["offset"]) - int(g["offset"])) > OFFSET_SLACK:
                continue
            candidates.append((-(_char_f1(g["indicator"], p["indicator"]) + (g["measure"] == p["measure"])), gi, pi))
    used_gold, used_predicted, pairs = set(), set(), []
    for _, gi, pi in sorted(candidates):
        if gi not in used_gold and pi not in used_predicted:
            used_gold.add(gi)
            used_predicted.add(pi)
            pairs.append((gold[gi], predicted[pi]))
    return pairs


def _f1(right: int, predicted: int, gold: int) -> float:
    precision, recall = right / predicted if predicted else 0.0, right / gold if gold else 0.0
    return round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0


def score(gold: list[dict], predicted: list[dict]) -> dict[str, float]:
    """number_f1 and fact_f1 of `predicted` facts (the fields of `zhibiao facts`) against `gold`."""
    by_doc_gold: dict[str, list[dict]] = defaultdict(list)
    by_doc_predicted: dict[str, list[dict]] = defaultdict(list)
    for g in gold:
        by_doc_gold[g["doc"]].append(g)
    for p in predicted:
        by_doc_predicted[p["doc"]].append(p)
    matched = right = 0
    for doc, facts in by_doc_gold.items():
        for g, p in _pairs(facts, by_doc_predicted[doc]):
            matched += 1
            right += all(_blank(g[a]) == _blank(p[a]) for a in FACT_ATTRIBUTES) \
                and _char_f1(g["indicator"], p["indicator"]) >= 0.5
    predicted_in_gold_docs = sum(len(by_doc_predicted[d]) for d in by_doc_gold)
    return {"number_f1": _f1(matched, predicted_in_gold_docs, len(gold)),
            "fact_f1": _f1(right, predicted_in_gold_docs, len(gold))}
