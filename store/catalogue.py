"""What each report is and can answer: facts about a report as data, in one place.

The answer code asks the catalogue (does this report publish per-city numbers?
how does it rank? which groups are ranking scopes of its own?) instead of
branching on report keys.  The parsers own the numbers; this module owns the
reports' shapes.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ReportFacts:
    key: str
    label: str  # how answers name the report
    family: str  # smart | website | digital
    keyword: str  # a word that names the report in a question (for suggestions): 数字经济, 政府网站, ""
    per_city_numbers: bool = True  # False: only tiers are published (2021)
    ranking: str = "printed"  # printed | computed (no ranks printed) | dense (ties share a rank, next rank +1)
    tier_kind: str | None = None  # 数字经济 (一线…四线) or 梯队 (领军/先锋/探索)
    circle_type: str | None = None  # the member group type the report uses for city clusters
    history: bool = False  # also holds the 2011–2014 top tens
    other_edition: str | None = None  # the same evaluation's other year
    scopes: dict[str, str] = field(default_factory=dict)  # group name as parsed → ranking scope in the store
    category_tables: bool = False  # categories (市辖区, 区县 …) have tables of their own, ranked separately
    tier_prefix: str = ""  # how a tier is named: 数字经济 + 新一线 + 城市
    part_ranks: bool = True  # the parts of the total are ranked (gw2020 prints its indices without ranks)
    part_unit: str = "得分"  # what the parts are: 得分, 指数
    selection: str = ""  # how the report chose its cities, when it says so
    extra_scopes: tuple[str, ...] = ()  # categories evaluated besides the cities counted in entity_count
    list_parts: bool = False  # a question about its indicators lists the level-2 ones too
    circle_names: dict[str, str] = field(default_factory=dict)  # a cluster's name in this report (粤港澳大湾区 → 珠三角)
    parts_per_city: bool = True  # the parts of the total are published for every city (各项得分)
    year: int = 0  # the year the report is known by (2015 for the fifth edition)
    district_scopes: dict[str, str] = field(default_factory=dict)  # the table of a city's districts / counties
    scores_out_of: bool = False  # a score is shown against its indicator's maximum (15.73/20)


REPORTS: dict[str, ReportFacts] = {
    "sc2015": ReportFacts(
        "sc2015", "2015 智慧城市评估（第五届）", "smart", "", history=True, other_edition="sc2016",
        scopes={"地级市": "地级市", "省会城市": "省会城市", "直辖市及计划单列市": "直辖市及计划单列市",
                "直辖市": "直辖市及计划单列市", "计划单列市": "直辖市及计划单列市", "华东": "华东", "华南": "华南",
                "华中": "华中", "华北与东北": "华北与东北", "西北与西南": "西北与西南", "华北": "华北与东北",
                "东北": "华北与东北", "西北": "西北与西南", "西南": "西北与西南"}, year=2015, scores_out_of=True),
    "sc2016": ReportFacts("sc2016", "2016 智慧城市评估（第六届）", "smart", "", ranking="computed",
                          other_edition="sc2015", year=2016, scores_out_of=True),
    "gw2020": ReportFacts(
        "gw2020", "2020 政府网站绩效评估", "website", "政府网站", ranking="dense", category_tables=True,
        part_ranks=False, part_unit="指数",
        scopes={"地级市": "地市", "省会城市": "省会城市", "副省级城市": "副省级城市", "直辖市": "直辖市",
                "省/自治区": "省/自治区", "区县": "区县"}, year=2020,
        district_scopes={"district": "区县", "county": "区县"}),
    "de2020": ReportFacts("de2020", "2020 城市数字经济指数", "digital", "数字经济", tier_kind="数字经济", parts_per_city=False,
                          category_tables=True, scopes={"市辖区": "市辖区", "县市": "县市"}, tier_prefix="数字经济",
                          extra_scopes=("市辖区", "县市"), year=2020,
                          district_scopes={"district": "市辖区", "county": "县市"}),
    "sc2021": ReportFacts("sc2021", "2021 智慧城市调查评估", "smart", "", per_city_numbers=False, ranking="none",
                          tier_kind="梯队", circle_type="circle", selection="选取 2020 年 GDP 排名前 50 的城市",
                          list_parts=True, circle_names={"粤港澳大湾区": "珠三角"}, parts_per_city=False, year=2021,
                          scores_out_of=True),
}

LABEL = {key: facts.label for key, facts in REPORTS.items()}
SMART = [key for key in ("sc2021", "sc2016", "sc2015") if REPORTS[key].family == "smart"]
SCOPE = {(key, name): scope for key, facts in REPORTS.items() for name, scope in facts.scopes.items()}
TIER_REPORT = {"一线": "de2020", "新一线": "de2020", "二线": "de2020", "三线": "de2020", "四线": "de2020",
               "领军": "sc2021", "先锋": "sc2021", "探索": "sc2021"}
HISTORY_YEARS = {2011, 2012, 2013, 2014}
REPORT_YEAR_OF_TIER = {"一线": 2020, "新一线": 2020, "二线": 2020, "三线": 2020, "四线": 2020,
                       "领军": 2021, "先锋": 2021, "探索": 2021}  # the year of the report that names each tier
HISTORY_REPORT = next(key for key, facts in REPORTS.items() if facts.history)  # holds the 2011–2014 top tens
EDITIONS = [key for key, facts in REPORTS.items() if facts.other_edition]  # one evaluation's editions, oldest first
TIERS_ONLY = [key for key, facts in REPORTS.items() if facts.tier_kind and not facts.per_city_numbers]
REPORT_YEARS = {facts.year for facts in REPORTS.values()}
