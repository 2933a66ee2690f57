"""The document-context stage and the table readers, on constructed reports (never dev-set text)."""

import csv
import subprocess
import sys
from decimal import Decimal

import pytest
from helpers import PROJECT_ROOT

from orchestration.extraction import extract_document, load_reference
from orchestration.extraction.context import region_mentions
from orchestration.extraction.periods import period_from_label, period_label, period_range


def meta(text):
    return extract_document(text).metadata


# -- the document's own area: title → issuer → document number → mentions -------------------------

@pytest.mark.parametrize("text, region, basis", [
    # The title names the place, although the body names others more often.
    ("绍兴市2019年1-10月人力资源和社会保障工作进展\n杭州市、宁波市、杭州市的经验值得学习,全市城镇新增就业8.1万人。",
     "绍兴市", "title"),
    # A chain of places in the title names the innermost.
    ("测试 湖北省宜昌市2022年人社工作总结\n全市城镇新增就业3.3万人。", "宜昌市", "title"),
    # A form's issuer names the county; 人力资源 holds 资源 (资源县) but names no place.
    ("部门名称:郧西县人力资源和社会保障局\n报告日期:2021年3月2日\n全县城镇新增就业1200人,人力资源市场招聘3000人。",
     "郧西县", "title"),
    # A ministry's release is about 全国, even when the story is filed from a city.
    ("新华社北京五月八日电 记者从人力资源和社会保障部获悉,截至4月底,北京、上海等地已完成调整,"
     "城镇新增就业达到420万人。",
     "全国", "issuer"),
    # The province abbreviation of a document number, when nothing else names the area.
    ("关于2019年就业工作情况的报告\n湘人社函〔2020〕12号\n全省城镇新增就业70.2万人。", "湖南省", "document_number"),
    # The place named most; 全国 named as often is the comparison, not the subject.
    ("一、就业\n年末常住人口53.2万人,高于全国平均水平。德清县城镇新增就业1.1万人。", "德清县", "mentions"),
])
def test_document_region_precedence(text, region, basis):
    doc = meta(text)
    assert (doc.region.name, doc.region_basis) == (region, basis)


def test_a_ministry_giving_guidance_does_not_make_a_local_report_national():
    doc = meta("在自治区党委的领导和人社部的指导下,全区城镇新增就业12.5万人。全区各级人社部门……南宁市新增就业3万人。")
    assert doc.region.name != "全国"


def test_ambiguous_names_never_decide_the_area_alone():
    # 资源 (资源县), 富裕 (富裕县) and 城区 are listed as ordinary words; only 全国 is left.
    doc = meta("人力资源服务业发展,群众生活富裕,城区人口增加,全国城镇新增就业1100万人。")
    assert doc.region.name == "全国"
    gazetteer = load_reference().gazetteer
    assert [name for _, name, _ in region_mentions("人力资源富裕城区", gazetteer)] == []
    assert [name for _, name, _ in region_mentions("资源县人社局", gazetteer)] == ["资源县"]


def test_ambiguous_name_list_is_what_the_audit_script_makes(tmp_path):
    listed = PROJECT_ROOT / "seeds" / "reference" / "ambiguous_region_names.csv"
    before = listed.read_text(encoding="utf-8")
    subprocess.run([sys.executable, str(PROJECT_ROOT / "seeds" / "audit_region_names.py")], check=True,
                   capture_output=True)
    assert listed.read_text(encoding="utf-8") == before
    with listed.open(encoding="utf-8") as f:
        names = {row["name"] for row in csv.DictReader(f)}
    assert {"资源", "富裕", "城区", "和平", "东方"} <= names
    gazetteer = load_reference().gazetteer
    assert gazetteer.ambiguous == names
    # Every listed name is handled: bare, it is no region of a fact or of a document.
    for name in sorted(names):
        text = f"今年{name}城镇新增就业1200人。"
        extraction = extract_document(text)
        assert extraction.metadata.region_basis == "none", name
        assert all(f.region is None and f.region_code == "unknown" for f in extraction.facts), name


# -- the document's own period ---------------------------------------------------------------------

@pytest.mark.parametrize("text, period, basis", [
    ("2023年3月份惠民行动各县区进展情况表\n开发公益性岗位540个。", "2023-03", "title"),
    ("2016年2季度盘锦市社会保险相关数据\n参保人数56.3万人。", "2016Q2", "title"),
    ("宿州:今年一季度就业形势稳定\n发布时间:2018-04-19\n全市城镇新增就业2.5万人。", "2018Q1", "title"),
    ("记者获悉,前三季度,吉林省城镇新增就业53万人。\n2012年10月30日", "2012-09", "opening"),
    ("新闻\n2015-10-20 20:18:07\n1-9月份,全市城镇新增就业52万人。", "2015-09", "opening"),
    # A form dated 2022 reports on 2021: the date line is when it was written, not what it covers.
    ("部门名称:某县人社局\n报告日期:2022年7月14日\n一、总体情况\n2021年全县城镇新增就业6174人。", "2021", "opening"),
    ("部门名称:某县人社局\n报告日期:2022年7月14日\n" + "一、概况\n" * 8 + "2021年全县城镇新增就业6174人。",
     "2021", "body_year"),
])
def test_document_period_precedence(text, period, basis):
    doc = meta(text)
    assert (doc.period.label, doc.period_basis) == (period, basis)


def test_no_stated_year_means_no_period():
    doc = meta("记者获悉,前三季度,全省城镇新增就业53万人,完成年计划的106%。")
    assert doc.period is None and doc.period_basis is None
    assert all(f.period is None and f.period_basis is None for f in extract_document(
        "记者获悉,前三季度,全省城镇新增就业53万人,完成年计划的106%。").facts)


def test_facts_record_how_region_and_period_were_decided():
    facts = {f.number_text: f for f in extract_document(
        "湖州市2021年上半年就业工作情况\n城镇新增就业3.2万人。安吉县城镇新增就业4100人。\n"
        "二、下半年工作打算\n力争全市新增就业2万人。").facts}
    assert (facts["3.2万人"].region_basis, facts["3.2万人"].period_basis) == ("document", "document")
    assert (facts["4100人"].region, facts["4100人"].region_basis) == ("安吉县", "sentence")
    assert (facts["2万人"].period, facts["2万人"].period_basis) == ("2021H2", "heading")


# -- the document context weighs its evidence and may abstain (all texts invented) ----------------

@pytest.mark.parametrize("text, region, basis", [
    # A link to another page in the chrome names another province: the issuer and the body win.
    ("上一篇 : 福建“就业援助月”助力1.3万人返岗\n记者从甘肃省人力资源和社会保障厅了解到,甘肃省一季度"
     "城镇新增就业6.12万人。甘肃省城镇登记失业率为3.5%。", "甘肃省", "issuer"),
    # A county-level city named throughout beats its province named once in the news site's name;
    # 居全省前列 and 全省第一 rank it in the province, they are no self-reference.
    ("江苏日报网讯 昨日,江阴市第十届人民代表大会召开。过去五年,江阴市累计新增就业8.1万人,"
     "城镇登记失业率控制在3%以内,排名全省第一。江阴市居民收入居全省前列。江阴市新建公租房800套。",
     "江阴市", "mentions"),
    # A city notice that names only its counties, repeatedly, and calls itself 全市: the city.
    ("全市就业工作进展通报\n截至9月底,宁都县完成率112.5%,瑞金市完成率108.3%,于都县完成率99.1%。"
     "宁都县、瑞金市新增就业分别为4200人、3900人,于都县为3100人。全市新增就业2.3万人。", "赣州市", "sub_areas"),
])
def test_document_region_weighs_evidence(text, region, basis):
    doc = meta(text)
    assert (doc.region.name, doc.region_basis) == (region, basis)


def test_page_chrome_decides_neither_area_nor_title():
    """A site's name and the page's breadcrumbs and date line are not the report's: a text that
    says only 我县 has no area, and its headline is its title."""
    doc = meta("• 清河新闻网手机版\n首页 > 政务公开 > 工作动态\n日期:05-21 来源:县人社局\n"
               "我县前4个月就业工作稳步推进\n今年以来,我县城镇新增就业2318人,失业人员再就业760人。")
    assert (doc.region.name, doc.region_basis, doc.title) == ("", "none", "我县前4个月就业工作稳步推进")


def test_a_page_label_glued_to_the_text_hides_neither_its_year_nor_its_first_sentence():
    doc = meta("日期:04-09 来源:区人社局2019年全区城镇新增就业3870人,同比增长2.7%。")
    assert (doc.period.label, doc.period_basis) == ("2019", "opening")


@pytest.mark.parametrize("text, name, code", [
    ("今年1-5月,大连金普新区城镇新增就业1.26万人。全区城镇登记失业率为2.9%。", "大连金普新区", "210200:大连金普新区"),
    ("2021年洛阳高新区新增就业岗位4100个,全区就业形势稳定。", "洛阳高新区", "410300:洛阳高新区"),
])
def test_an_area_inside_a_city_is_its_own_area(text, name, code):
    extraction = extract_document(text)
    assert (extraction.metadata.region.name, extraction.metadata.region.code) == (name, code)
    assert {(f.region, f.region_code) for f in extraction.facts} == {(name, code)}


def test_a_speech_looking_back_reviews_the_year_before_its_date():
    doc = meta("在全市人社工作会议上的讲话\n(2020年1月16日)\n同志们:\n过去的一年,全市城镇新增就业4.1万人。")
    assert (doc.period.label, doc.period_basis, doc.period.speaking_year) == ("2019", "past_year", 2020)
    # Without the words of looking back, the date is the year it speaks of.
    assert meta("全市人社工作情况\n(2020年1月16日)\n全市城镇新增就业4.1万人。").period.label == "2020"


def test_a_township_that_signs_its_notice_is_its_area():
    # The town is below the gazetteer: an area inside the best one the rest of the text names.
    doc = meta("关于做好2022年农村劳动力培训工作的通知\n各村委会:\n按照房县人社局下达的任务,全镇培训农村劳动力"
               "300人。\n青峰镇人民政府\n2022年3月1日")
    assert (doc.region.name, doc.region.level, doc.region_basis) == ("青峰镇", "sub_area", "issuer")
    # A county notice addressed to 各乡镇人民政府 is no township's.
    assert meta("房县人社局关于就业工作的通知\n各乡镇人民政府:\n全县城镇新增就业1200人。").region.name == "房县"


def test_a_two_character_county_name_inside_a_word_names_no_place():
    # 完成县… holds 成县 (a county of two characters), but names no place.
    gazetteer = load_reference().gazetteer
    assert [name for _, name, _ in region_mentions("确保完成县局下达的任务,全镇参保3000人。", gazetteer)] == []
    assert [name for _, name, _ in region_mentions("在成县召开现场会。", gazetteer)] == ["成县"]


def test_a_short_place_name_inside_a_quoted_name_names_no_place():
    # “同心同行” names a campaign, not 同心县; a place's full name in quotes is still that place.
    gazetteer = load_reference().gazetteer
    assert [name for _, name, _ in region_mentions("开展“同心同行”企业培育行动。", gazetteer)] == []
    assert [name for _, name, _ in region_mentions("在同心召开“同心同行”现场会。", gazetteer)] == ["同心"]
    assert [name for _, name, _ in region_mentions("举办“同心县技能大赛”。", gazetteer)] == ["同心县"]


def test_a_city_area_word_is_no_sub_area():
    # 市区域 and 市区县 are words about the city, not an area inside it.
    assert meta("杭州市区域协调发展,杭州市城镇新增就业12万人。").region.name == "杭州市"


@pytest.mark.parametrize("text", [
    "我市今年以来认真落实就业优先政策,上半年全市城镇新增就业1.26万人,完成年度目标任务的63%。",
    "本县2019年农村劳动力转移就业2.1万人,比上年增长4%。全县城镇登记失业率为2.9%。",
    "我市选取9家示范企业开展2021年“同心同行”企业培育行动,全市新增就业3000人。",
])
def test_a_text_that_never_names_its_area_has_none(text):
    extraction = extract_document(text)
    assert (extraction.metadata.region.code, extraction.metadata.region_basis) == ("unknown", "none")
    assert extraction.facts and all(f.region is None for f in extraction.facts)


@pytest.mark.parametrize("text, period, basis", [
    # A background year before the scope sentence: the scope decides (a 1-8 month report).
    ("2018年,全县承担民生工程任务12项。现将2018年1-8月实施情况通报如下:\n城镇新增就业3100人。", "2018-08", "scope"),
    # 截至N月底 in the opening takes its year from the story's start (2019年以来).
    ("市人社局召开新闻发布会。2019年以来,全市各项工作稳步推进。截至7月底,全市城镇新增就业1.9万人。",
     "2019-07", "scope"),
    # A span with 年 at both ends is the report's own period.
    ("记者从省人大常委会获悉,2015年至2016年9月,全省新增就业人数21.3万人。", "2015/2016", "opening"),
    # 去年11至12月 is another year; 今年上半年 is this report's, its year from the date line.
    ("发布时间:2013年07月12日\n本省就业扭转了去年11至12月下滑态势,今年上半年全省城镇新增就业19.2万人。",
     "2013H1", "opening"),
])
def test_document_period_weighs_evidence(text, period, basis):
    doc = meta(text)
    assert (doc.period.label, doc.period_basis) == (period, basis)


@pytest.mark.parametrize("text", [
    # Years that are points of a comparison (由…至…), never a report's own period.
    "省政府新闻办召开发布会,本省从业人员由1985年末的1930.5万人增加至2015年末的3820.1万人,目前全省参保人数3100万人。",
    # A goal year is not the report's year.
    "全区将继续稳定就业,争取二〇二五年城镇新增就业达到6万人。",
])
def test_background_and_goal_years_are_no_report_period(text):
    assert meta(text).period is None


# -- tables flattened to whitespace ------------------------------------------------------------------

REGION_COLUMNS = (
    "表5 社会保险参保情况\n"
    "                (2016年)\n"
    "          湖州市  德清县 长兴县 安吉县\n"
    "城镇职工基本养老保险参保人数 (人) 900000 300000 200000 150000 250000\n"
    "  #城镇 (人) 50000 10000 20000 8000 12000\n"
    "城镇登记失业率 (%) 2.1 2.0 2.2 1.9 2.3\n"
)


def test_region_columns_with_an_unlabelled_urban_column():
    facts = extract_document(REGION_COLUMNS).facts
    cells = [(f.number_text, f.region, f.period, f.unit, f.region_basis) for f in facts]
    assert cells[:5] == [("900000", "湖州市", "2016", "人", "table"), ("300000", "湖州市市区", "2016", "人", "table"),
                         ("200000", "德清县", "2016", "人", "table"), ("150000", "长兴县", "2016", "人", "table"),
                         ("250000", "安吉县", "2016", "人", "table")]
    # The unlabelled column after the prefecture's total is its 市区: an area of its own under it.
    urban = next(f for f in facts if f.number_text == "300000")
    assert (urban.indicator, urban.region_code) == ("城镇职工基本养老保险参保人数", "330500:湖州市市区")
    part = next(f for f in facts if f.number_text == "8000")
    assert (part.indicator, part.region) == ("城镇职工基本养老保险参保人数(城镇)", "长兴县")
    rate = next(f for f in facts if f.number_text == "2.3")
    assert (rate.value, rate.unit, rate.indicator) == (Decimal("2.3"), "%", "城镇登记失业率")


QUARTER_COLUMNS = (
    "某市年鉴 附录\n"
    "  序号 统计指标          计量单位  2018年末  2019年  2019年  2019年  2019年   注\n"
    "                                        一季度末 二季度末 三季度末 四季度末\n"
    "   12  参加失业保险人数        万人     50.10   50.20   50.30   50.40   50.50  期末时点数\n"
    "   12.1  其中:农民工           万人      5.10    5.20    5.30    5.40    5.50  期末时点数\n"
    "   13  失业保险基金支出        亿元      1.50    0.30    0.70    1.10    1.60  从年初累计\n"
)


def test_quarter_end_columns_are_cumulative_periods():
    facts = {f.number_text: f for f in extract_document(QUARTER_COLUMNS).facts}
    assert [facts[n].period for n in ("50.10", "50.20", "50.30", "50.40", "50.50")] == [
        "2018", "2019Q1", "2019H1", "2019-09", "2019"]
    assert (facts["50.10"].value, facts["50.10"].unit) == (501000, "人")
    assert (facts["1.60"].value, facts["1.60"].unit) == (160000000, "元")
    assert facts["5.30"].indicator == "参加失业保险人数(农民工)"
    assert "12" not in facts and "12.1" not in facts  # serial numbers are not facts


GROUP_COLUMNS = (
    "表三 2021年居民人均收支主要指标\n"
    "单位:元、%\n"
    "指标 全体居民 城镇居民 农村居民\n"
    "总量 增长 总量 增长 总量 增长\n"
    "可支配收入 50000 6.1 60000 5.2 35000 7.3\n"
    "1.工资性收入 30000 5.0 35000 4.1 20000 6.2\n"
)


def test_group_by_measure_columns_take_units_from_the_table_line():
    facts = {f.number_text: f for f in extract_document(GROUP_COLUMNS).facts}
    urban = facts["60000"]
    assert (urban.indicator, urban.unit, urban.measure) == ("城镇居民可支配收入", "元", "value")
    assert (facts["5.2"].unit, facts["5.2"].measure, facts["5.2"].basis) == ("%", "change", "yoy")
    assert facts["20000"].indicator == "农村居民工资性收入" and facts["20000"].period == "2021"


PIPE_YEARBOOK = (
    "| 9-3 失业保险情况 | ||||\n"
    "| Unemployment Insurance | ||||\n"
    "| 项目 | Item | 2015 | 2022 | 2023 |\n"
    "| 失业保险 | Unemployment Insurance | |||\n"
    "| 期末参保人数(万人) | Number of Insured(10000 persons) | 120.50 | 150.25 | 158.75 |\n"
    "| 基金支出(亿元) | Expenses(100 million yuan) | 3.20 | 12.40 | 11.85 |\n"
    "| 农民工失业保险 | Migrant Workers | |||\n"
    "| 期末参保人数(万人) | Number of Insured(10000 persons) | 30.10 | 32.60 | |\n"
)


def test_a_pipe_table_with_sections_and_a_series_that_began_later():
    facts = {f.number_text: f for f in extract_document(PIPE_YEARBOOK).facts}
    assert [facts[n].period for n in ("120.50", "150.25", "158.75")] == ["2015", "2022", "2023"]
    assert (facts["120.50"].indicator, facts["120.50"].value, facts["120.50"].unit) == (
        "失业保险期末参保人数", Decimal("1205000"), "人")
    assert (facts["11.85"].indicator, facts["11.85"].value, facts["11.85"].unit) == (
        "失业保险基金支出", Decimal("1185000000"), "元")
    # The last section's row has two figures: the years it reports are the last two.
    assert [(facts[n].indicator, facts[n].period) for n in ("30.10", "32.60")] == [
        ("农民工失业保险期末参保人数", "2022"), ("农民工失业保险期末参保人数", "2023")]
    assert not {"2015", "2022", "2023", "9", "3", "10000", "100"} & set(facts)  # headers and translations


CELL_PER_LINE_PIPED = "\n".join(f"{cell} |" for cell in [
    "表3 社会保险主要指标", "指标名称", "计量单位", "2016年1-6月", "绝对数", "相对数(%)",
    "期末参加失业保险人数", "万人", "36.52", "3.15%",
    "失业保险基金收入", "亿元", "4.81", "-2.06",
]) + "\n某县人社局 2016年7月\n"


def test_a_table_copied_one_cell_per_line_with_a_bar_after_each_cell():
    facts = [(f.number_text, f.indicator, f.value, f.unit, f.measure, f.basis, f.period)
             for f in extract_document(CELL_PER_LINE_PIPED).facts]
    assert facts == [
        ("36.52", "期末参加失业保险人数", Decimal("365200"), "人", "value", None, "2016H1"),
        ("3.15%", "期末参加失业保险人数", Decimal("3.15"), "%", "change", "yoy", "2016H1"),
        ("4.81", "失业保险基金收入", Decimal("481000000"), "元", "value", None, "2016H1"),
        ("-2.06", "失业保险基金收入", Decimal("-2.06"), "%", "change", "yoy", "2016H1"),
    ]


CELL_PER_LINE = "\n".join([
    "2020年民生工程完成情况表", "地区", "城镇新增就业(人)", "城镇登记失业率低于(%)", "就业困难人员就业(人)",
    "目标", "任务", "进度", "完成比例(%)", "目标", "任务", "进度", "完成比例(%)", "目标", "任务", "进度", "完成比例(%)",
    "全市", "9000", "9900", "110", "4.5", "3.2", "500", "600", "120",
    "市本级", "50", "40", "80",
    "江山新区",
    "衢江区", "3000", "3300", "110", "4.5", "3.1", "100", "150", "150",
])


def test_a_table_copied_one_cell_per_line():
    facts = extract_document(f"衢州市\n{CELL_PER_LINE}").facts
    cells = [(f.number_text, f.indicator, f.measure, f.region, f.unit) for f in facts]
    assert cells[:5] == [("9000", "城镇新增就业", "target", "衢州市", "人"),
                         ("9900", "城镇新增就业", "value", "衢州市", "人"),
                         ("110", "城镇新增就业", "completion", "衢州市", "%"),
                         ("4.5", "城镇登记失业率", "target", "衢州市", "%"),
                         ("3.2", "城镇登记失业率", "value", "衢州市", "%")]
    # A row that reports only the last indicator, and a place with no numbers.
    assert ("50", "市本级就业困难人员就业", "target", "衢州市", "人") in cells
    assert [c for c in cells if c[0] == "3300"] == [("3300", "城镇新增就业", "value", "衢江区", "人")]
    assert len(cells) == 8 + 3 + 8


@pytest.mark.parametrize("text, period", [
    ("二〇二一年全市城镇新增就业1.2万人。", "2021"),
    ("二00九年上半年,全省城镇新增就业1.2万人。", "2009H1"),
    ("截至今年九月末,全国城镇新增就业六百五十万个。\n2003年10月29日", "2003-09"),
    ("青岛前九月实现就业52万人\n2016-10-20 20:18:07\n全市城镇新增就业52万人。", "2016-09"),
    ("前10个月,全省城镇新增就业1.2万人。\n2019年11月2日", "2019-10"),
])
def test_chinese_numeral_dates_and_cumulative_months(text, period):
    extraction = extract_document(text)
    assert extraction.metadata.period.label == period
    assert all(f.period == period for f in extraction.facts)


@pytest.mark.parametrize("text, expected", [
    # Inside a half-year report, a single month or quarter is its own period; 月底 and 截至第二季度
    # and the last day of the month are the report's.
    ("2017年上半年全市就业情况\n6月份,城镇调查失业率为4.9%。二季度,城镇登记失业率为3.2%。"
     "截至6月底,城镇新增就业2.6万人。截至6月12日,停产企业140家。截至第二季度,培训1.2万人次。",
     {"4.9%": "2017-06", "3.2%": "2017Q2", "2.6万人": "2017H1", "140家": "2017-06", "1.2万人次": "2017H1"}),
    # A 分别 list over a span of years written with 年 at both ends, one year per figure.
    ("2010年就业统计\n2006年到2010年,全市城镇新增就业分别为1.1万人、1.2万人、1.25万人、1.3万人、1.4万人。",
     {"1.1万人": "2006", "1.25万人": "2008", "1.4万人": "2010"}),
    # Months from last year's into this year's, one per figure.
    ("发布时间:2012年07月05日\n全省去年10月到今年2月城镇新增就业分别为0.5万人、0.8万人、1.1万人、0.9万人、1.6万人。",
     {"0.5万人": "2011-10", "0.8万人": "2011-11", "1.1万人": "2011-12", "0.9万人": "2012-01", "1.6万人": "2012-02"}),
])
def test_single_months_quarters_and_listed_spans(text, expected):
    facts = {f.number_text: f.period for f in extract_document(text).facts}
    assert {k: facts.get(k) for k in expected} == expected


def test_chart_captions_and_axis_ticks_are_not_facts():
    facts = extract_document("2020年某市就业情况\n图1 2016-2020年城镇新增就业(万人)\n0 20 40 60 80 万人\n"
                             "12.5 13.1 14.0 15.2\n全市城镇新增就业15.2万人。").facts
    assert [(f.number_text, f.indicator) for f in facts] == [("15.2万人", "城镇新增就业")]


def test_one_header_line_of_years_and_a_rate_of_change():
    facts = extract_document("表2 2020年就业主要指标\n指标 单位 2020年 2019年 比上年增长(%)\n"
                             "城镇新增就业 万人 111.8 105.2 6.3\n失业人员再就业 万人 35.1 33.0 6.4\n").facts
    cells = [(f.number_text, f.value, f.unit, f.measure, f.period) for f in facts if f.indicator == "城镇新增就业"]
    assert cells == [("111.8", Decimal("1118000.0"), "人", "value", "2020"),
                     ("105.2", Decimal("1052000.0"), "人", "value", "2019"),
                     ("6.3", Decimal("6.3"), "%", "change", "2020")]


# -- period labels: one grammar for the extractor and the warehouse --------------------------------

@pytest.mark.parametrize("label, period_type, start, end, report_month", [
    ("2023", "year", "2023-01-01", "2023-12-31", 12),
    ("2024H1", "half_year", "2024-01-01", "2024-06-30", 6),
    ("2022H2", "half_year", "2022-07-01", "2022-12-31", 12),
    ("2021Q3", "quarter", "2021-07-01", "2021-09-30", 9),
    ("2024-02", "month", "2024-02-01", "2024-02-29", 2),
    ("2011/2015", "year_span", "2011-01-01", "2015-12-31", 12),
])
def test_a_period_label_has_one_type_and_date_range(label, period_type, start, end, report_month):
    covered = period_range(label)
    assert (covered.period_type, str(covered.start), str(covered.end)) == (period_type, start, end)
    # The report period a label names ends where its range ends.
    assert (period_from_label(label).year, period_from_label(label).end_month) == (covered.end.year, report_month)


@pytest.mark.parametrize("text", ["第三季度", "2024Q5", "2024-13", "24H1", "2024年"])
def test_what_is_not_a_period_label_has_no_range(text):
    assert period_range(text) is None
    assert period_label(text) is None
