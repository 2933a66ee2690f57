"""Where a figure is: the ordered rules that decide its region.

The report's own area comes from the document-context stage (`lexicon/context.py`); these rules
decide whether a sentence names another area for one figure. Tried in this order; the first that
holds decides.
"""

from __future__ import annotations

from .rules import Rule

# Areas inside a city that are no county of the gazetteer but areas of their own, named after the
# city: 青岛西海岸新区, 大连金普新区, 金华市市区, 苏州工业园区. The last words of such a name; up to
# SUB_AREA_MAX_INFIX characters may stand between the city's name and them.
SUB_AREA_ENDINGS = ("新区", "开发区", "高新区", "经开区", "工业园区", "保税区", "市区")
SUB_AREA_MAX_INFIX = 4
# An area inside the report's own city named by 市/县 and such an ending (市经开区, 县工业园区): the
# report's area's name with the ending (遵义市经开区).
OWN_SUB_AREA = "(?:本)?[市县区](?:" + "|".join(e for e in SUB_AREA_ENDINGS if e != "市区") + ")"

# A township, village or community the gazetteer lacks, named at the head of a clause (九溪镇新增就业…,
# 龙街镇126.3%): an area inside the report's own. Not a word that only sounds like one (城镇, 乡镇).
# A county's name before it (安吉县城镇新增就业) makes it no town.
TOWN_NAME = (r"(?![全本各我该城乡村集])(?:(?![县市区省州旗])[\u4e00-\u9fff]){1,4}?(?<![乡村集])"
             r"(?:镇|乡|街道)(?!镇|村|级|长)")

# What may follow a place name at once for the place to be the figure's subject: the figure, a
# quantity word, or a verb of what the place did (北坪县完成2850人, 南垣县发放贷款…). Before a noun
# a place only qualifies it (广东省博士工作站).
REGION_SUBJECT_FOLLOWERS = (
    r"[\d一二两三四五六七八九十]", "共", "累计", "全年", "新增", "城镇", "为", "达", "仅", "只",
    "完成", "实现", "发放", "开发", "开展", "举办", "帮助", "帮扶", "转移", "吸纳", "带动", "认定", "征缴",
)

REGION_RULES = (
    Rule("table_column", "遵义市", "the column of a flattened table",
         "表5 社会保险参保情况\n          贵阳市  遵义市 安顺市\n"
         "城镇职工基本养老保险参保人数 (人) 300000 【200000】 150000\n城镇登记失业率 (%) 2.1 2.0 2.2",
         "遵义市城镇职工基本养老保险参保人数【20万人】。"),
    Rule("ranking_after_self", "贵州省", "全国/全省 before 率先, 首, 第一: a ranking, not an area",
         "在全国率先建成零工市场【16个】。", "全国城镇新增就业【1206万人】。"),
    Rule("self_reference", "全国", "全国, 全省, 全市, 我市, 本区 at the head of the clause",
         "全国城镇新增就业【1206万人】。", "在全国率先建成零工市场【16个】。"),
    Rule("name_before_noun", "贵州省", "a place name followed by a noun: it qualifies the noun",
         "广东省博士工作站【15家】。", "河西区新增就业【2.1万人】。"),
    Rule("ambiguous_name", "贵州省", "a name of seeds/reference/ambiguous_region_names.csv: an ordinary word",
         "城区新增就业【2万人】。", "河西区新增就业【2.1万人】。"),
    Rule("short_name_elsewhere", "贵州省", "a short name of a place outside the report's province",
         "杭州新增就业【1万人】。", "贵阳新增就业【1万人】。"),
    Rule("short_name_in_home_province", "贵阳市", "a short name of a place inside the report's province",
         "贵阳新增就业【1万人】。", "杭州新增就业【1万人】。"),
    Rule("own_sub_area", "遵义市经开区", "市/县 and a zone ending (市经开区): an area inside the report's own",
         "市经开区新增就业【2100人】。", "全市新增就业【2100人】。", title="遵义市2021年就业情况"),
    Rule("town_named", "九溪镇", "a town's name (…镇, …乡, …街道) followed by the figure or a verb",
         "九溪镇新增就业【320人】。", "全县乡镇新增就业【320人】。", title="宜良县2021年就业情况"),
    Rule("named_region", "河西区", "an official place name followed by the figure, a quantity word or a verb",
         "河西区新增就业【2.1万人】。", "广东省博士工作站【15家】。"),
    Rule("document_area", "贵州省", "nothing: the report's own area",
         "城镇新增就业【30万人】。", "河西区新增就业【2.1万人】。"),
)
