"""Normalisation keeps offsets into the original: traditional script, full width, annotations."""

from orchestration.extraction import extract_document
from orchestration.extraction.text import normalize


def test_traditional_and_full_width_fold_with_offsets_preserved():
    original = "全市城鎮新增就業１２３４５人，增長３．５％。"
    norm = normalize(original)
    assert norm.text == "全市城镇新增就业12345人,增长3.5%。"
    start = norm.text.index("12345")
    assert norm.original_slice(start, start + 5) == "１２３４５"


def test_pinyin_annotations_are_dropped_but_offsets_point_into_original():
    original = "全省就業(jiù yè)人數達到5000人"
    norm = normalize(original)
    assert norm.text == "全省就业人数达到5000人"
    [fact] = extract_document(original).facts
    assert original[fact.offset:fact.end] == "5000人"
    assert fact.quote in original


def test_repeated_pinyin_annotations_are_dropped_whole():
    original = "全省城(cheng)鎮就業(ye)(ye)(ye)人(ren)(ren)員達(da)到3120萬(wan)(wan)人(ren)(ren)"
    assert normalize(original).text == "全省城镇就业人员达到3120万人"
    [fact] = extract_document(original).facts
    assert (fact.indicator, fact.value, original[fact.offset:fact.end]) == (
        "城镇就业人员", 31200000, "3120萬(wan)(wan)人")


def test_traditional_report_gives_the_same_facts_as_simplified():
    simplified = "2022年,全省城镇新增就业52.3万人,城镇登记失业率为3.1%。"
    traditional = "2022年,全省城鎮新增就業52.3萬人,城鎮登記失業率為3.1%。"
    a = [(f.value, f.unit, f.indicator, f.measure) for f in extract_document(simplified).facts]
    b = [(f.value, f.unit, f.indicator, f.measure) for f in extract_document(traditional).facts]
    assert a == b and len(a) == 2


def test_web_boilerplate_lines_are_not_facts():
    text = "当前位置: 首页 > 工作动态\n时间: 2021-03-02 10:20\n2020年,全市城镇新增就业3.2万人。"
    facts = extract_document(text).facts
    assert [(f.number_text, f.period) for f in facts] == [("3.2万人", "2020")]
