"""Number scanning on constructed text: values exact, units right, non-facts skipped."""

from decimal import Decimal

import pytest

from orchestration.extraction.numbers import find_quantities


def quantities(text):
    return [(text[q.start:q.end], q.value, q.unit, q.hedge) for q in find_quantities(text)]


@pytest.mark.parametrize("text, value, unit", [
    ("新增就业12345人", Decimal("12345"), "人"),
    ("参保人数4,700人", Decimal("4700"), "人"),
    ("基金支出32488.79万元", Decimal("324887900"), "元"),
    ("收入12.5亿元", Decimal("1250000000"), "元"),
    ("失业率为3.2%", Decimal("3.2"), "%"),
    ("同比提高0.5个百分点", Decimal("0.5"), "百分点"),
    ("培训2.3万人次", Decimal("23000"), "人次"),
    ("专车76 车次", Decimal("76"), "车次"),
    ("标准为2100元/月", Decimal("2100"), "元/月"),
    ("每人每月补贴800元", Decimal("800"), "元/人·月"),
])
def test_arabic_numbers_scale_exactly(text, value, unit):
    [(_, got_value, got_unit, _)] = quantities(text)
    assert got_value == value and got_unit == unit


@pytest.mark.parametrize("text, value, unit", [
    ("投入资金三千五百万元", Decimal("35000000"), "元"),
    ("覆盖一千万人", Decimal("10000000"), "人"),
    ("占比百分之二十七点九", Decimal("27.9"), "%"),
    ("吸纳一点五万人", Decimal("15000"), "人"),
    ("补贴两千元", Decimal("2000"), "元"),
    # 万/亿 inside the numeral, with 零 or a trailing part
    ("新增就业三万六千人", Decimal("36000"), "人"),
    ("新增就业四万零八百人", Decimal("40800"), "人"),
    ("参保二十万零七千人", Decimal("207000"), "人"),
    ("覆盖三百万零二人", Decimal("3000002"), "人"),
    # 负 before a figure is its sign
    ("增速为负1.7%", Decimal("-1.7"), "%"),
    ("新增就业负3万人", Decimal("-30000"), "人"),
    # thousands grouped by a space or an apostrophe before a unit
    ("参保人数2 500 000人", Decimal("2500000"), "人"),
    ("培训3'400人次", Decimal("3400"), "人次"),
])
def test_chinese_numerals(text, value, unit):
    [(_, got_value, got_unit, _)] = quantities(text)
    assert got_value == value and got_unit == unit


def test_decimal_scaling_is_exact_not_float():
    [(_, value, _, _)] = quantities("发放3.3万元")
    assert value == Decimal("33000") and str(value * 1) != "32999.999999999996"


@pytest.mark.parametrize("text", [
    "2021年3月5日召开会议", "第十二届技能大赛", "第46届世界技能大赛", "一是加强领导", "二个平台",
    "1.强化就业服务", "参保不足1年的人员", "最长可领取6个月", "年满60周岁", "“援企减负12条”",
    "1200人以上的安置点",
])
def test_non_facts_are_skipped(text):
    from orchestration.extraction import extract_document

    assert extract_document(text).facts == []


def test_hedges_are_recorded_and_value_kept():
    got = {t: (v, h) for t, v, _, h in quantities("引进人才1400多人,超过20万名毕业生,近5万户")}
    assert got["1400多人"] == (Decimal("1400"), "多")
    assert got["20万名"] == (Decimal("200000"), "超过")
    assert got["5万户"] == (Decimal("50000"), "近")


def test_unit_inherited_across_lists_and_ranges():
    got = quantities("分别为10.5万人、20.25万和3万人;比例为5%-8%;人数3-5万人")
    units = [u for _, _, u, _ in got]
    assert units == ["人", "人", "人", "%", "%", "人", "人"]
    assert got[1][1] == Decimal("202500")


def test_a_list_takes_its_unit_however_long_and_a_comma_only_backwards():
    # Issue 27 item 12: 1,2,3,…,9人 kept only 9人. A comma joins bare figures to the unit after them,
    # not to the unit before (占45.03%,2018-2019年 is two clauses).
    listed = find_quantities("各乡参保人数分别为" + ",".join(str(n) for n in range(1, 10)) + "人。")
    assert [(q.value, q.unit) for q in listed] == [(Decimal(n), "人") for n in range(1, 10)]
    assert [q.unit for q in find_quantities("占总量的45.03%,2018-2019年下达资金2.3万元")] == ["%", "元"]
    long_list = "、".join(str(n) for n in range(20000)) + "户"
    assert {q.unit for q in find_quantities(long_list)} == {"户"}


@pytest.mark.parametrize("text, number_text, value, unit", [
    ("完成全年新增就业目标的八成一。", "八成一", 81, "%"),
    ("新增就业岗位近八成。", "八成", 80, "%"),
    ("求人倍率分别为1.20、1.15和1.33。", "1.15", Decimal("1.15"), "倍"),
    ("下岗职工共有三百一十万人,比去年底减少一百万。", "一百万", 1000000, "人"),
    ("有5595万农民参加了农村养老保险。", "5595万", 55950000, "人"),
])
def test_figures_with_their_unit_left_implicit(text, number_text, value, unit):
    found = {text[q.start:q.end]: q for q in find_quantities(text)}
    assert (found[number_text].value, found[number_text].unit) == (value, unit)


@pytest.mark.parametrize("text", ["成员一成不变。", "三成员单位参加。", "八成本地企业。"])
def test_cheng_that_is_no_share(text):
    assert not [q for q in find_quantities(text) if q.unit == "%"]


def test_a_growth_below_zero_is_a_negative_change():
    from orchestration.extraction import extract_document

    [fact] = extract_document("2019年,全省参保人数同比负增长2.6%。").facts
    assert (fact.measure, fact.value) == ("change", Decimal("-2.6"))


def test_numbers_a_space_separates_in_a_table_row_stay_apart():
    # Groups of three digits not followed by a unit are a row of figures, not one number.
    assert [v for _, v, _, _ in quantities("合计 120 340 560")] == []
