"""What a figure counts: the words around a subject phrase that name nothing, and the ordered rules
that decide a figure's subject (its indicator phrase).

Data only: `extraction/facts.py` compiles these once. The order of the lead words matters where
one begins another (并且 before 并, 共计 before 共): the longer is tried first.
"""

from .measures import CHANGE_DOWN, CHANGE_UP
from .rules import Rule

# Words that may lead a subject without naming it: connectives, enumerators, adverbs of time and
# quantity, prepositions (其中, 累计, 目前, 通过, 为 …). `[一二三四五六七八九十]+是` (一是, 二是) is
# written as a pattern.
# 各市, 各县(市、区), 各县区: the places a list goes through, not what it counts.
PLACE_SET = r"(?:全[省市州县区])?各(?:省|市|州|县|区|地|乡|镇|街道|村|社区)+(?:[(（][^()（）]{0,8}[)）])?"
LEAD_FILLERS = (
    "其中", "另外", "此外", "同时", "并且", "并", "而", "和", "及", "与", "以及", "、", "[一二三四五六七八九十]+是",
    "各级", "共计", "共", "累计", "合计", "总计", "已经", "已有", "已", "现有", "目前", "当前", "截至目前",
    "(?:疫情|春节|节日|假期)?期间", "近年来", "通过", "为", "向", "对", "给", "帮助", "从(?!业)", "达到", "达", "超过",
    "近", "约", "分别", "在", "的", "有", "仅", PLACE_SET,
    # 连续5年突破…, 连续三个月: how long a level has held, not what it is of.
    "连续[0-9一二三四五六七八九十两]+(?:个)?(?:年|月|季度)",
)
# Words that say how a number is measured, not what: a subject made only of them names nothing.
# 任务数 before 任务: the longer is tried first.
MEASURING_WORDS = (
    "完成", "全年", "年度", "任务数", "任务", "目标", "计划", "控制", "指标", "比", "较", "去年", "上年",
    "同期", "同比", "增长", "增加", "下降", "减少", "增幅", "降幅", "多", "少", "提高", "上升", "占",
    "总数", "总量", "比例", "比重", "相比", "以内", "以上", "左右", "在", "了", "的", "数",
    "低于", "高于", "年初", "确定", "预期", "与", "基本", *CHANGE_UP, *CHANGE_DOWN,
)
# Insurance schemes named short in a list whose last item carries the shared rest (养老、医疗、工伤
# 参保人数分别为…): each item is the scheme's full name with that rest.
SCHEME_SHORT_NAMES = {"养老": "养老保险", "医疗": "医疗保险", "工伤": "工伤保险", "失业": "失业保险",
                      "生育": "生育保险"}
# What a fund or an account states of itself, one after another under one topic (生育保险基金总收入
# 81.2亿元,总支出9.63亿元,累计结余204.3亿元): a subject that is only one of these takes the topic
# of the subject before it.
TOPIC_METRICS = ("总收入", "总支出", "当期结余", "累计结余", "滚存结余", "收入", "支出", "结余", "征缴收入", "缴费收入",
                 "参保人数", "参保人次", "享受人数", "领取人数", "待遇支出")
# Verbs of doing or helping that begin a subject leaving its actor unsaid (孵化企业147家).
ACTORLESS_VERBS = (
    "促进", "带动", "孵化", "惠及", "吸纳", "帮助", "实现", "完成", "发放", "培训", "引进", "新增", "领取",
    "参与", "服务", "走访", "认定", "结余", "支出", "收入", "立案", "查处", "参保", "缴费", "录入", "办理",
    "受理", "涉及",
)
# Verbs that end a subject before a figure with its object after it (推荐5家国家级基地).
OBJECT_VERBS = (
    "推荐", "公布", "设立", "组建", "选取", "确认", "评出", "认定", "建设", "建成", "新建", "开发", "举办",
    "组织", "发放", "资助", "引进", "招募", "招聘", "建立", "拨付", "纳入", "录入", "采集", "覆盖", "扶持",
    "支持", "吸引", "走访", "对接", "表彰", "命名", "授予", "遴选", "评选", "选拔", "选派", "派出", "接收",
    "下达",
)
# Last words of a topic that only say it is counted (…总数, …人数): dropped when a verb phrase
# takes the topic as its actor.
TOPIC_TAILS = ("总数", "人数", "数量", "金额", "总额", "规模")
# Words of a rate, an average or a standard: such a figure is no total that parts add up to.
NON_ADDITIVE_WORDS = ("均", "率", "标准", "水平", "比例", "比重", "指数")
# Units of the counts that can receive a payment, and the words of a payment (对27家企业1.2万名
# 职工发放生活补助827万元).
RECIPIENT_UNITS = ("家", "人", "名", "户", "人次", "家次", "户次", "个")
PAYMENT_WORDS = (
    "补贴", "补助", "奖补", "奖励", "资金", "补差", "津贴", "贷款", "救助", "保险费", "待遇", "工资", "报酬", "费",
)
# Words that may end a subject without naming it (…累计, …达到, …同比增长).
TRAIL_WORDS = (
    "累计", "共计", "合计", "总计", "分别", "共", "达到", "达", "为", "是", "有", "超过", "超", "近", "约", "逾", "至",
    "到", "了", "已", "增加", "增长", "下降", "减少", "提高", "上升", "同比", "比上年", "较上年", "上年", "占", "共有",
    "实现", "的", "和", "及", "与", "、", "均控制在", "控制在",
    # a level reached (增至, 提高到) or the point it rose from (由上年的): the verbs, not the subject
    "增至", "增加到", "增长到", "提高到", "提升到", "上升到", "降至", "降低到", "下降到", "减少到", "由",
    "将", "预计",
    "较年初", "比年初", "较上年末", "比上年末", "较上年底", "比上年底",
)
# After 全国/全省, these make a ranking (在全国率先, 全省首个), not the area a figure is about.
RANKING_AFTER_SELF = ("率先", "首", "第一", "前列", "排名", "领先", "唯一")
# A list of places each with its figure, read as one statement about all of them:
# 完成目标任务的比例依次为:A市180%、B县167%.
RANKED_LIST_MARKERS = ("依次为", "依次是", "分别为", "分别是")
# Words of a list's lead that say how its figures are measured, stripped from its subject.
_GOAL = r"(?:目标任务|目标|任务|计划)?"
RANKED_MEASURE_WORDS = (("completion", rf"{_GOAL}完成{_GOAL}的?(?:比例|进度|率)"),
                        ("share", r"占[^,，。;；]{0,12}?(?:比重|比例)"))

# Tried in this order; the first that holds decides. The sentence's 分别 lists and the post-passes
# (recipients of a payment, ranked lists) act after the per-figure rules.
SUBJECT_RULES = (
    Rule("table_row_label", "城镇新增就业", "the row label of a flattened table",
         "指标名称 | 计算单位 | 数值 | 比上年增长\n城镇新增就业 | 万人 | 111.8 | 【3.2%】",
         "城镇新增就业增长【3.2%】。"),
    Rule("respectively_listed", "失业人员再就业", "the list of subjects before 分别: one per figure",
         "城镇新增就业、失业人员再就业分别为3万人、【1万人】。", "失业人员再就业【1万人】。"),
    Rule("respectively_of_figures_before", "失业人员再就业", "分别 after figures: each reads the one before",
         "城镇新增就业3万人、失业人员再就业1万人,分别完成目标任务的80%、【90%】。",
         "失业人员再就业1万人,完成目标任务的【90%】。"),
    Rule("completion_reads_prior", "城镇新增就业", "a completion rate reads what was just named",
         "城镇新增就业3.2万人,完成目标任务的【80%】。", "完成目标任务的【80%】。"),
    Rule("topic_of_prior", "工伤保险基金总支出", "a metric alone (总支出, 累计结余) takes the topic of the one before",
         "工伤保险基金总收入3.1亿元,总支出【2.4亿元】。", "工伤保险基金总支出【2.4亿元】。"),
    Rule("abbreviates_prior", "下达到山区县的创业专项扶持资金",
         "the subject just named, said again in fewer words",
         "2018年下达到山区县的创业专项扶持资金2.1亿元,2019年下达扶持资金【1.8亿元】。",
         "城镇新增就业2.1万人,下达扶持资金【1.8亿元】。"),
    Rule("sibling_takes_head", "惠及劳动者", "a short next list item takes the head of the item before",
         "惠及企业8500家、劳动者【12.3万人】。", "惠及企业8500家,帮助劳动者就业【12.3万人】。"),
    Rule("share_reads_prior", "发放就业补贴资金", "a share of a whole reads what was just named",
         "发放就业补贴资金2亿元,占总量的【45%】。", "技工院校招生人数占中职招生总数的【25.3%】。"),
    Rule("target_reads_prior", "城镇新增就业", "完成…下达的目标任务: the target of what was just named",
         "城镇新增就业5.3万人,完成人社部下达的就业目标任务【5万人】。", "全年目标任务【90万人】。"),
    Rule("measure_reads_prior", "城镇新增就业", "a change or goal that names nothing reads what was just named",
         "城镇新增就业3.2万人,比去年增加【400人】。", "城镇新增就业比去年增加【400人】。"),
    Rule("names_nothing_takes_prior", "城镇新增就业", "no word that names: the subject just named",
         "城镇新增就业3.2万人,共【1万人】。", "城镇新增就业【3.2万人】。"),
    Rule("names_nothing", "", "no word that names, and nothing named before",
         "【3万人】。", "城镇新增就业【3.2万人】。"),
    Rule("setting_names_count", "面向高校应届毕业生开展公开招聘计划招聘",
         "a first figure that names little: the clause before says what is counted",
         "面向高校应届毕业生开展公开招聘,计划招聘【932人】。", "计划招聘高校应届毕业生【932人】。"),
    Rule("part_of_prior", "参保人数职工", "其中 or a short noun: a part of what was just named",
         "参保人数500万人,其中职工【300万人】。", "参保人数【500万人】。"),
    Rule("actor_of_verb", "建成创业孵化基地孵化企业", "a short verb phrase: its actor is the topic just named",
         "建成创业孵化基地12个,孵化企业【147家】。", "孵化企业【147家】。"),
    Rule("noun_after_figure", "应届毕业生发放补贴", "the figure leads: the noun phrase after it",
         "为【10.56万名】应届毕业生发放补贴。", "城镇新增就业【30万人】。"),
    Rule("members_listed_before", "县开展薪酬调查",
         "a list of members right before the figure: the noun after it says what they are",
         "组织北坪、南垣、东川等【3个】县开展薪酬调查。", "组织北坪县开展薪酬调查【3次】。"),
    Rule("verb_and_object", "推荐国家级技能大师工作室", "verb, figure, object: the actor before is setting",
         "省人社厅向人社部遴选推荐【5家】国家级技能大师工作室。", "省人社厅遴选推荐的技能大师工作室【5家】。"),
    Rule("phrase_before", "城镇新增就业", "the phrase before the figure in its clause",
         "城镇新增就业【30万人】。", "为【10.56万名】应届毕业生发放补贴。"),
    Rule("carried_from_before", "城镇新增就业", "nothing left after cleaning: the last subject",
         "城镇新增就业3.2万人;共计【1万人】。", "城镇新增就业3.2万人;失业人员再就业【1万人】。"),
    Rule("recipients_of_payment", "职工发放生活补助企业", "counts before a payment in one clause: its recipients",
         "对【27家】企业1.2万名职工发放生活补助827万元。", "全市参保企业【27家】。"),
    Rule("ranked_list_lead", "城镇新增就业", "the lead of a list of places (依次为, 分别为)",
         "各市城镇新增就业完成目标任务的比例依次为:贵阳市【180%】、遵义市167%。",
         "城镇新增就业完成目标任务的【180%】。"),
)

# Latin words beside Chinese in a subject: a bilingual report's translation (Urban new jobs 城镇新增
# 就业) or a figure written out in it (1,120,000 persons). Acronyms (GDP, CPI) stay.
FOREIGN_WORDS = (r"[A-Za-z]+(?:[ '\-][A-Za-z]+)+|(?<![A-Za-z])[a-z]{3,}(?![A-Za-z])"
                 r"|(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d.])")
# The last words of a scheme's full name: in 企业职工基本养老保险、失业保险、工伤保险参保人数分别…
# the rest after the last item's scheme (参保人数) is every item's.
SCHEME_ENDINGS = ("保险", "年金")
