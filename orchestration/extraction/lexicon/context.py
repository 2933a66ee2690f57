"""Words that tell a report's own area and period: one place to add a word.

Each table is data the document-context stage (`extraction/context.py`) compiles once; nothing here
is code. Written in simplified characters: traditional text is converted before matching.
"""

# Bodies whose name ends a region name: 岳阳县人力资源和社会保障局 issued the report for 岳阳县.
LOCAL_ISSUER_BODIES = (
    "人力资源和社会保障局", "人力资源和社会保障厅", "人力资源社会保障局", "人力资源社会保障厅",
    "人社局", "人社厅", "劳动和社会保障局", "劳动和社会保障厅", "劳动保障局", "劳动保障厅",
    "就业局", "就业服务局", "社保局", "统计局", "人民政府", "政府",
)
# National bodies: a report they issue or announce is about 全国.
NATIONAL_ISSUERS = (
    "人力资源和社会保障部", "人力资源社会保障部", "人社部", "劳动和社会保障部", "劳动保障部", "国家统计局",
    "国务院新闻办", "国新办",
)
# A news dateline names where a story was filed, not what it is about: 中新社北京十月二十九日电.
_DAY = r"[0-9〇零一二三四五六七八九十]{1,3}"
DATELINE = rf"^[^\n,，。]{{0,12}}?(?:社|网|报|台)[\u4e00-\u9fff]{{2,4}}{_DAY}月{_DAY}日电"
# Lines that state when a page or form was written, not what period it covers.
DATE_LINE_LABELS = ("报告日期", "发布日期", "发布时间", "成文日期", "时间", "日期", "来源")
# Longest line still taken for a title (a headline, a table caption, a form's name field).
MAX_TITLE_LENGTH = 60
# How many of the first lines may hold the title (page chrome can come first).
TITLE_LINES = 6
# A table of goals and progress flattened to text: a header line names a goal column and, after
# it, a progress column (县区 项目名称 年度目标任务 完成进度). In each row below, the cell that starts
# with a progress word holds what is done so far; the text before it states the year's goal.
GOAL_COLUMN_HEADERS = ("年度目标任务", "全年目标任务", "目标任务", "年度目标", "全年目标", "年度任务")
PROGRESS_COLUMN_HEADERS = ("完成进度", "完成情况", "进展情况", "进度情况", "工作进度")
PROGRESS_CELL_STARTS = ("已完成", "完成", "无任务", "未完成", "正在", "已")

# The document context weighs evidence: each kind of evidence for a report's own area adds its
# weight to the area it names; the heaviest area wins, and below the floor the answer is unknown.
REGION_EVIDENCE_WEIGHTS = {
    "title": 4.0,  # a place in the title (not page chrome)
    "issuer": 3.0,  # the bureau or government that issued or announced it
    "document_number": 2.0,  # the province's abbreviation leading the document number
    "sub_areas": 1.0,  # per mention of a place inside an area the text calls 全市/我市…
    "mention": 1.0,  # per mention of a place in the body
}
REGION_WEIGHT_FLOOR = 1.0  # one mention of a place, and nothing against it
# A place the text's own self-references fit (全省 and a province) weighs this much more a mention.
SELF_LEVEL_FIT = 1.5
# 全国 named in a text that calls itself 全省/我市 is a comparison (高于全国平均水平): it weighs less.
COUNTRY_IN_LOCAL_TEXT = 0.25
# Lines of page chrome that name other pages: a place in them is not the report's.
NAVIGATION_LINE_STARTS = ("上一篇", "下一篇", "上一条", "下一条", "相关链接", "相关阅读", "相关新闻", "热点推荐",
                          "延伸阅读", "推荐阅读", "相关文章", "更多")
# Words that make a self-reference (全省…) a comparison with the wider area, not the report's own.
SELF_REFERENCE_COMPARISONS = ("第一", "首位", "前列", "前茅", "之首", "排名", "排位", "平均")

# The weights of the evidence for a report's own period; the heaviest candidate wins.
PERIOD_EVIDENCE_WEIGHTS = {
    "title": 4.0,  # a period in the title
    "scope": 3.0,  # a sentence saying what the report covers (lexicon/times.py SCOPE_SENTENCE), 截至8月底
    "opening": 2.0,  # the first period the opening lines state
    "body_year": 1.0,  # the first year the body states (no comparison point, no goal)
    "date_line": 0.5,  # the year of the page's or form's date
    "past_year": 2.5,  # 过去的一年 in the opening of a text dated the year after: the year it reviews
}
# The opening of a speech or review looking back on the year before its date.
PAST_YEAR_WORDS = ("过去的一年", "过去一年", "刚刚过去的一年", "刚刚过去的")
# How far into the text a scope sentence is looked for (characters).
SCOPE_REACH = 1500
# A report that speaks of its places one level down (各县(市、区), 各县区, 各市州) is about the area
# above them: these name the levels such a report's own area may have (the words its name ends in).
CHILD_REFERENCE = r"各(县|市|州)(?:[(（]?[市区州县、]+[)）]?)?"
CHILD_REFERENCE_PARENT_LEVELS = {"县": ("市", "州"), "市": ("省",), "州": ("省",)}
# A line that is only the name of the web site the report was copied from (遵义市人民政府网, 云川新闻网
# 手机版): page chrome, never the title; the place in it is the site's, not the report's.
SITE_NAME_LINE = r"^\s*[•·]?\s*[\u4e00-\u9fff]{2,20}(?:网|网站|门户网站|官网|官方网站|手机版|客户端|移动版)\s*$"
# A place whose whole name is two characters (成县, 和县) is read inside running text only after one of
# these (or after no Han character at all): 完成县居保局下达的任务 holds 成县 but names no county.
LEVEL_ENDINGS = "县市区旗"
BEFORE_TWO_CHARACTER_NAME = "在到赴对与和同向从及、的共全各至为是省市州盟区县旗"
# How far back an opening quotation mark may stand for a place's short name to be inside a quoted
# name (a campaign's, a slogan's) rather than in running text.
QUOTED_NAME_REACH = 20
# A township's own notice: its government signs it (北坪镇人民政府). The town is below the gazetteer, so
# it is the report's area inside the best area the rest of the evidence names. Read in the title and
# the signature only: a county notice addresses 各乡镇人民政府 in its opening.
TOWN_ISSUER = (r"(?<![\u4e00-\u9fff])(?![各全本我该])([\u4e00-\u9fff]{2,4}?(?:镇|乡|街道))"
               r"(?:人民政府|政府|办事处|党委|党政办公室)")
SIGNATURE_REACH = 800  # characters from the end: the signature, even with an annexed table after it
