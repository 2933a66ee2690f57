"""Fact rules on constructed reports of other regions and years (never seed sentences)."""

from decimal import Decimal

import pytest

from orchestration.extraction import extract_document, load_reference
from orchestration.extraction.pipeline import MAX_QUOTE_LEAD

SICHUAN_H1 = (
    "四川省2021年上半年人力资源和社会保障工作进展情况\n"
    "2021年上半年,全省城镇新增就业55.6万人,完成全年目标任务90万人的61.8%;"
    "6月末城镇登记失业率为3.4%,控制在4.5%以内。"
    "全省参加基本养老保险人数5721.3万人,同比增长2.1%,其中城镇职工2640.5万人。"
    "失业保险、工伤保险参保人数分别达到1050.2万人和1320.7万人,比上年分别增长3.2%和1.5%。"
    "成都市城镇新增就业12.3万人,绵阳市3.1万人。"
    "截至2020年底,全省共有创业孵化基地321家。"
    "劳动人事争议案件结案率94.5%,同比下降1.2个百分点。"
    "全省技工院校招生8.2万人,占中职招生总数的25.3%。"
)


def facts_by_number(text):
    return {f.number_text: f for f in extract_document(text).facts}


@pytest.fixture(scope="module")
def sichuan():
    return facts_by_number(SICHUAN_H1)


def test_report_region_and_period_from_title(sichuan):
    doc = extract_document(SICHUAN_H1).metadata
    assert doc.region.name == "四川省" and doc.period.label == "2021H1"
    f = sichuan["55.6万人"]
    assert (f.indicator, f.value, f.unit, f.measure, f.region, f.period) == (
        "城镇新增就业", 556000, "人", "value", "四川省", "2021H1")
    assert f.indicator_code == "urban_new_jobs"


def test_target_and_completion_from_one_statement(sichuan):
    target, completion = sichuan["90万人"], sichuan["61.8%"]
    assert (target.measure, target.period, target.indicator) == ("target", "2021", "城镇新增就业")
    assert (completion.measure, completion.period, completion.indicator) == ("completion", "2021H1", "城镇新增就业")


def test_month_end_of_report_period_is_the_report_period(sichuan):
    assert sichuan["3.4%"].period == "2021H1"
    assert sichuan["4.5%"].measure == "target"


def test_change_with_sign_and_basis(sichuan):
    up = sichuan["2.1%"]
    assert (up.measure, up.basis, up.value, up.indicator) == ("change", "yoy", Decimal("2.1"), "参加基本养老保险人数")
    down = sichuan["1.2个百分点"]
    assert (down.measure, down.value, down.unit) == ("change", Decimal("-1.2"), "百分点")


def test_part_of_a_total(sichuan):
    assert "城镇职工" in sichuan["2640.5万人"].indicator


def test_respectively_lists_pair_subjects_and_values(sichuan):
    assert sichuan["1050.2万人"].indicator.startswith("失业保险")
    assert sichuan["1320.7万人"].indicator.startswith("工伤保险")
    assert (sichuan["3.2%"].measure, sichuan["3.2%"].indicator) == ("change", sichuan["1050.2万人"].indicator)
    assert (sichuan["1.5%"].measure, sichuan["1.5%"].indicator) == ("change", sichuan["1320.7万人"].indicator)


def test_explicit_regions_override_the_report_region(sichuan):
    assert sichuan["12.3万人"].region == "成都市" and sichuan["12.3万人"].region_code == "510100"
    assert sichuan["3.1万人"].region == "绵阳市"


def test_sentence_time_overrides_report_period(sichuan):
    assert sichuan["321家"].period == "2020"


def test_share(sichuan):
    assert sichuan["25.3%"].measure == "share"


def test_self_references_resolve_to_the_report_area():
    text = ("2019年哈尔滨市人社局工作总结\n2019年,全市城镇新增就业10.2万人;全省城镇新增就业40.1万人;"
            "全国城镇新增就业1352万人。")
    got = facts_by_number(text)
    assert got["10.2万人"].region == "哈尔滨市"
    assert got["40.1万人"].region == "黑龙江省"
    assert got["1352万人"].region == "全国"


def test_short_names_of_autonomous_prefectures():
    text = "贵州省2022年养老保险情况\n2022年全省月人均养老金3100元,其中:黔南州2800元、毕节市2700元。"
    got = facts_by_number(text)
    assert got["2800元"].region == "黔南布依族苗族自治州"
    assert got["2700元"].region == "毕节市"


def test_program_from_catalogue_and_quoted_names():
    text = ("2021年云南省人社工作\n2021年,全省“三支一扶”计划招募2400人。"
            "开展“技能兴滇·万人培训行动”,培训3.5万人次。")
    got = facts_by_number(text)
    assert got["2400人"].program == "三支一扶"
    assert got["3.5万人次"].program == "技能兴滇·万人培训行动"


def test_spans_of_years_and_year_since():
    text = ("湖南省就业扶贫纪实\n截至2019年9月,2016-2018年全省累计转移就业贫困劳动力120万人。"
            "2017年以来,全省培训8.5万人次。")
    got = facts_by_number(text)
    assert got["120万人"].period == "2016/2018"
    assert got["8.5万人次"].period == "2017/2019"


def test_a_backwards_span_of_years_is_no_period():
    # 2018-2016年 (a typo or OCR damage) names no span; the report's own period applies.
    got = facts_by_number("江西省2018年人社工作总结\n2018-2016年,全省累计培训贫困劳动力6.2万人次。")
    assert got["6.2万人次"].period == "2018"


def test_flattened_table_rows():
    text = ("2020年浙江省人力资源和社会保障事业发展统计公报\n"
            "指标名称 | 计算单位 | 数值 | 比上年增长\n"
            "城镇新增就业 | 万人 | 111.8 | 3.2%\n")
    facts = extract_document(text).facts
    got = {(f.indicator, f.value, f.unit, f.measure) for f in facts}
    assert ("城镇新增就业", Decimal("1118000"), "人", "value") in got
    assert ("城镇新增就业", Decimal("3.2"), "%", "change") in got
    assert all(text[f.offset:f.end] == f.number_text for f in facts)


def test_list_siblings_share_the_head_of_the_first_item():
    got = facts_by_number("山东省2021年人社工作\n2021年,全省发放就业补贴3.2亿元,惠及企业8500家、劳动者12.3万人。"
                          "评定A级企业520家、B级31家。")
    assert got["12.3万人"].indicator.endswith("惠及劳动者")
    assert got["31家"].indicator.endswith("B级")


def test_verb_number_object_names_the_object():
    got = facts_by_number("河南省2021年人社工作\n2021年,省人社厅向人社部遴选推荐5家国家级技能大师工作室。")
    assert got["5家"].indicator.startswith("推荐国家级技能大师工作室")


def test_counts_that_only_name_a_known_set_are_not_facts():
    got = facts_by_number("陕西省2021年人社工作\n2021年,聚焦11个国家乡村振兴重点帮扶县,全省城镇新增就业45万人。")
    assert "11个" not in got and "45万人" in got


def test_target_of_a_fulfilment_takes_the_subject_just_named():
    got = facts_by_number("江西省2021年人社工作\n"
                          "截至2021年9月,全省农村劳动力转移就业48万人,完成年度目标任务40万人的120%。")
    assert got["40万人"].measure == "target" and got["40万人"].indicator == got["48万人"].indicator
    assert got["120%"].measure == "completion" and got["120%"].indicator == got["48万人"].indicator


def test_counts_before_a_payment_are_its_recipients():
    got = facts_by_number("湖北省2021年人社工作\n"
                          "2021年,全省共向3200家用人单位招用的1.5万名就业困难人员发放社会保险补贴2.4亿元。")
    assert "社会保险补贴" in got["3200家"].indicator and "用人单位" in got["3200家"].indicator
    assert "社会保险补贴" in got["1.5万名"].indicator
    assert got["2.4亿元"].value == Decimal("240000000")


@pytest.mark.parametrize("clause, measure", [
    ("全省城镇新增就业48万人,完成年计划的103%", "completion"),
    ("失业人员再就业9.2万人,完成全年计划112.5%", "completion"),
    ("养老保险参保人数达到512万人,完成年度目标任务的99.1%", "completion"),
    # Counter-example: a rate that is no reading of a plan stays a level.
    ("劳动合同签订率达到97.2%", "value"),
])
def test_completion_of_a_plan_is_read_from_the_words_before_it(clause, measure):
    facts = extract_document(f"辽宁省2015年前三季度就业情况\n{clause}。").facts
    percent = next(f for f in facts if f.unit == "%")
    assert percent.measure == measure
    if measure == "completion":
        assert percent.indicator == facts[0].indicator != ""


def test_a_ranked_list_of_places_is_one_statement_about_each():
    facts = extract_document(
        "浙江省2022年1-10月人社工作进展通报\n"
        "各市城镇新增就业完成目标任务的比例依次为:杭州市180%、宁波市167%、温州市150.5%。"
        "各县(市、区)城镇登记失业率均控制在4%以内。").facts
    ranked = [(f.region, f.indicator, f.measure, f.value) for f in facts if f.region != "浙江省"]
    assert ranked == [("杭州市", "城镇新增就业", "completion", 180), ("宁波市", "城镇新增就业", "completion", 167),
                      ("温州市", "城镇新增就业", "completion", Decimal("150.5"))]
    bound = next(f for f in facts if f.number_text == "4%")
    assert (bound.indicator, bound.measure, bound.region) == ("城镇登记失业率", "target", "浙江省")


def test_a_list_of_figures_for_one_place_is_no_ranked_list():
    # Counter-example: 全国…分别为 a、b names one place; each figure keeps its own subject.
    facts = extract_document("2008年末,全国参加城镇基本养老保险、失业保险人数分别为21891万人、12400万人。").facts
    assert [f.indicator for f in facts] == ["参加城镇基本养老保险人数", "失业保险人数"]


def test_a_count_is_never_on_a_money_indicator():
    indicators = load_reference().indicators
    assert indicators.match("为劳动者追回工资", "元").code == "wages_recovered"
    assert indicators.match("为劳动者追回工资", "名") == (None, "unit_mismatch", ("wages_recovered",))
    assert indicators.match("为劳动者追回工资", "%", "change").code == "wages_recovered"  # a change of the amount
    assert indicators.match("为劳动者追回工资", "%", "value").code is None  # a level in % is a rate
    got = facts_by_number("广西壮族自治区2021年人社工作\n2021年,全区共为536名劳动者追回工资812万元。")
    assert (got["536名"].indicator, got["536名"].indicator_code) == ("劳动者追回工资", None)
    assert got["812万元"].indicator_code == "wages_recovered"


@pytest.mark.parametrize("sentence, periods", [
    ("1—3月的求人倍率分别为1.20、1.15和1.33。", ["2019-01", "2019-02", "2019-03"]),
    ("2016-2018年全省城镇新增就业分别为3万人、4万人、5万人。", ["2016", "2017", "2018"]),
    ("1-9月份,全市新增就业10万人。6月份以来,企业解聘职工分别同比下降5.1%、1.4%、9.5%、6.5%。",
     ["2019-09", "2019-06", "2019-07", "2019-08", "2019-09"]),
    # A span with more members than figures pairs nothing: the figures keep the sentence's period.
    ("1-3月的求人倍率分别为1.20、1.15。", ["2019Q1", "2019Q1"]),
])
def test_a_list_of_figures_takes_the_months_of_its_span_one_by_one(sentence, periods):
    facts = extract_document(f"四川省2019年1-9月就业情况\n{sentence}").facts
    assert [f.period for f in facts] == periods


def test_goal_and_progress_columns_of_a_flattened_progress_table():
    text = ("合肥市2022年6月份重点民生工作进展情况表\n"
            "县区 项目名称 年度目标任务 完成进度\n"
            "长丰县 1.新增城镇就业3000人 完成1800人,完成率60%\n"
            "2.力争开发公益性岗位200个 完成【未完成】\n"
            "3.培训农民工500人次 完成450人次,完成率90%\n")
    got = {f.number_text: f for f in extract_document(text).facts}
    assert (got["3000人"].measure, got["3000人"].period) == ("target", "2022")
    assert (got["1800人"].measure, got["1800人"].period) == ("value", "2022-06")
    assert (got["200个"].measure, got["500人次"].measure, got["450人次"].measure) == ("target", "target", "value")
    assert got["60%"].measure == "completion"


def test_a_heading_that_counts_its_items_states_no_fact():
    got = facts_by_number("合肥市2022年民生工作进展\n一、技能提升行动(3项指标)\n1.培训农民工500人次。\n"
                          "二、重点工作(共2项)\n全年认定技能大师工作室2项。")
    assert set(got) == {"500人次", "2项"} and got["2项"].indicator.endswith("技能大师工作室")


def test_a_line_of_figures_with_no_clause_mark_gives_short_quotes():
    # 4,000 figures joined by 、 on one line: every fact would otherwise quote all 40,000 characters.
    line = "全省各地参保人数为" + "、".join(f"{1000 + i}人" for i in range(4000)) + "。"
    facts = extract_document("湖南省2020年社会保险参保情况\n" + line).facts
    assert len(facts) > 3000
    assert max(len(f.quote) for f in facts) <= MAX_QUOTE_LEAD + len("1000人")
    assert all(f.quote.endswith(f.number_text) for f in facts)
