"""Tests generated from the rule tables: every rule decides its own example (and gives the figure
what the table says it gives), leaves its counter-example to another rule, and the word lists do not
contradict each other."""

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from functools import cache
from pathlib import Path

import pytest
from helpers import PROJECT_ROOT

from orchestration.extraction import ExtractedFact, extract_document
from orchestration.extraction.lexicon import (
    PATTERNS,
    LexiconError,
    indicators,
    load,
    measures,
    places,
    programs,
    subjects,
    times,
)
from orchestration.extraction.lexicon.rules import Rule
from orchestration.ingest.decoding import decode_report

MARKED = re.compile(r"【([^】]+)】")
SEED_REPORTS = PROJECT_ROOT / "seeds" / "reports"
SPEC_FILE = PROJECT_ROOT / "tests" / "specs" / "facts.jsonl"

# attribute → (its rule table, how a fact shows the attribute)
TABLES = {
    "measure": (measures.MEASURE_RULES, lambda f: f.measure),
    "subject": (subjects.SUBJECT_RULES, lambda f: f.indicator),
    "region": (places.REGION_RULES, lambda f: f.region or ""),  # "": no known area
    "period": (times.PERIOD_RULES, lambda f: f.period),
    "program": (programs.PROGRAM_RULES, lambda f: f.program),
    "indicator": (indicators.INDICATOR_RULES, lambda f: f.indicator_code),
}
CASES = [(attribute, rule) for attribute, (table, _) in TABLES.items() for rule in table]


def marked_fact(title: str, text: str) -> ExtractedFact:
    """The fact of the figure marked 【…】 in `text`, in a report whose first line is `title`."""
    marked = MARKED.search(text)
    assert marked, f"no figure marked in {text}"
    head = f"{title}\n"
    plain = head + MARKED.sub(r"\1", text)
    offset = len(head) + marked.start()
    facts = [f for f in extract_document(plain).facts if f.offset == offset]
    assert facts, f"no fact for {marked.group(1)} in {plain}"
    assert facts[0].number_text == marked.group(1)
    return facts[0]


@pytest.mark.parametrize("attribute, rule", CASES, ids=[f"{a}-{r.name}" for a, r in CASES])
def test_rule_decides_its_example(attribute: str, rule: Rule):
    fact = marked_fact(rule.title, rule.example)
    assert getattr(fact.decided_by, attribute) == rule.name
    assert TABLES[attribute][1](fact) == rule.decides


@pytest.mark.parametrize("attribute, rule", CASES, ids=[f"{a}-{r.name}" for a, r in CASES])
def test_rule_leaves_its_counter_example(attribute: str, rule: Rule):
    fact = marked_fact(rule.title, rule.counter_example)
    assert getattr(fact.decided_by, attribute) != rule.name


@cache
def _facts_of_every_kind() -> tuple[ExtractedFact, ...]:
    """The facts of the seeds, of every rule's example and counter-example and of every spec row:
    the texts whose facts the tests know."""
    texts = [decode_report(path, path.read_bytes()).text for path in sorted(SEED_REPORTS.glob("*.txt"))]
    texts += [rule.title + "\n" + MARKED.sub(r"\1", text) for table, _ in TABLES.values() for rule in table
              for text in (rule.example, rule.counter_example)]
    texts += [json.loads(line)["text"] for line in SPEC_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    return tuple(fact for text in texts for fact in extract_document(text).facts)


@pytest.mark.parametrize("attribute", TABLES)
def test_every_rule_that_decides_a_fact_is_a_row_of_its_table(attribute: str):
    """The deciders name their rules in the tables' words: a name no row holds would be a rule no
    example, counter-example or documentation covers."""
    names = {rule.name for rule in TABLES[attribute][0]}
    decided = {getattr(fact.decided_by, attribute) for fact in _facts_of_every_kind()}
    assert decided - names == set()


@pytest.mark.parametrize("attribute", TABLES)
def test_rule_names_are_unique_per_attribute(attribute: str):
    names = [r.name for r in TABLES[attribute][0]]
    assert len(names) == len(set(names))


def test_measure_rules_give_known_measures():
    assert {r.decides for r in measures.MEASURE_RULES} <= {"value", "change", "target", "completion", "share"}


def test_word_lists_do_not_contradict_each_other():
    assert not set(measures.CHANGE_UP) & set(measures.CHANGE_DOWN)
    assert not set(measures.GOAL_WORDS) & set(measures.ACHIEVED)
    assert set(measures.SENTENCE_GOAL) <= set(measures.GOAL_WORDS)


# -- the rule data are data files, and the lexicon modules only name them ---------------------------

LEXICON = PROJECT_ROOT / "orchestration" / "extraction" / "lexicon"
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("module", sorted(p.stem for p in LEXICON.glob("*.py")))
def test_lexicon_modules_hold_no_words(module):
    """Words and patterns live in orchestration/patterns/*.toml: a lexicon module's strings name
    entries, never a word (its comments may quote one)."""
    assert _han_literals(LEXICON / f"{module}.py") == []


def _han_literals(path: Path) -> list[str]:
    """The string literals of a module that hold a Chinese character, its docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and ast.get_docstring(node)}
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings and HAN.search(node.value)]


@pytest.mark.parametrize("data_file", sorted(p.stem for p in PATTERNS.glob("*.toml")))
def test_every_entry_of_a_data_file_is_used(data_file):
    """An entry no module names and no other entry refers to would be a word that does nothing."""
    entries = tomllib.loads((PATTERNS / f"{data_file}.toml").read_text(encoding="utf-8"))
    named = set(re.findall(r'_\w+\.\w+\("(\w+)"\)', (LEXICON / f"{data_file}.py").read_text(encoding="utf-8"))) \
        if (LEXICON / f"{data_file}.py").exists() else set()
    everything = "\n".join(p.read_text(encoding="utf-8") for p in [*PATTERNS.glob("*.toml"), *LEXICON.glob("*.py")])
    referred = set(re.findall(r"@(?:\w+\.)?(\w+)|\{\{(?:\w+\.)?(\w+)\}\}|\"\w+\.(\w+)\"", everything))
    referred = {name for group in referred for name in group if name}
    assert set(entries) - named - referred == set()


def test_a_reference_to_a_missing_entry_names_the_file_and_the_entry():
    with pytest.raises(LexiconError, match=r"measures\.toml has no entry 'no_such_words'"):
        load("measures").words("no_such_words")


_CHANGE_OF = """import sys
from orchestration.extraction import extract_document
fact = next(f for f in extract_document(sys.argv[1]).facts if f.number_text == sys.argv[2])
print(fact.measure, fact.indicator)
"""


def test_a_new_change_verb_is_one_line_in_one_data_file(tmp_path):
    """攀升 (climb) is no change word of the shipped data; added to change_up in a copy of the data
    files, with no code touched, the figure after it is a change."""
    sentence, figure = "2024年,全县城镇新增就业人数同比攀升3.6%。", "3.6%"
    patterns = tmp_path / "patterns"
    shutil.copytree(PATTERNS, patterns)
    measures_toml = patterns / "measures.toml"
    text = measures_toml.read_text(encoding="utf-8")
    measures_toml.write_text(text.replace("change_up = [", "change_up = ['攀升', ", 1), encoding="utf-8")

    def measure_with(folder: Path) -> str:
        env = {**os.environ, "ZHIBIAO_PATTERNS": str(folder)}
        run = subprocess.run([sys.executable, "-c", _CHANGE_OF, sentence, figure], env=env, capture_output=True,
                             text=True, check=True, cwd=PROJECT_ROOT)
        return run.stdout.split()[0]

    assert measure_with(PATTERNS) != "change"
    assert measure_with(patterns) == "change"
    assert len(measures_toml.read_text(encoding="utf-8").splitlines()) == len(text.splitlines())


def test_a_pattern_names_values_the_code_derives_and_fails_without_them():
    """The figure grammar names the units, which the code orders longest first."""
    grammar = load("counters").with_values(scale="SCALE", units="UNITS")
    assert "(?P<scale>SCALE)?" in grammar.text("quantity")
    assert "(?P<unit>UNITS|" in grammar.text("quantity")
    with pytest.raises(LexiconError, match=r"counters\.toml has no entry 'units'"):
        load("counters").with_values(scale="SCALE").text("quantity")


@pytest.mark.parametrize("module", sorted(p.stem for p in LEXICON.parent.glob("*.py")))
def test_extraction_modules_write_no_words(module):
    """No Chinese word list or pattern is written in an extraction module: every word is a data
    file's (orchestration/patterns/*.toml), named through its lexicon module; comments and
    docstrings may quote one."""
    assert _han_literals(LEXICON.parent / f"{module}.py") == []
