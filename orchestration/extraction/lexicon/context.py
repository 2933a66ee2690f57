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
