"""What a figure measures: the words that decide it, and the ordered rules that use them.

Data only: `extraction/facts.py` compiles these words into patterns once. A word is added here and
nowhere else. Each rule names the words it looks for, where it looks, and carries an example and a
counter-example (the figure marked in 【】); `tests/test_rules.py` is generated from them.
"""

from __future__ import annotations

from .rules import Rule

# Verbs and nouns of a change against an earlier time, and the words that may follow them
# (增幅最大, 增长了, 分别增长, 增长为).
CHANGE_UP = ("增长", "增加", "上升", "提高", "提升", "增幅", "涨幅", "扩大", "多增", "净增", "多")
CHANGE_DOWN = ("下降", "减少", "降低", "回落", "降幅", "缩小", "少增", "净减", "少")
CHANGE_INTENSIFIERS = ("最大", "最快", "最多", "最高", "较快", "较大")
# Year-on-year bases (basis `yoy`); any other stated base is kept as written (较2019年底).
YEAR_ON_YEAR = ("同比", "比上年", "比去年", "较上年", "较去年", "上年同期", "去年同期", "同期相比", "比上一年",
                "比上年同期")
# Words of a change on the month or quarter before (环比): the basis is written 环比.
MONTH_ON_MONTH = ("环比", "比上月", "较上月", "比上季度", "较上季度")
# Words of a goal. 计划 is a goal only as a verb (计划招募1200名), not as a noun (统一计划累计收益率,
# “三支一扶”计划): these verbs may follow it.
# A figure the text says will be reached (将达到, 预计) is a goal as much as one it sets.
GOAL_WORDS = ("任务", "目标", "力争", "确保", "控制在", "将达到", "将突破", "将超过", "将实现", "预计",
              "目标是", "目标为", "主要目标", "预期目标是")
# 控制在 is a goal only with a bound after the figure (控制在4%以内); without one (城镇登记失业率
# 控制在2.97%) it states the level the rate was kept at, a value.
KEPT_AT = "控制在"
BOUND_AFTER = ("以内", "以下", "之内", "内")
PLAN_VERBS = ("招", "拿", "完成", "新增", "培训", "投入", "安排", "开展", "实现", "发放", "建设", "引进", "组织",
              "指标", "任务", "目标", "用")
# A goal set for the rest of its sentence (今年的主要目标是:…), and the words after it that say the goal
# is already met.
SENTENCE_GOAL = ("力争", "确保", "目标是", "目标为", "主要目标", "预期目标是")
ACHIEVED = ("已", "截至", "截止", "累计", "实现了", "完成了")
# A share of a whole, and the words of a completion rate.
SHARE_WORDS = ("占", "比重", "总量的", "总额的")  # 按岗位总量的5%设置: a share without 占
COMPLETION_WORDS = ("完成率", "完成进度", "完成了")
# 完成(全)年计划(的) / 完成年度目标任务(的) / 占年度目标任务的 / 是市下达征缴任务的, right before the figure.
COMPLETION_OF_PLAN = r"(?:完成|占|是|为|达到?)[^,，。;；:：\d]{0,10}?(?:计划|目标任务|目标|任务)数?的?$"
# 完成 right before a percentage, nothing between (仅完成62.3%): the share of its goal done.
DONE_RIGHT_BEFORE = r"(?:仅|只|已|共|累计)?完成了?$"
# A difference from a line or a goal (低于省控制线0.46个百分点, 高于全国平均水平1.2个百分点): a change
# against that line, negative below it; the line, as written, is the basis.
BELOW_LINE = ("低于", "少于")
ABOVE_LINE = ("高于", "超过", "超出")
DIFFERENCE_FROM_LINE = (r"(?P<side>" + "|".join(BELOW_LINE + ABOVE_LINE) + r")"
                        r"(?P<line>[^,，。;；:：\d%]{1,10}?(?:线|目标|水平|平均|均值|标准))$")
# A goal named after the figure: 低于4.5%的控制目标, 5万人的年度目标, 4.3%的预期目标以内.
GOAL_AFTER_FIGURE = r"(?:以内|以下)?的[^,，。;；\d]{0,6}?(?:目标|控制线|任务)"
# Verbs that relate a figure to a goal stated in the same clause (完成/为/是全年目标5万人的118%).
COMPLETION_ANCHORS = ("完成", "为", "是", "达到", "占")


# Tried in this order; the first that holds decides. Rules of the whole table (`table_column`) and
# of the sentence (`part_of_target`, `ranked_list_lead`) act where the extractor reads tables and
# sentences; a figure no rule decides is a `value`.
MEASURE_RULES = (
    Rule("table_column", "change", "the column of a flattened table",
         "指标名称 | 计算单位 | 数值 | 比上年增长\n城镇新增就业 | 万人 | 111.8 | 【3.2%】",
         "城镇新增就业增长【3.2%】。"),
    Rule("completion_word", "completion", "words before",
         "全市城镇新增就业3.2万人,完成率【80.5%】。", "城镇登记失业率为【3.2%】。", percent_only=True),
    Rule("completion_of_plan", "completion", "words before",
         "全省城镇新增就业48万人,完成年计划的【103%】。", "全省计划新增就业【48万人】。", percent_only=True),
    Rule("done_right_before", "completion", "words before",
         "北坪县新增就业任务仅完成【62.3%】。", "北坪县完成投资增长【12%】。", percent_only=True),
    Rule("completion_of_stated_goal", "completion", "clause so far",
         "完成全年目标任务90万人的【61.8%】。", "全年目标任务的完成情况良好,参保率【95%】。", percent_only=True),
    Rule("share_word", "share", "words before",
         "技工院校招生8.2万人,占中职招生总数的【25.3%】。", "劳动合同签订率为【97%】。", percent_only=True),
    Rule("difference_from_line", "change", "words before",
         "城镇登记失业率为3.5%,低于省控制线【0.5个百分点】。", "城镇登记失业率为3.5%,低于【4.5%】的控制目标。"),
    Rule("change_verb", "change", "words before",
         "参加基本养老保险人数5721.3万人,同比增长【2.1%】。", "参加基本养老保险人数【5721.3万人】。"),
    Rule("goal_word", "target", "words before",
         "全年目标任务【90万人】。", "已完成培训【3万人次】。"),
    Rule("goal_after_figure", "target", "words after",
         "城镇登记失业率为3.4%,低于【4.5%】的控制目标。", "城镇登记失业率为【3.4%】,低于4.5%的控制目标。"),
    Rule("under_sentence_goal", "target", "sentence so far",
         "力争全年新增就业2万人,培训农民工【3万人次】。", "力争全年新增就业2万人,截至目前已实现【1.5万人】。"),
    Rule("part_of_target", "target", "a 其中 clause after a target",
         "计划新增就业3万人,其中高校毕业生【1万人】。", "全市新增就业3万人,其中高校毕业生【1万人】。"),
    Rule("ranked_list_lead", "completion", "the lead of a list of places (依次为, 分别为)",
         "各市城镇新增就业完成目标任务的比例依次为:贵阳市【180%】、遵义市167%。",
         "城镇新增就业完成目标任务的【180%】。"),
    Rule("goal_column", "target", "the goal cell of a row under a goal | progress header",
         "县区 项目名称 年度目标任务 完成进度\n2.募集青年就业见习岗位【325个】 完成330个,完成率101.54%",
         "县区 项目名称 年度目标任务 完成进度\n2.募集青年就业见习岗位325个 完成【330个】,完成率101.54%"),
    Rule("progress_column", "value", "the progress cell of a row under a goal | progress header",
         "项目名称 年度目标任务 完成进度\n1.力争9个城市社区达到充分就业社区标准 完成【9个】,完成率100%",
         "力争9个城市社区达到充分就业社区标准,已有【9个】。"),
    Rule("no_measure_word", "value", "nothing: the default",
         "城镇新增就业【30万人】。", "城镇新增就业同比增长【2.1%】。"),
)
