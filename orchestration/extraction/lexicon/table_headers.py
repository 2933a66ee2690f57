"""Words of flattened tables' column headers that say what a column's figures measure.

Data only: `extraction/tables.py` and `extraction/grids.py` read these; in grids the first word a
header holds decides, in indicator tables the first measure. The three genres read 进度 differently
on purpose: in an indicator table with a 单位 column (|-separated) 进度 heads a completion rate,
while in whitespace grids and one-cell-per-line copies of progress tables it heads the amount done
so far, beside its own 完成率/完成比例 column.
"""

# Indicator tables: 指标名称 | 计算单位 | 数值 | 比上年增长. Measures are tried in this order (完成目标
# is a completion, not a target); a change column is against the year before.
PIPE_TABLE_MEASURES = (
    ("change", ("增长", "增幅", "同比", "比上年", "比去年", "增减", "变化")),
    ("completion", ("完成", "进度")),
    ("target", ("目标", "计划", "任务")),
    ("share", ("占", "比重", "构成")),
)
# Whitespace grids: 指标 全体居民 城镇居民 … / 总量 增长 总量 增长 ….
GRID_MEASURES = (
    ("增长", "change"), ("增幅", "change"), ("同比", "change"), ("比上年", "change"),
    ("目标", "target"), ("计划", "target"), ("任务", "target"),
    ("完成率", "completion"), ("完成比例", "completion"),
    ("比重", "share"), ("占", "share"),
    ("相对数", "change"),  # 绝对数 | 相对数(%): a statistical table's figure and its change on a year before
    ("总量", "value"), ("绝对数", "value"), ("数值", "value"), ("本期", "value"), ("进度", "value"),
)
# Tables copied one cell per line: 目标 / 任务 / 进度 / 完成比例(%) under each indicator.
CELL_LIST_MEASURES = (
    ("完成比例", "completion"), ("完成率", "completion"),
    ("目标", "target"), ("任务", "target"), ("计划", "target"),
    ("进度", "value"), ("完成", "value"), ("实际", "value"),
)

# Header cells that name no column of figures: the row-label and unit columns, serial numbers, notes
# (the place column of a table whose rows are places: 地区, 县(市、区) …).
STUB_WORDS = frozenset({
    "指标", "统计指标", "指标名称", "项目", "名称", "序号", "计量", "计量单位", "单位", "注", "备注", "分", "类",
    "分类", "地区", "地 区", "县区", "区县", "县市", "市县", "市州", "县(市、区)", "县(市区)", "单位名称",
})
# Row labels of a table whose rows are places that stand for the report's own area (全市, 合计 …)
# and for its own body (市本级).
OWN_AREA_ROW = r"^(?:(?:全|本)(?:省|市|区|州|县)(?:合计)?|合计|总计|全市总计)$"
OWN_BODY_ROW = r"^(?:省|市|州|县)本级$"
# Words a column header of indicator columns adds to the indicator: 城镇新增就业实际 is the amount
# done (beside its 目标 column), not an indicator of its own.
INDICATOR_COLUMN_FILLERS = ("实际完成", "实际", "完成数", "完成情况", "完成")
# The last words of a table's title around what its figures count: 各市州城镇新增就业完成情况表 is a
# table of 城镇新增就业. Tried in this order.
TABLE_TITLE_TAILS = ("任务数", "完成情况统计表", "完成情况表", "进展情况表", "完成进度表", "完成情况", "进展情况",
                     "完成进度", "情况统计表", "情况表", "进度表", "统计表", "一览表", "情况", "进度", "表")
# Column headers that say only that the column holds the figure itself (数值, 本期, 累计 …): the row's
# label alone names it. Any other header naming something (参保人数) completes the row's label:
# 失业保险 | 万人 | 参保人数 is 失业保险参保人数.
VALUE_COLUMN_WORDS = ("数值", "数量", "数据", "本期", "本月", "本年", "当年", "当期", "累计", "绝对数", "总量", "总数",
                      "完成", "实际", "合计", "金额", "指标值", "完成数", "实绩", "期末数")
# A table's number before its title: 表1, 附表2.
TABLE_NUMBER = r"^\s*(?:附)?表\s*\d+[:：.\s]*"
# The header cell of a column of places below the gazetteer (村委会名称, 乡镇, 社区名称): every row is such a
# place, named with the kind's ending when the cell leaves it off (程家 under 村委会名称 is 程家村).
PLACE_COLUMN = (r"^(?P<kind>村委会|村居|村|社区|居委会|乡镇|乡镇街道|镇街|街镇|镇|乡|街道)"
                r"(?:[(（](?:街道?|镇|乡|乡镇)[)）])?(?:名称|名)?$")
PLACE_KIND_ENDINGS = {"村委会": "村", "村居": "村", "村": "村", "社区": "社区", "居委会": "居委会"}
# Labels in such a column that name a body, not a place of the kind (农科所, 林场): kept as written.
BODY_LABEL_ENDINGS = ("所", "场", "站", "厂", "队", "司", "中心", "社区", "居委会")
# The unit a column's name implies when its header gives none: 参保任务人数 counts 人.
NAME_ENDING_UNITS = (("人数", "人"), ("人次", "人次"), ("户数", "户"), ("家数", "家"), ("个数", "个"))
# Everything a table's title says before its places' figures begin: 北坪镇各村 of 北坪镇各村…任务数.
TITLE_PLACES_PREFIX = r"^.*?各(?:村委会|村居|村|社区|乡镇|乡|镇|街道)(?:[(（][^()（）]{1,4}[)）])?"
