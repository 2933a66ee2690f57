"""Words around a subject phrase that name nothing, and words that mark a program's name.

Data only: `extraction/facts.py` compiles these once. The order of the lead words matters where
one begins another (并且 before 并, 共计 before 共): the longer is tried first.
"""

# Words that may lead a subject without naming it: connectives, enumerators, adverbs of time and
# quantity, prepositions (其中, 累计, 目前, 通过, 为 …). `[一二三四五六七八九十]+是` (一是, 二是) is
# written as a pattern.
LEAD_FILLERS = (
    "其中", "另外", "此外", "同时", "并且", "并", "而", "和", "及", "与", "以及", "、", "[一二三四五六七八九十]+是",
    "各级", "共计", "共", "累计", "合计", "总计", "已经", "已有", "已", "现有", "目前", "当前", "截至目前",
    "(?:疫情|春节|节日|假期)?期间", "近年来", "通过", "为", "向", "对", "给", "帮助", "从", "达到", "达", "超过",
    "近", "约", "分别", "在", "的", "有", "仅", r"各(?:省|市|州|县|区|地)(?:[(（][^()（）]{0,8}[)）])?",
)
# Words that may end a subject without naming it (…累计, …达到, …同比增长).
TRAIL_WORDS = (
    "累计", "共计", "合计", "总计", "分别", "共", "达到", "达", "为", "是", "有", "超过", "超", "近", "约", "逾", "至",
    "到", "了", "已", "增加", "增长", "下降", "减少", "提高", "上升", "同比", "比上年", "较上年", "上年", "占", "共有",
    "实现", "的", "和", "及", "与", "、", "均控制在", "控制在",
)
# Last words of a quoted program name: “百日千万招聘专项行动”, “点对点”.
PROGRAM_NAME_ENDINGS = (
    "计划", "行动", "工程", "活动", "项目", "招聘会", "招聘季", "招聘", "专项", "贷", "课堂", "师傅", "家政", "技工",
    "工匠", "结对", "同行", "要约", "项目部", "点对点",
)
# After 全国/全省, these make a ranking (在全国率先, 全省首个), not the area a figure is about.
RANKING_AFTER_SELF = ("率先", "首", "第一", "前列", "排名", "领先", "唯一")
# A list of places each with its figure, read as one statement about all of them:
# 完成目标任务的比例依次为:A市180%、B县167%.
RANKED_LIST_MARKERS = ("依次为", "依次是", "分别为", "分别是")
# Words that name a set of places, not what is measured (各市, 各县(市、区)): a lead filler too.
PLACE_SET = LEAD_FILLERS[-1]
# Words of a list's lead that say how its figures are measured, stripped from its subject.
RANKED_MEASURE_WORDS = (("completion", r"完成(?:目标任务|目标|任务|计划)?的?(?:比例|进度|率)"),
                        ("share", r"占[^,，。;；]{0,12}?(?:比重|比例)"))
