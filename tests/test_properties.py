"""Property-based tests of the extractor (hypothesis): it never raises, its offsets are right, and
what it says about a sentence does not depend on text that comes after it."""

import re
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orchestration.extraction import document, extract_document, numbers, periods
from orchestration.extraction import text as text_module
from orchestration.extraction.scanning import finditer_from
from orchestration.extraction.text import normalize

# Text that looks like reports: Han characters of the domain, digits (ASCII and full width),
# Chinese numerals, units, punctuation, brackets, traditional forms, plus arbitrary Unicode.
REPORT_ALPHABET = list("全区省市城镇新增就业人员万亿元千百十一二两三五九点%％,，。、;；:：()（）“”《》"
                       "年月日底末同比增长下降分别完成目标任务的占其中参加保险率個萬億"
                       "0123456789０１２３.．-—|\n ")
report_text = st.text(alphabet=st.sampled_from(REPORT_ALPHABET), max_size=400)
any_text = st.text(max_size=300)

SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.one_of(report_text, any_text))
def test_extractor_never_raises_and_offsets_point_at_the_number(text):
    extraction = extract_document(text)
    for fact in extraction.facts:
        assert 0 <= fact.offset < fact.end <= len(text)
        assert text[fact.offset:fact.end] == fact.number_text
        assert fact.quote and fact.quote in text
        assert fact.number_text.strip() in fact.quote or fact.quote in fact.number_text
        assert fact.measure in ("value", "change", "target", "completion", "share")
        assert isinstance(fact.value, Decimal)


@SETTINGS
@given(st.one_of(report_text, any_text))
def test_normalisation_maps_every_character_back(text):
    norm = normalize(text)
    assert len(norm.origin) == len(norm.text)
    assert all(0 <= o < len(text) for o in norm.origin)
    assert list(norm.origin) == sorted(set(norm.origin))


PREFIX = "四川省2021年人社工作报告\n2021年,全省城镇新增就业55.6万人,同比增长3.2%;城镇登记失业率为3.4%。\n"


@SETTINGS
@given(report_text)
def test_facts_of_a_sentence_do_not_depend_on_text_after_it(tail):
    alone = extract_document(PREFIX).facts
    extended = extract_document(PREFIX + tail).facts
    head = [f for f in extended if f.offset < len(PREFIX)]

    def said(facts):
        return [(f.offset, f.number_text, f.value, f.unit, f.measure, f.indicator, f.basis) for f in facts]

    assert said(head) == said(alone)


SCANS = [
    ("time expressions", periods.TIME_EXPRESSION, periods.TIME_FIRST_CHAR),
    ("quantities", numbers.QUANTITY, numbers.QUANTITY_FIRST_CHAR),
    ("dropped characters", text_module.DROPPED, text_module.DROPPED_FIRST_CHAR),
    ("self references", document.SELF_REFERENCE, document.SELF_REFERENCE_FIRST_CHAR),
]
REORDERED = [
    ("clause breaks", document.CLAUSE_BREAK, re.compile(r"(?<!\d),|,(?!\d{3})|[;:；：]")),
    ("tenths", numbers.CHENG, re.compile(r"(?<![\u4e00-\u9fff]成)[一二三四五六七八九]成[一二三四五六七八九]?"
                                         r"(?![员本果立功效绩熟都交长就型为不以上])")),
]
SCAN_ALPHABET = (REPORT_ALPHABET + list("\u3000\xa0﹪∶—–－～〜ＡＺａｚ！～")
                 + list("今本上下半季度第四截至止到以来起初旬百分之约近超(yè)\u200b\ue000成员")
                 + list("我州县自治委政府人社局厅"))


@SETTINGS
@given(st.one_of(st.text(alphabet=st.sampled_from(SCAN_ALPHABET), max_size=300), any_text))
def test_fast_scans_find_exactly_what_the_full_pattern_finds(text):
    # finditer_from tries a pattern only where its first character class matches: that must
    # never lose or change a match, or the speed-up would change the facts.
    for name, pattern, first_char in SCANS:
        fast = [(m.span(), m.group(0)) for m in finditer_from(pattern, first_char, text)]
        full = [(m.span(), m.group(0)) for m in pattern.finditer(text)]
        assert fast == full, name
    assert periods.without_time_expressions(text) == periods.TIME_EXPRESSION.sub("", text)
    # Patterns reordered to lead with their first character find what their plain form finds.
    for name, reordered, plain in REORDERED:
        assert [m.span() for m in reordered.finditer(text)] == [m.span() for m in plain.finditer(text)], name
    assert text_module._FOLDABLE.sub(text_module._fold_one, text) == text.translate(text_module._FOLD_TABLE)
