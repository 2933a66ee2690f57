"""What a figure measures: the words that decide it, and the ordered rules that use them.

Data only: `extraction/facts.py` compiles these words into patterns once. A word is added here and
nowhere else. Each rule names the words it looks for, where it looks, and carries an example and a
counter-example (the figure marked in 【】); `tests/test_rules.py` is generated from them.
"""

from __future__ import annotations

from dataclasses import dataclass

# Verbs and nouns of a change against an earlier time, and the words that may follow them
# (增幅最大, 增长了, 分别增长, 增长为).
CHANGE_UP = ("增长", "增加", "上升", "提高", "提升", "增幅", "涨幅", "扩大", "多")
CHANGE_DOWN = ("下降", "减少", "降低", "回落", "降幅", "缩小", "少")
CHANGE_INTENSIFIERS = ("最大", "最快", "最多", "最高", "较快", "较大")
# Year-on-year bases (basis `yoy`); any other stated base is kept as written (较2019年底).
YEAR_ON_YEAR = ("同比", "比上年", "比去年", "较上年", "较去年", "上年同期", "去年同期", "同期相比", "比上一年",
                "比上年同期")
# Words of a goal. 计划 is a goal only as a verb (计划招募1200名), not as a noun (统一计划累计收益率,
# “三支一扶”计划): these verbs may follow it.
GOAL_WORDS = ("任务", "目标", "力争", "确保", "控制在")
PLAN_VERBS = ("招", "拿", "完成", "新增", "培训", "投入", "安排", "开展", "实现", "发放", "建设", "引进", "组织",
              "指标", "任务", "目标", "用")
# A goal set for the rest of its sentence, and the words after it that say the goal is already met.
SENTENCE_GOAL = ("力争", "确保")
ACHIEVED = ("已", "截至", "截止", "累计", "实现了", "完成了")
# A share of a whole, and the words of a completion rate.
SHARE_WORDS = ("占", "比重")
COMPLETION_WORDS = ("完成率", "完成进度", "完成了")
# 完成(全)年计划(的) / 完成年度目标任务(的) written right before the figure.
COMPLETION_OF_PLAN = r"完成(?:全年|年度|年)?(?:计划|目标任务|目标|任务)数?的?$"


@dataclass(frozen=True)
class MeasureRule:
    name: str
    measure: str  # value, change, target, completion, share
    looks_at: str  # what the rule reads: the words before the figure, or its clause so far
    percent_only: bool
    example: str  # the figure the rule decides, in 【】
    counter_example: str  # a figure it must leave to later rules, in 【】


# Tried in this order; the first that holds decides. A figure no rule decides is a `value`.
MEASURE_RULES = (
    MeasureRule("completion_word", "completion", "words before", True,
                "全市城镇新增就业3.2万人,完成率【80.5%】。", "城镇登记失业率为【3.2%】。"),
    MeasureRule("completion_of_plan", "completion", "words before", True,
                "全省城镇新增就业48万人,完成年计划的【103%】。", "全省计划新增就业【48万人】。"),
    MeasureRule("completion_of_stated_goal", "completion", "clause so far", True,
                "完成全年目标任务90万人的【61.8%】。", "全年目标任务的完成情况良好,参保率【95%】。"),
    MeasureRule("share_word", "share", "words before", True,
                "技工院校招生8.2万人,占中职招生总数的【25.3%】。", "劳动合同签订率为【97%】。"),
    MeasureRule("change_verb", "change", "words before", False,
                "参加基本养老保险人数5721.3万人,同比增长【2.1%】。", "参加基本养老保险人数【5721.3万人】。"),
    MeasureRule("goal_word", "target", "words before", False,
                "全年目标任务【90万人】。", "已完成培训【3万人次】。"),
    MeasureRule("under_sentence_goal", "target", "sentence so far", False,
                "力争全年新增就业【2万人】。", "力争全年新增就业2万人,截至目前已实现【1.5万人】。"),
)
