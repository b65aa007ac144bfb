"""Every word tools/report writes, in English and Chinese: titles, axes, legends, captions, tables and the page.

One catalogue, so the charts and the page hold no text of their own: `use("zh")` once, then `t(key, **values)`
formats the active language's entry. Names from the run file (cities, provinces) come in their language from
the file itself (/city_name_zh, /province_zh); names the scenario author chose (scenario, goal and policy names,
parameter names) are shown as written.
"""

LANGUAGES = ("en", "zh")
_active = "en"


def use(language):
    """Switch the language of everything written from now on."""
    global _active
    if language not in LANGUAGES:
        raise ValueError(f"unknown language '{language}'")
    _active = language


def language():
    return _active


def t(key, **values):
    """The active language's text for `key`, its {fields} filled in."""
    return CATALOGUE[_active][key].format(**values)


# -- names ---------------------------------------------------------------------

# Short chart titles of the indicators (English: those the report features; others keep their name).
INDICATORS = {
    "en": {
        "unemployment_rate": "Registered unemployment rate",
        "unemployed_ex_miners": "Unemployed ex-miners",
        "miners_employed": "Miners employed",
        "replacement_share": "Replacement-industry share of GDP",
        "resource_dependence": "Resource dependence (resource VA / GDP)",
        "restoration_rate": "Restoration rate (restored / degraded land)",
        "population": "Resident population",
    },
    "zh": {
        "population": "常住人口",
        "labour_force": "劳动力",
        "unemployed": "登记失业人数",
        "local_unemployed": "本地失业人数（非原矿工）",
        "unemployment_rate": "城镇登记失业率",
        "miners_employed": "矿业从业人数",
        "unemployed_ex_miners": "失业原矿工",
        "long_term_unemployed_ex_miners": "长期失业原矿工",
        "trainees": "在训原矿工",
        "training_queue": "等待培训的原矿工",
        "cumulative_reemployed": "累计再就业原矿工",
        "social_assistance": "低保人数",
        "cumulative_out_migrants": "累计迁出人口",
        "cumulative_in_migrants": "累计迁入人口",
        "natural_change": "累计自然增长人口",
        "gdp": "地区生产总值",
        "resource_va": "资源产业增加值",
        "replacement_va": "接续替代产业增加值",
        "resource_dependence": "资源依赖度（资源产业增加值/地区生产总值）",
        "replacement_share": "接续替代产业占地区生产总值比重",
        "production": "资源产量",
        "capacity": "在产产能",
        "new_capacity": "新增产能",
        "reserve": "剩余可采储量",
        "reserve_to_production": "储采比",
        "cumulative_extraction": "累计开采量",
        "exhaustion_fraction": "资源枯竭程度",
        "ultimate_resource": "资源总量",
        "degraded_land": "采矿损毁土地",
        "restored_land": "已复垦土地",
        "restoration_rate": "土地复垦率（已复垦/损毁土地）",
        "city_class": "城市类型",
        "transfers_received": "累计转移支付",
        "policy_spending": "累计政策支出",
    },
}

CATEGORIES = {
    "en": {"growing": "growing", "mature": "mature", "declining": "declining", "regenerating": "regenerating"},
    "zh": {"growing": "成长型", "mature": "成熟型", "declining": "衰退型", "regenerating": "再生型"},
}

LEVERS_ZH = {
    "approval_freeze": "暂停审批新增产能",
    "capacity_reduction": "化解过剩产能",
    "coal_demand_path": "煤炭需求路径",
    "exploration": "找矿勘查",
    "extraction_cap": "开采总量控制",
    "industrial_park": "产业园区",
    "industry_investment": "接续替代产业投资",
    "price_shock": "价格冲击",
    "public_jobs": "公益性岗位",
    "remediation": "矿山地质环境治理",
    "training_program": "职业培训项目",
    "training_seats": "培训基地名额",
    "transfer_payment": "财政转移支付",
    "wage_subsidy": "工资补贴",
}

SAMPLINGS_ZH = {
    "monte_carlo": "蒙特卡罗", "latin_hypercube": "拉丁超立方", "sobol": "Sobol 序列", "morris": "Morris 筛选",
    "factorial": "全因子", "design": "设计文件",
}

COMPARISONS = {
    "en": {"below": "below", "above": "above", "between": "between"},
    "zh": {"below": "低于", "above": "高于", "between": "介于"},
}


def indicator(name):
    """A chart title for the indicator."""
    return INDICATORS[_active].get(name, name)


def indicator_short(name):
    """The title without its explanation in brackets, for axes."""
    title = indicator(name)
    return title.split("（")[0] if _active == "zh" else title.split(" (")[0]


def indicator_name(name):
    """An indicator where English shows the name scenarios write (unemployment_rate), Chinese its words."""
    return indicator_short(name) if _active == "zh" else name


def category(name):
    return CATEGORIES[_active].get(name, name)


def lever(key):
    return LEVERS_ZH.get(key, key) if _active == "zh" else key


def sampling(name):
    return SAMPLINGS_ZH.get(name, name) if _active == "zh" else name


def comparison(op):
    return COMPARISONS[_active].get(op, op)


def province(en, zh=""):
    """A province as the report names it: Chinese from the file in Chinese, else English."""
    return (zh or en) if _active == "zh" else en


def group(name, provinces_zh=None):
    """An aggregates group ('category:declining', 'province:Shanxi', 'nation:all') in words."""
    kind, _, value = name.partition(":")
    if kind == "nation":
        return t("group_nation")
    if kind == "category":
        return t("group_category", category=category(value).capitalize())
    if kind == "province":
        return province(value, (provinces_zh or {}).get(value, ""))
    if kind == "resource":
        return t("group_resource", resource=RESOURCES[_active].get(value, value.replace("_", " ")).capitalize())
    return name


RESOURCES = {
    "en": {},
    "zh": {"coal": "煤炭", "oil_gas": "油气", "ferrous": "黑色金属", "nonferrous": "有色金属", "precious_metal": "贵金属",
           "nonmetal": "非金属", "mixed": "综合", "forest": "森工"},
}

SELECTOR_KEYS_ZH = {"category": "类型", "province": "省份", "resource": "主要资源", "admin_level": "行政级别",
                    "macro_region": "区域", "exhausted": "资源枯竭城市批次", "id": "城市"}
SELECTOR_VALUES_ZH = {
    "admin_level": {"prefecture": "地级", "county_city": "县级市", "county": "县", "district": "市辖区"},
    "macro_region": {"east": "东部", "central": "中部", "west": "西部", "northeast": "东北"},
    "exhausted": {"yes": "任一批", "no": "非枯竭城市", "1": "第一批", "2": "第二批", "3": "第三批"},
}


def selector(where, provinces_zh=None):
    """A goal's cities as /goals/where writes them ('category=declining,province=Shanxi'), in words."""
    if _active == "en":
        return where.replace(",", ", ")
    parts = []
    for item in where.split(","):
        key, _, value = item.partition("=")
        if key == "category":
            value = category(value)
        elif key == "resource":
            value = RESOURCES["zh"].get(value, value)
        elif key == "province":
            value = (provinces_zh or {}).get(value, value)
        else:
            value = SELECTOR_VALUES_ZH.get(key, {}).get(value, value)
        parts.append(f"{SELECTOR_KEYS_ZH.get(key, key)}={value}")
    return "，".join(parts)


# Stored units (indicator attribute `units`) -> how an axis names them, per scale. English writes 1e8 CNY as
# 亿 CNY when a CJK font is installed.
UNITS = {
    "en": {"percent": "%", "pp": "pp", "percentage_points": "percentage points",
           "persons": "persons", "thousand persons": "thousand persons", "million persons": "million persons",
           "ha": "ha", "thousand ha": "thousand ha", "million ha": "million ha",
           "1e8 CNY": "100 million CNY", "1e8 CNY cjk": "亿 CNY"},
    "zh": {"percent": "%", "pp": "个百分点", "percentage_points": "百分点",
           "persons": "人", "ten thousand persons": "万人", "hundred million persons": "亿人",
           "ha": "公顷", "ten thousand ha": "万公顷",
           "1e8 CNY": "亿元", "1e8 CNY/year": "亿元/年", "resource units": "资源单位",
           "resource units/year": "资源单位/年", "years": "年", "months": "个月", "1/year": "1/年",
           "1/month": "1/月", "persons per 亿元 VA": "人/亿元增加值", "persons per resource unit/year": "人/（资源单位/年）",
           "1e4 CNY/ha": "万元/公顷", "1/sqrt(year)": "1/√年", "1e8 CNY/year cjk": "亿元/年"},
}


def unit(key):
    return UNITS[_active].get(key, key)


# -- texts ---------------------------------------------------------------------

CATALOGUE = {"en": {}, "zh": {}}


def _add(key, en, zh):
    CATALOGUE["en"][key] = en
    CATALOGUE["zh"][key] = zh


# Groups and fan charts.
_add("group_nation", "All cities of the run", "本次运行的全部城市")
_add("group_category", "{category} cities (2013 class)", "{category}城市（2013 年分类）")
_add("group_resource", "{resource} cities (primary resource)", "{resource}类城市（主要资源）")
_add("no_cities_in_group", "no cities in this group", "该组无城市")
_add("legend_half", "50 % of replicates", "50 % 的重复")
_add("legend_ninety", "90 % of replicates", "90 % 的重复")
_add("legend_title", "median line and bands", "中位数线与区间")
_add("legend_run", "{label} ({n} replicates)", "{label}（{n} 次重复）")
_add("fan_note", "Groups: the cities' 2013 plan class\n(membership fixed). Ratios are\nratios of sums over the group.",
     "分组：城市在 2013 年规划中的类型\n（成员固定）。比率为组内\n总量之比。")
_add("fan_title", "{title}: median, 50 % and 90 % bands over replicates", "{title}：各次重复的中位数及 50 %、90 % 区间")
_add("difference", "difference B − A", "差值 B − A")
_add("difference_zero", "B − A = 0 exactly in every replicate pair", "每对重复的 B − A 均恰为 0")
_add("difference_legend", "B = {b} minus A = {a}\n({n} pairs, same seed)", "B = {b} 减 A = {a}\n（{n} 对，相同种子）")
_add("difference_note", "Each replicate of B minus the replicate\nof A with the same index (common\nrandom numbers); bands over the pairs.",
     "B 的每次重复减去 A 中编号相同的\n重复（共同随机数）；区间取自\n各对差值。")
_add("difference_title", "{title}: paired difference B − A", "{title}：配对差值 B − A")

# Goal ledger.
_add("goal_all_cities_column", "all the goal's cities\n(the goal as defined)", "目标涉及的全部城市\n（按目标定义）")
_add("goal_category_column", "{category}\n(2013 class)", "{category}\n（2013 年分类）")
_add("no_goals", "(no goals)", "（无目标）")
_add("no_provinces", "(no provinces)", "（无省份）")
_add("attainment_probability", "probability of attainment", "达成概率")
_add("heatmap_category_title",
     "Goal attainment by 2013 category: share of replicates meeting the goal on its cities in each group"
     "\n(below: 90 % interval; –: none of the goal's cities in the group)",
     "按 2013 年城市类型的目标达成情况：各组中目标城市达成目标的重复占比"
     "\n（下方：90 % 区间；–：该组无目标城市）")
_add("heatmap_province_title",
     "Goal attainment by province: the goal's cities in each province (in brackets: the run's cities there; "
     "below: 90 % interval; –: none of the goal's cities there)",
     "按省份的目标达成情况：各省的目标城市（括号内：本次运行在该省的城市数；下方：90 % 区间；–：该省无目标城市）")
_add("province_row", "{name} ({count})", "{name}（{count}）")
_add("required_share", "required share of the cities", "要求达标的城市比例")
_add("widening", "widening of both bounds", "上下界同时放宽")
_add("threshold", "threshold", "阈值")
_add("threshold_on", "threshold on {indicator} (goal: {comparison})", "{indicator}阈值（目标：{comparison}）")
_add("curve_label", "{label} ({n} replicates)", "{label}（{n} 次重复）")
_add("curve_note", "{prefix}{at} at the threshold; 50 % at {median} {unit}", "{prefix}阈值处 {at}；{median} {unit} 处为 50 %")
_add("not_judged_panel", "not judged in these runs\n(dated after the run's end)", "本次运行未评估\n（目标日期晚于运行结束）")
_add("no_goals_defined", "the runs define no goals", "运行未定义目标")
_add("threshold_curves_title", "Threshold curves: probability of attainment as the goal's threshold moves "
     "(from /goals/margin; band: 90 % Wilson interval)", "阈值曲线：目标阈值变化时的达成概率（来自 /goals/margin；色带：90 % Wilson 区间）")
# How a goal reads ("unemployment_rate below 5 % at 2035-12, all cities taken together").
_add("goal_test", "{indicator} {comparison} {value}", "{indicator}{comparison} {value}")
_add("goal_between", "{indicator} between {low} and {high}", "{indicator}介于 {low} 与 {high} 之间")
_add("goal_all_cities", "all cities", "全部城市")
_add("goal_some_cities", "the cities with {where}", "满足 {where} 的城市")
_add("goal_sum", "{cities} taken together", "{cities}合计")
_add("goal_mean", "mean over {cities}", "{cities}的平均值")
_add("goal_every", "in every one of {cities}", "{cities}中的每一个")
_add("goal_share", "in at least {share} % of {cities}", "{cities}中至少 {share} %")
_add("goal_other", "{aggregation} over {cities}", "{cities}的 {aggregation}")
_add("goal_at", "{test} at {date}, {how}", "{test}，于 {date}，{how}")
_add("goal_by", "{test} by {date}, {how}", "{test}，不迟于 {date}，{how}")

# Map.
_add("longitude", "longitude (degrees east)", "经度（东经，度）")
_add("latitude", "latitude (degrees north)", "纬度（北纬，度）")
_add("map_class_legend", "2013 class (cities)", "2013 年分类（城市数）")
_add("map_class_entry", "{category} ({n})", "{category}（{n}）")
_add("map_colour", "median {indicator}, {year}", "{year} 年{indicator}中位数")
_add("outlines", "Province outlines: Digital Chart of the World (Debian gmt-dcw), for orientation only.",
     "省界：世界数字地图（DCW，Debian 软件包 gmt-dcw），仅供定位参考。")
_add("no_outlines", "No province outlines: install the Debian package gmt-dcw.", "无省界：请安装 Debian 软件包 gmt-dcw。")
_add("map_no_values", "no per-city values in this file (outputs.replicates: none), cities shown uncoloured",
     "文件中无逐城市数值（outputs.replicates: none），城市不着色")
_add("map_values", "median over {n} replicates in {year}; labelled: notable cities and the 3 highest",
     "{year} 年 {n} 次重复的中位数；标注：代表性城市及数值最高的 3 个城市")
_add("map_title", "{label}: {n} cities, {what}\n{outlines}", "{label}：{n} 个城市，{what}\n{outlines}")

# Event timeline.
_add("window_not_in_run", "window not in the run", "时间窗不在运行期内")
_add("on_trigger", "on trigger: {trigger}", "触发条件：{trigger}")
_add("trigger_text", "{indicator} {side} {value} for {months} months", "{indicator}{side} {value} 持续 {months} 个月")
_add("policy_row", "{name} [{lever}]", "{name}［{lever}］")
_add("timeline_title", "{label}: policy windows [lever]; hatched: acts only when its trigger fires; diamond: one-off action",
     "{label}：政策时间窗［政策工具］；斜线：仅在触发时生效；菱形：一次性措施")
_add("no_policies", "no policies", "无政策")
_add("no_events_file", "no /events in this file", "文件中无 /events")
_add("no_events_of", "no {what} events", "无{what}事件")
_add("legend_run_total", "{name} ({total})", "{name}（{total}）")
_add("per_replicate_legend", "{what} per replicate", "每次重复的{what}")
_add("actions", "actions", "政策措施")
_add("trigger_firings", "trigger firings", "触发次数")
_add("no_trigger_policy", "no policy has a trigger", "无带触发条件的政策")
_add("no_what", "no {what}", "无{what}")
_add("actions_title", "Policy actions applied, by policy (one per city and action)", "已实施的政策措施，按政策（每城市每项措施计一次）")
_add("actions_per_year", "actions per year", "每年措施数")
_add("closures_title", "Mine closures (reserve exhausted)", "矿井关闭（储量枯竭）")
_add("closures_per_year", "closures per year", "每年关闭数")
_add("mine_closure_events", "mine closure", "矿井关闭")
_add("laid_off_title", "Workers laid off at mine closures", "矿井关闭导致的下岗职工")
_add("persons_per_year", "persons per year", "每年人数")
_add("ten_thousands_per_year", "ten thousands per year", "每年万人")
_add("thousands_per_year", "thousands per year", "每年千人")
_add("reclassified_to", "to {category}", "转为{category}")
_add("reclassifications_title", "Reclassifications (by the new class)", "城市类型变更（按新类型）")
_add("cities_per_year", "cities per year", "每年城市数")
_add("discoveries_title", "Reserve discoveries", "新发现储量")
_add("discoveries_per_year", "discoveries per year", "每年发现次数")
_add("discovery_events", "discovery", "储量发现")
_add("triggers_title", "Trigger firings, by policy", "触发次数，按政策")
_add("parks_title", "Industrial parks opening", "产业园区建成")
_add("parks_per_year", "parks per year", "每年园区数")
_add("park_opening_events", "park opening", "园区建成")
_add("reported_output_starts", "reported output starts", "输出起始")
_add("year", "year", "年份")
_add("events_title", "Events per year: mean over {n} replicates (bars), 5–95 % of replicates (whiskers)",
     "每年事件数：{n} 次重复的平均值（柱），5–95 % 的重复（误差线）")

# Scenario discovery.
_add("target_goal", "replicates that miss the goal '{goal}' (as defined)", "未达成目标“{goal}”（按目标定义）的重复")
_add("target_goal_group", "replicates that miss the goal '{goal}' in {group} (the goal's test on that group; every "
     "goal as defined is met or missed in all replicates)",
     "在{group}未达成目标“{goal}”的重复（该组内的目标检验；按定义的每个目标在所有重复中同为达成或同为未达成）")
_add("target_quarter", "replicates in the highest quarter of the national {indicator} in {date} (no goal is met in "
     "some replicates and missed in others)", "{date} 全国{indicator}最高四分之一的重复（没有目标在部分重复中达成而在其余重复中未达成）")
_add("misses_goal", "misses the goal", "未达成目标")
_add("meets_goal", "meets the goal", "达成目标")
_add("misses", "misses", "未达成")
_add("meets", "meets", "达成")
_add("highest_quarter", "highest quarter", "最高四分之一")
_add("other_replicates", "other replicates", "其余重复")
_add("skipped_no_uncertainty", "the scenario samples no uncertainty", "情景未抽样任何不确定参数")
_add("skipped_few", "too few replicates ({n}) for scenario discovery", "重复次数过少（{n}），无法进行情景发现")
_add("skipped_alike", "{target}: all replicates alike", "{target}：所有重复相同")
_add("chosen_box", "chosen box (pasted)", "选定的盒（回贴后）")
_add("coverage_axis", "coverage (share of cases inside)", "覆盖率（盒内案例占全部案例的比例）")
_add("density_axis", "density (share of the box that are cases)", "密度（盒内案例占比）")
_add("peeling_title", "PRIM peeling trajectory", "PRIM 剥离轨迹")
_add("restricted", "restricted uncertainties", "受限的不确定参数")
_add("any", " (any)", "（不限）")
_add("position_axis", "position in the sampled range (0 = lowest, 1 = highest draw)", "在抽样范围中的位置（0 = 最低，1 = 最高）")
_add("box_title", "Box: coverage {coverage}, density {density}", "盒：覆盖率 {coverage}，密度 {density}")
_add("jitter", "(jitter)", "（随机抖动）")
_add("two_restricted", "The two most restricted uncertainties", "受限最强的两个不确定参数")
_add("discovery_title", "{label}: scenario discovery — {target}", "{label}：情景发现——{target}")
_add("tree_title", "{label}: CART tree (depth ≤ 3) separating '{cases}' from '{others}'\nvalue = [{others}, {cases}] "
     "replicates in the node", "{label}：CART 决策树（深度 ≤ 3），区分“{cases}”与“{others}”\n数值 = ［{others}，{cases}］节点中的重复数")
_add("all_replicates", "all replicates", "全部重复")
_add("rule_and", " and ", " 且 ")
# scikit-learn's node text: "samples = 12", "value = [3, 9]", "class = misses".
_add("tree_samples", "samples", "样本")
_add("tree_value", "value", "数值")
_add("tree_class", "class", "类别")

# Model vs data.
_add("data_panel", "{title} — {group}", "{title}——{group}")
_add("data_title", "Model vs data: median and 50 % / 90 % bands over replicates; dots: observations ± 2 errors",
     "模型与数据：各次重复的中位数及 50 % / 90 % 区间；点：观测值 ± 2 倍误差")

# The page (index.html).
_add("html_lang", "en", "zh-CN")
_add("page_title", "regsim report: {names}", "regsim 报告：{names}")
_add("generated", "Generated {when} by tools/report from {files}.", "由 tools/report 于 {when} 根据 {files} 生成。")
_add("none", "none", "无")
_add("dash", "–", "–")
_add("section_runs", "Runs", "运行")
_add("runs_headers", "file|scenario|description|reported months|replicates|seed|sampling|regsim (revision)|created|"
     "sampled uncertainties (unit)", "文件|情景|说明|输出月份|重复次数|随机种子|抽样方法|regsim（版本）|创建时间|抽样的不确定参数（单位）")
_add("runs_note", "Every run simulates from the 2013 seeds; horizon.start only marks where reported output begins. "
     "Times are the month each value describes (December for annual output).",
     "每次运行都从 2013 年的初始数据开始模拟；horizon.start 只标明输出从何时开始。时间为数值所描述的月份（年度输出为 12 月）。")
_add("section_indicators", "Key indicators", "主要指标")
_add("indicators_intro", "National totals (all cities of the run) and the four 2013 plan categories. Line: median over "
     "replicates; dark band: 25–75 % of replicates; light band: 5–95 %. Annual values describe December, so on charts "
     "of annual output each year's tick stands on its December (the value labelled 2035 is December 2035); charts "
     "with monthly output tick 1 January.",
     "全国合计（本次运行的全部城市）及 2013 年规划的四类城市。线：各次重复的中位数；深色带：25–75 % 的重复；浅色带：5–95 %。"
     "年度数值描述当年 12 月，因此年度输出图中每年的刻度位于该年 12 月（标为 2035 的数值即 2035 年 12 月）；月度输出图的刻度位于 1 月 1 日。")
_add("indicators_overlaid", " Several scenarios are overlaid on the same axes, each in its own colour.",
     "多个情景叠加在同一坐标轴上，各用一种颜色。")
_add("headline_headers", "indicator|scenario|first reported (median)|last reported (median)|"
     "last reported, 5–95 % of replicates", "指标|情景|首个输出月（中位数）|最后输出月（中位数）|最后输出月，5–95 % 的重复")
_add("headline_value", "{date}: {value}", "{date}：{value}")
_add("fan_caption", "{title} — {long_name} (stored in units of '{units}'; the axes say how they are shown).",
     "{title}（文件中的存储单位为“{units}”；坐标轴注明显示方式）。")
_add("section_data", "Model vs data", "模型与数据")
_add("data_caption", "{shown} of the {total} observations of {file} that the runs' aggregates can be held to (a target "
     "whose cities are not one group of the run, or whose date lies outside it, is not drawn; `regsim calibrate` "
     "evaluates them all). Sources are in the targets file.",
     "{file} 的 {total} 个观测中，可与本次运行汇总值比较的 {shown} 个（城市不构成运行中某一组、或日期在运行期外的观测不绘出；"
     "regsim calibrate 会评估全部观测）。数据来源见观测文件。")
_add("data_none", "None of the observations of {file} falls in these runs' groups and dates.",
     "{file} 中没有观测落在这些运行的分组和日期内。")
_add("section_comparison", "Scenario comparison: paired differences", "情景比较：配对差值")
_add("not_paired", "{b} − {a}: not shown, {reason}.", "{b} − {a}：未显示，{reason}。")
_add("pair_seeds", "different seeds ({a} and {b}): replicates are not paired", "随机种子不同（{a} 与 {b}）：重复无法配对")
_add("pair_regions", "different regions (city lists differ)", "区域不同（城市列表不一致）")
_add("pair_replicates", "fewer than 2 replicates in common", "共同的重复少于 2 次")
_add("pair_months", "no reported month in common", "没有共同的输出月份")
_add("comparison_intro", "B − A with A = {a} (the first file): each replicate of B minus the replicate of A with the "
     "same index. Runs with the same seed share their random numbers replicate by replicate, so the bands show how the "
     "effect varies over the sampled uncertainties, without the noise of two independent ensembles. Only months "
     "reported by both runs are compared.",
     "B − A，A = {a}（第一个文件）：B 的每次重复减去 A 中编号相同的重复。随机种子相同的运行逐次共享随机数，"
     "因此区间反映效果随抽样不确定参数的变化，而不含两个独立集合的噪声。只比较两次运行都有输出的月份。")
_add("difference_caption", "{title}: paired difference B − A.", "{title}：配对差值 B − A。")
_add("difference_caption_pp", "{title}: paired difference B − A in percentage points.",
     "{title}：配对差值 B − A，单位为百分点。")
_add("section_goals", "Goal ledger", "目标台账")
_add("goals_headers", "scenario|goal|test|source|P(attained) (90 % Wilson)|replicates|median margin",
     "情景|目标|检验|依据|达成概率（90 % Wilson 区间）|重复次数|余量中位数")
_add("not_judged", "not judged", "未评估")
_add("probability_interval", "{p} ({low} – {high})", "{p}（{low} – {high}）")
_add("no_goals_page", "The runs define no goals.", "运行未定义目标。")
_add("precision_reached",
     "{scenario}: the number of replicates was not fixed in advance. The run added {batch} replicates at a time "
     "until the 90 % interval of each goal it was asked about was at most {target} percentage points either side "
     "of the probability (for example 42 % ± {target}); that took {n} replicates, the widest interval being "
     "± {achieved} points. Stopping when an interval looks narrow makes it slightly optimistic: read 90 % as "
     "about 90 %.",
     "{scenario}：重复次数不是事先固定的。运行每次增加 {batch} 次重复，直到所指定的每个目标的达成概率的 90 % 区间"
     "不超过概率上下各 {target} 个百分点（例如 42 % ± {target}）；为此用了 {n} 次重复，最宽的区间为 ± {achieved} 个百分点。"
     "在区间看起来足够窄时停止会使区间略为乐观：90 % 应理解为约 90 %。")
_add("precision_cap",
     "{scenario}: the number of replicates was not fixed in advance. The run added {batch} replicates at a time, "
     "aiming at 90 % intervals of at most ± {target} percentage points, but reached its cap of {cap} replicates "
     "first: the widest interval is still ± {achieved} points, so read those probabilities with that margin.",
     "{scenario}：重复次数不是事先固定的。运行每次增加 {batch} 次重复，目标是 90 % 区间不超过 ± {target} 个百分点，"
     "但先达到了 {cap} 次重复的上限：最宽的区间仍为 ± {achieved} 个百分点，解读这些概率时应考虑这一误差范围。")
_add("category_caption", "Probability of attainment, as regsim computes it (/goals/probability_by_group, every "
     "replicate): the goal's test — its indicator, aggregation, date and threshold — on the goal's cities within each "
     "group. First column: all the goal's cities, i.e. the goal as defined; then each 2013 category. Below each share, "
     "its 90 % Wilson interval. –: none of the goal's cities in the group, or the goal is dated after the run's end.",
     "达成概率，由 regsim 计算（/goals/probability_by_group，全部重复）：在每组内的目标城市上进行目标检验（指标、汇总方式、日期和阈值）。"
     "第一列：目标涉及的全部城市，即按定义的目标；其后为 2013 年各类城市。每个比例下方为其 90 % Wilson 区间。"
     "–：该组无目标城市，或目标日期晚于运行结束。")
_add("province_caption", "The same for the goal's cities in each province (rows; in brackets, the run's cities there). "
     "A province where the goal's cities are few swings between 0 and 100 %: read the interval.",
     "各省目标城市的同一结果（行；括号内为本次运行在该省的城市数）。目标城市较少的省份会在 0 与 100 % 之间摆动：请看区间。")
_add("threshold_caption", "Threshold curves. The plans' 2035 goals are qualitative, so each panel shows how the "
     "probability of attainment moves with the threshold, computed exactly from the stored per-replicate margins (the "
     "value compared = threshold ∓ margin; for share_of_cities the required share moves). Dashed line: the scenario's "
     "threshold; band: 90 % Wilson interval.",
     "阈值曲线。规划的 2035 年目标是定性的，因此每个面板显示达成概率随阈值的变化，由存储的逐次重复余量精确计算"
     "（比较值 = 阈值 ∓ 余量；按城市比例汇总时变化的是要求的比例）。虚线：情景的阈值；色带：90 % Wilson 区间。")
_add("section_map", "Map of the cities", "城市地图")
_add("map_caption", "{label}: each city at its seat, coloured by the median over replicates of {indicator} in {date} "
     "(from /summary, all replicates); marker: 2013 class. {outlines}",
     "{label}：每个城市位于其驻地，按 {date} {indicator}在各次重复中的中位数着色（来自 /summary，全部重复）；标记：2013 年分类。{outlines}")
_add("map_outlines", "Province outlines: Digital Chart of the World (gmt-dcw).", "省界：世界数字地图（DCW，gmt-dcw）。")
_add("map_no_outlines", "No province outlines (gmt-dcw not installed).", "无省界（未安装 gmt-dcw）。")
_add("section_events", "Event timeline", "事件时间线")
_add("events_note", "Policies are named from /policies; their windows come from the run's resolved scenario.",
     "政策名称来自 /policies；其时间窗来自运行所用的完整情景。")
_add("events_caption", "{label}: policy windows, then events per calendar year from /events (mean over replicates "
     "with 5–95 % whiskers): policy actions and trigger firings by policy (in the legend, the total per replicate), "
     "mine closures and the workers they lay off, reclassifications by the class reached, reserve discoveries and park "
     "openings.",
     "{label}：政策时间窗，以及来自 /events 的每个日历年事件数（各次重复的平均值，误差线为 5–95 %）：按政策的政策措施与触发次数"
     "（图例中为每次重复的总数）、矿井关闭及其下岗职工、按新类型的城市类型变更、新发现储量和园区建成。")
_add("section_discovery", "Scenario discovery", "情景发现")
_add("discovery_intro", "Which sampled uncertainties (/uncertainties/value) separate the replicates of interest from "
     "the others. PRIM: peel the box along the uncertainty that raises the share of cases most, choose the box with the "
     "best balance of coverage (share of all cases inside) and density (share of the box that are cases), paste back "
     "and drop restrictions that do not help. CART: a decision tree of depth ≤ 3.",
     "哪些抽样的不确定参数（/uncertainties/value）能把关注的重复与其余重复区分开。PRIM：沿最能提高案例占比的不确定参数剥离盒子，"
     "选取覆盖率（盒内案例占全部案例的比例）与密度（盒内案例占比）最平衡的盒，再回贴并去掉无益的限制。CART：深度 ≤ 3 的决策树。")
_add("not_run", "Not run: {reason}.", "未运行：{reason}。")
_add("cases", "Cases: {target} — {n} of {total} replicates (base rate {rate}).",
     "案例：{target}——{total} 次重复中的 {n} 次（基准比例 {rate}）。")
_add("prim_caption", "PRIM box: coverage {coverage}, density {density}, {count} replicates inside ({support} of all).",
     "PRIM 盒：覆盖率 {coverage}，密度 {density}，盒内 {count} 次重复（占全部的 {support}）。")
_add("box_headers", "uncertainty|unit|sampled range|PRIM box", "不确定参数|单位|抽样范围|PRIM 盒")
_add("dimensionless", "1 (dimensionless)", "1（无量纲）")
_add("not_restricted", "not restricted", "不受限")
_add("measure_headers", "measure|value", "度量|数值")
_add("coverage", "coverage", "覆盖率")
_add("density", "density", "密度")
_add("support", "support (share of replicates in the box)", "支持度（盒内重复的比例）")
_add("base_rate", "base rate (density of the whole space)", "基准比例（整个空间的密度）")
_add("cart_caption", "CART decision tree (scikit-learn, depth ≤ 3, leaves of at least 5 % of replicates).",
     "CART 决策树（scikit-learn，深度 ≤ 3，每个叶节点至少含 5 % 的重复）。")
_add("leaf_headers", "CART leaf (rule)|replicates|cases|coverage|density", "CART 叶节点（规则）|重复次数|案例数|覆盖率|密度")
_add("section_notes", "Notes on the data", "数据说明")
_add("notes", "Groups are the cities' 2013 plan class (fixed membership), their province and their primary resource; "
     "ratios are ratios of sums over a group. Quantiles are over replicates. Charts: {charts}.",
     "分组依据城市在 2013 年规划中的类型（成员固定）、所在省份及主要资源；比率为组内总量之比。分位数取自各次重复。图表：{charts}。")

_add("section_sensitivity", "Sensitivity: which uncertainty decides the outcome",
     "敏感性：哪个不确定因素决定结果")
_add("sens_intro_sobol", "Sobol indices from `regsim sensitivity` (/sensitivity). S_T, the total-order index, is the "
     "share of an outcome's variance across replicates that involves the uncertainty, alone or together with others: "
     "S_T = 0.6 means that 60 % of the spread of the outcome would go if this uncertainty were known exactly. S_1, the "
     "first-order index, is its share alone. An S_T well above S_1 means the uncertainty acts through interactions. "
     "Each run of the design has its own random numbers, so the model's own randomness adds a floor to every S_T.",
     "Sobol 指数来自 regsim 的敏感性分析（/sensitivity）。总效应指数 S_T 是结果在各次重复间的方差中与该不确定因素有关的份额"
     "（单独作用或与其他因素共同作用）：S_T = 0.6 表示若确切知道该因素的取值，结果的离散将减少 60 %。一阶指数 S_1 是它单独作用的份额。"
     "S_T 明显高于 S_1 表示该因素主要通过交互作用起作用。设计中每次运行使用各自的随机数，因此模型自身的随机性会给每个 S_T 加上一个下限。")
_add("sens_intro_morris", "Morris elementary effects from `regsim sensitivity` (/sensitivity): the change of the "
     "outcome when one uncertainty moves by half of its range of quantiles, scaled to its whole range. μ* (the mean "
     "size of the effects) ranks the uncertainties by importance; σ (their spread) is large when the effect "
     "depends on the other uncertainties or is not linear.",
     "Morris 基本效应来自 regsim 的敏感性分析（/sensitivity）：某一不确定因素在其分位数范围内移动一半时结果的变化，"
     "按其全范围换算。μ*（效应大小的平均值）按重要性对不确定因素排序；σ（效应的离散程度）较大表示效应依赖于其他因素或为非线性。")
_add("sens_goal_met", "{goal}: met (0/1)", "{goal}：是否达成（0/1）")
_add("sens_goal_margin", "{goal}: margin", "{goal}：余量")
_add("sens_st", "S_T (total order)", "S_T（总效应）")
_add("sens_s1", "S_1 (first order)", "S_1（一阶）")
_add("sens_mu_star", "μ* (mean |effect|)", "μ*（效应绝对值的平均）")
_add("sens_σ", "σ (spread of the effects)", "σ（效应的离散程度）")
_add("sens_index_axis", "Sobol index (share of variance)", "Sobol 指数（方差份额）")
_add("sens_effect_axis", "elementary effect (outcome's units)", "基本效应（结果的单位）")
_add("sens_no_goal", "No goal whose outcome varies across the replicates.", "没有结果在各次重复间变化的目标。")
_add("sens_goal_title", "Which uncertainty decides each goal", "各目标由哪些不确定因素决定")
_add("sens_goal_caption_sobol", "For each goal, whether it is met (0/1) and its margin (the signed distance to the "
     "threshold): S_T (blue) and S_1 (orange) of each sampled uncertainty, largest S_T on top, with 90 % bootstrap "
     "intervals. Read S_T first: an uncertainty with S_T near 0 can be fixed at any value of its range without changing "
     "the answer; the one with the largest S_T is where better knowledge (or a policy that removes the exposure) "
     "narrows the outcome most. Indices are shares, so they compare uncertainties within a panel, not across goals.",
     "对每个目标，是否达成（0/1）及其余量（与阈值的带符号距离）：各抽样不确定因素的 S_T（蓝）和 S_1（橙），S_T 最大者在上，"
     "误差线为 90 % 自助法区间。先看 S_T：S_T 接近 0 的因素可在其范围内任意取值而不改变结论；S_T 最大的因素是更好的认识"
     "（或消除这一风险的政策）最能缩小结果离散的地方。指数是份额，只在同一面板内比较不确定因素，不跨目标比较。")
_add("sens_goal_caption_morris", "For each goal, whether it is met (0/1) and its margin: μ* (blue) and σ (orange) "
     "of each sampled uncertainty, largest μ* on top, in the outcome's units. A screening design: it ranks the "
     "uncertainties with few runs but does not split the variance.",
     "对每个目标，是否达成（0/1）及其余量：各抽样不确定因素的 μ*（蓝）和 σ（橙），μ* 最大者在上，单位为结果的单位。"
     "这是筛选设计：用较少的运行对不确定因素排序，但不分解方差。")
_add("sens_over_time_title", "{indicator}, {group}: which uncertainty matters when",
     "{indicator}，{group}：各不确定因素何时起作用")
_add("sens_st_axis", "S_T (share of variance involving the uncertainty)", "S_T（与该因素有关的方差份额）")
_add("sens_mu_star_axis", "μ* (outcome's units)", "μ*（结果的单位）")
_add("sens_over_time_caption_sobol", "S_T of each uncertainty for the indicator at each year's last reported month, "
     "with its 90 % bootstrap interval as a band: an uncertainty whose line rises decides more of the outcome as the "
     "years pass; one that falls matters early and fades.",
     "该指标在每年最后一个报告月份上各不确定因素的 S_T，色带为 90 % 自助法区间：曲线上升的因素随时间推移对结果的影响越来越大；"
     "曲线下降的因素早期重要、随后减弱。")
_add("sens_over_time_caption_morris", "μ* of each uncertainty for the indicator at each year's last reported month: "
     "which uncertainty moves the outcome most, year by year.",
     "该指标在每年最后一个报告月份上各不确定因素的 μ*：逐年看哪个不确定因素对结果的影响最大。")


# -- attribution (regsim attribute) ---------------------------------------------
_add("section_attribution", "Attribution: which policy buys what", "政策贡献分解：各项政策的作用")
_add("attribution_intro",
     "Each chart splits the package's effect on the probability of meeting a goal into the Shapley shares of its "
     "policies (or groups of policies). A policy's share is the change it brings on average over every order in "
     "which the package could have been assembled, one policy after another: a policy that only works together "
     "with another shares the joint effect with it, and the shares add up exactly to the package's effect (with "
     "the package minus without it). Every combination of policies was run with the same random draws, so the "
     "shares compare like with like.",
     "每张图把整套政策对目标达成概率的作用，分解为各项政策（或政策组）的沙普利份额。一项政策的份额，是把"
     "这套政策逐项加入时、在所有可能的加入顺序上它平均带来的变化：只有与另一项政策同时实施才起作用的政策，与那项政策"
     "分享共同的作用；各项份额之和恰好等于整套政策的作用（实施整套政策减去不实施）。每种政策组合都用同一组随机数运行，"
     "因此份额之间可以直接比较。")
_add("attribution_file", "{file}: scenario {scenario}, {players} players, {replications} replicates per "
     "combination, {method}.", "{file}：情景 {scenario}，{players} 个参与者，每种组合 {replications} 次重复，{method}。")
_add("attribution_exact", "exact values (every combination)", "精确值（全部组合）")
_add("attribution_sampled", "values estimated from sampled orders", "由抽样顺序估计的值")
_add("attribution_no_goals", "The scenario has no goals: nothing to chart.", "该情景没有目标，无图可画。")
_add("attribution_without", "without\nthe package", "不实施\n整套政策")
_add("attribution_with", "with\nthe package", "实施\n整套政策")
_add("attribution_axis", "probability the goal is met", "目标达成概率")
_add("attribution_title", "{goal}: each policy's share ({scenario})", "{goal}：各项政策的份额（{scenario}）")
_add("attribution_caption",
     "Goal {goal}. The first bar is the probability of meeting the goal with none of the package's policies "
     "({without}), the last with all of them ({with_}); in between, each policy's Shapley share of the difference "
     "({effect}): green raises the probability, red lowers it; the whisker is the share's 90 % interval over "
     "the replicates.",
     "目标 {goal}。第一根柱为不实施整套政策时的达成概率（{without}），最后一根为全部实施时的达成概率（{with_}）；"
     "中间各柱为每项政策在两者之差（{effect}）中的沙普利份额：绿色提高概率，红色降低概率；须线为份额在各次重复上的 "
     "90 % 区间。")
_add("attribution_headers", "policy|Shapley share|90 % interval|part of the effect",
     "政策|沙普利份额|90 % 区间|占总作用比例")


def headers(key):
    """A table's column headings (one catalogue entry, '|'-separated)."""
    return t(key).split("|")
