"""The shape of a named rule, shared by the rule table of every attribute of a fact.

Each attribute (measure, subject, region, period, program, indicator) has one ordered table of
rules in its data file (`orchestration/patterns/`). The extractor records on every fact which rule
decided each attribute (`Fact.decided_by`), and `tests/test_rules.py` is generated from the tables:
every rule decides its example, and leaves its counter-example to another rule.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Rule:
    name: str
    looks_at: str  # what the rule reads
    example: str  # a text whose figure in 【】 the rule decides
    counter_example: str  # a text whose figure in 【】 the rule leaves to another rule
    title: str  # the first line of the document the example and counter-example stand in
    decides: str | None = None  # what the rule gives the figure of its example (None: nothing, e.g. no period)
    percent_only: bool = False  # the rule applies only to figures in %
    # Subject rules that rename the subject rather than decide it: the stage they belong to. In each
    # stage the first that holds renames it, and the rules after read the new name.
    stage: str = ""
