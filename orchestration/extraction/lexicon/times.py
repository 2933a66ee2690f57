"""When a figure is: the ordered rules that decide its period.

The report's own period comes from the document-context stage (`lexicon/context.py`); time
expressions are read by `extraction/periods.py`. Tried in this order; the first that holds decides.
"""

from __future__ import annotations

from .rules import Rule

# A time right after one of these is a point of a comparison or a goal, not the period a report
# covers: 由1998年末的…扩大至2019年末的…, 从1990年的…, 争取二〇〇八年…, 到2025年底.
BACKGROUND_BEFORE = ("由", "从", "自", "至", "到", "争取", "力争", "预计", "计划", "确保", "比", "较", "与", "同")
# A time after one of these is another year than the report's: 去年11至12月, 上年同期.
OTHER_YEAR_BEFORE = {"去年": -1, "上年": -1, "前年": -2, "明年": 1, "上一年": -1}
# Sentences that state what a report covers: 现将2019年1-8月工作情况通报如下.
SCOPE_SENTENCE = r"(?:现|特)将[^。\n]{0,40}?(?:通报|报告|公布|汇报|通告|总结)如下"

PERIOD_RULES = (
    Rule("table_column", "2021", "the column of a flattened table",
         "表5 社会保险参保情况\n          2020年  2021年\n"
         "城镇职工基本养老保险参保人数 (人) 300000 【320000】\n城镇登记失业率 (%) 2.1 2.0",
         "2020年城镇职工基本养老保险参保人数【30万人】。"),
    Rule("goal_column", "2021", "the goal cell of a row under a goal | progress header: the year's goal",
         "2021年3月份各县区进展情况表\n县区 项目名称 年度目标任务 完成进度\n2.募集青年就业见习岗位【325个】 完成330个",
         "2021年3月份各县区进展情况表\n县区 项目名称 年度目标任务 完成进度\n2.募集青年就业见习岗位325个 完成【330个】"),
    Rule("respectively_time_list", "2021-02", "a span of months or years before 分别 with one member per figure",
         "1-3月的求人倍率分别为1.20、【1.15】和1.33。", "1-3月的求人倍率分别为1.20、【1.15】。"),
    Rule("sentence_time", "2021-06",
         "the nearest time before the figure in its sentence, not across a semicolon; 全年 only in its clause",
         "6月末城镇登记失业率为【2.58%】。", "6月末城镇登记失业率为2.58%;全市新增就业【3万人】。"),
    Rule("section_heading", "2021H2", "the time of the heading of the figure's section",
         "二、下半年工作打算\n全市新增就业【2万人】。", "全市新增就业【2万人】。"),
    Rule("document_period", "2021", "nothing in the sentence or heading: the report's own period",
         "城镇新增就业【30万人】。", "6月末城镇登记失业率为【2.58%】。"),
    Rule("none_stated", None, "no time anywhere: the period stays null, never guessed",
         "城镇新增就业【30万人】。", "2021年城镇新增就业【30万人】。", title="贵州省就业情况"),
)
