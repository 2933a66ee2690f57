"""Which catalogue indicator a figure's phrase names: the words the mapper sets aside, and its rules.

The catalogue itself is data an analyst edits (`seeds/reference/indicators.csv`: names, aliases,
unit, parent and the terms an indicator is composed of; `indicator_terms.csv`: every term with
its synonyms and kind). This module holds only the words that say nothing about *what* is
counted — where, when, how much of a goal — and the order in which the mapper tries its rules.
A phrase is mapped when it is right, not whenever something matches: a phrase that names a
catalogue indicator with a qualifier the indicator lacks (参加工伤保险的农民工人数 is not all of
工伤保险参保人数) stays uncatalogued, with the indicator it nearly named as a candidate.
"""

from __future__ import annotations

import re

from .rules import Rule

# Words before the name that only place or date the figure, or say it is a total so far:
# 年末全国就业人员, 全省城镇新增就业累计.
SCOPE_WORDS = (
    "年末", "年底", "期末", "全国", "全省", "全区", "全市", "全县", "全州", "全盟", "全旗", "我省", "我区",
    "我市", "我县", "本市", "本省", "本区", "当年", "全年", "今年", "本年", "累计", "共计", "合计", "总计", "共",
    "其中", "该县", "该市", "该区", "该省", "全镇", "我镇", "本县", "本镇",
)
# A bracketed note that only restates the report's own scope: 城镇登记失业人数(全市). (市区) and 市本级
# are no scope words: they name a part of the report's area (terms of kind area).
SCOPE_NOTES = ("全市", "全省", "全区", "全国", "累计", "合计", "总计")
# Words after the name left over from the sentence or a table's columns: 新增技能人才完成, …不少于.
TRAILING_WORDS = ("完成", "不少于", "达到", "突破", "超过", "以上", "为", "共", "累计", "了", "金额")
# A bracketed note that includes rather than narrows: 基本医疗保险(含居民医保)参保人数 is all of
# 基本医疗保险参保人数. A note whose opening bracket the phrase lost (…养老保险)基金收入) is dropped
# with everything before it: the phrase began inside the note.
INCLUDING_NOTE = re.compile(r"[(（](?:含|包括|包含)[^()（）]*[)）]|^[^()（）]*[)）]")
# A bracketed note closing a phrase: 城镇登记失业人数(市区) is the indicator before it, narrowed.
CLOSING_NOTE = re.compile(r"[(（][^()（）]*[)）]$")
# A list number before a table row's name: *4.新增技能人才, 2、募集见习岗位.
ENUMERATOR = re.compile(r"^[*＊]?\s*[0-9０-９]+\s*[.、．]\s*")
# Words that belong to the figure's measure, not to the indicator: 城镇新增就业增幅 is a change of
# 城镇新增就业; 第二产业就业人员占比 a share of 第二产业就业人员.
MEASURE_TAILS = {
    "change": re.compile(r"(?:同比)?(?:实际)?(?:增幅|增速|增长率|增长|下降|减少|增加)$"),
    "share": re.compile(r"(?:占[^占]{0,12}?)?(?:的)?(?:比重|比例|占比)$|占[^占]{0,12}?(?:总量|总数)$"),
}
# Word orders that name the same thing as a catalogue term order: 参加失业保险人数 is
# 失业保险参保人数, 农民工参加工伤保险人数 is 工伤保险参保农民工人数; 享受工伤待遇人数 is
# 工伤保险享受待遇人数; 失业保险农民工人数 is 失业保险参保农民工人数.
REWRITES = (
    (re.compile(r"^(.{0,4}?)参加(.+?(?:保险|年金))的?(.*?)(?:人数)?$"), r"\2参保\1\3人数"),
    (re.compile(r"^享受了?(.+?)(?:保险)?待遇(?:人数|人次)?$"), r"\1保险享受待遇人数"),
    # 领取企业职工基本养老保险离退休人员人数: the retirees drawing a scheme's pension are its retirees.
    (re.compile(r"^领取(.+?(?:保险|年金))的?(.+?人员)(?:人数)?$"), r"\1\2"),
    # 失业保险农民工人数: a count of people of a scheme is a count of its insured.
    (re.compile(r"^(.{2,}?(?:保险|年金))([^参享领]{0,6}?)人数$"), r"\1参保\2人数"),
)
# A phrase that is only a term of one of these kinds, counted in persons, counts what the kind's
# head term names: 被征地农民养老保险 … 3.2万人 are its insured (参保人数).
HEAD_IMPLIED_IN_PERSONS = {"scheme": "参保人数"}
# A metric the composition may leave unsaid: 城镇职工基本养老保险参保在职职工 and …在职职工人数 are
# composed with or without 参保人数 (the population says who is insured).
IMPLIED_METRIC = "参保人数"
# Kinds of term (indicator_terms.csv) that narrow what is counted to a part of it: a phrase with one
# of these that its catalogue name lacks names a part, not the indicator.
QUALIFYING_KINDS = frozenset(
    {"scheme", "population", "level", "sector", "unit_type", "channel", "flow", "per_capita", "area"})
# Words a phrase may hold besides its terms and still be composed of exactly those terms:
# 执行企业养老保险制度离退休人员 is 城镇职工基本养老保险 + 离退休人员; 工伤保险惠及参保企业 is not
# 工伤保险 + 参保人数 (惠及…企业 are no such words).
FILLER_WORDS = (
    "人数", "人次", "总数", "的", "执行", "制度", "实际", "各类", "各项", "当期", "期末", "共有", "有", "全部",
    "城镇职工", "企业", "金额", "基金",
)
# A phrase must name a catalogue indicator in at least this many characters at its end.
MIN_NAME_AT_END = 4

INDICATOR_RULES = (
    Rule("catalogue_name", "urban_new_jobs",
         "the phrase, without words of scope (全省, 年末, 累计) or of its measure, is a catalogue name or alias",
         "全省城镇新增就业累计【30万人】。", "参加工伤保险的农民工人数【300万人】。"),
    Rule("composed_terms", "injury_insured_migrant_workers",
         "the phrase's terms (scheme, measure, population …) are exactly a catalogue indicator's",
         "参加工伤保险的农民工人数【300万人】。", "参加工伤保险人数【800万人】。"),
    Rule("scheme_in_persons", "land_lost_farmer_pension_insured",
         "the phrase is only a scheme, counted in persons: its insured",
         "被征地农民养老保险【3.2万人】。", "被征地农民养老保险基金【3.2亿元】。"),
    Rule("name_at_end", "jobs_stabilisation_refunds",
         "the phrase ends with a catalogue name and what comes before adds no qualifier",
         "向企业发放稳岗返还资金【3亿元】。", "全省城镇新增就业累计【30万人】。"),
    Rule("qualified_name", None,
         "the phrase names a catalogue indicator with a qualifier (population, level, sector …) it lacks",
         "城乡居民养老保险参保人数(城镇)【120万人】。", "城乡居民养老保险参保人数【800万人】。"),
    Rule("unit_mismatch", None,
         "the phrase names a catalogue indicator counted in another unit (a 元 figure is no 人 indicator)",
         "发放创业担保贷款【3000笔】。", "发放创业担保贷款【3亿元】。"),
    Rule("not_catalogued", None, "the phrase names no catalogue indicator",
         "建成零工市场【12个】。", "城镇新增就业【30万人】。"),
)
