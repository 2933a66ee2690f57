"""Which program a figure belongs to: the words that mark a program's name, and the ordered rules.

Programs of the catalogue (`seeds/reference/programs.csv`) are found by name once per document;
a quoted name ending in one of these words is a program not in the catalogue. The program named
last before a figure in its sentence is the figure's program.
"""

from __future__ import annotations

from .rules import Rule

# Last words of a quoted program name: “百日千万招聘专项行动”, “点对点”.
PROGRAM_NAME_ENDINGS = (
    "计划", "行动", "工程", "活动", "项目", "招聘会", "招聘季", "招聘", "专项", "贷", "课堂", "师傅", "家政", "技工",
    "工匠", "结对", "同行", "要约", "项目部", "点对点",
)

# Words after a quoted name that make it a program's: “缓缴降费”政策, “春暖”行动.
PROGRAM_WORDS_AFTER_QUOTE = ("政策", "计划", "行动", "工程", "活动", "项目", "专项行动")
# Verbs that start a program named without quotes (实施好创业带动就业计划), and the last words of
# such a name.
PROGRAM_START_VERBS = ("实施", "开展", "启动", "推进", "推动", "落实")
UNQUOTED_PROGRAM_ENDINGS = ("计划", "行动", "工程")

PROGRAM_RULES = (
    Rule("catalogued_name", "三支一扶", "a program of the catalogue named before the figure in its sentence",
         "实施“三支一扶”计划,招募【1200名】。", "实施“技能中国行动”,培训【3万人次】。"),
    Rule("quoted_name", "技能中国行动", "a quoted name ending in a program word, before the figure",
         "实施“技能中国行动”,培训【3万人次】。", "实施“三支一扶”计划,招募【1200名】。"),
    Rule("quoted_before_program_word", "春暖", "a quoted name a program word follows, before the figure",
         "落实“春暖”政策,发放补贴【2.1亿元】。", "落实就业政策,发放补贴【2.1亿元】。"),
    Rule("started_program", "技能提升培训计划", "a name ending in 计划/行动/工程 that 实施/开展 starts",
         "实施好技能提升培训计划,培训【1.2万人次】。", "实施培训,培训【1.2万人次】。"),
    Rule("none_named", None, "no program named before the figure in its sentence",
         "城镇新增就业【30万人】。", "实施“三支一扶”计划,招募【1200名】。"),
)
