"""What an answer is: the Reply every front end renders, the report labels and a number formatter."""
from __future__ import annotations

from dataclasses import dataclass, field

from nlu.context import Context

LABEL = {"sc2015": "2015 智慧城市评估（第五届）", "sc2016": "2016 智慧城市评估（第六届）",
         "gw2020": "2020 政府网站绩效评估", "de2020": "2020 城市数字经济指数", "sc2021": "2021 智慧城市调查评估"}
SMART = ["sc2021", "sc2016", "sc2015"]
HISTORY_YEARS = {2011, 2012, 2013, 2014}
SCOPE = {  # (report, group name as parsed) → ranking scope in the store
    ("gw2020", "地级市"): "地市", ("gw2020", "省会城市"): "省会城市", ("gw2020", "副省级城市"): "副省级城市",
    ("gw2020", "直辖市"): "直辖市", ("gw2020", "省/自治区"): "省/自治区", ("gw2020", "区县"): "区县",
    ("sc2015", "地级市"): "地级市", ("sc2015", "省会城市"): "省会城市",
    ("sc2015", "直辖市及计划单列市"): "直辖市及计划单列市", ("sc2015", "直辖市"): "直辖市及计划单列市",
    ("sc2015", "计划单列市"): "直辖市及计划单列市", ("sc2015", "华东"): "华东", ("sc2015", "华南"): "华南",
    ("sc2015", "华中"): "华中", ("sc2015", "华北与东北"): "华北与东北", ("sc2015", "西北与西南"): "西北与西南",
    ("sc2015", "华北"): "华北与东北", ("sc2015", "东北"): "华北与东北", ("sc2015", "西北"): "西北与西南",
    ("sc2015", "西南"): "西北与西南", ("de2020", "市辖区"): "市辖区", ("de2020", "县市"): "县市",
}
HINT = "可以这样问：「无锡2015智慧管理排名」「数字经济前十」「南京是数字经济几线城市」「2015年华东地区平均分」。"



@dataclass
class Reply:
    text: str
    status: str  # ok | no_data | clarify | out_of_scope
    intent: str
    facts: list[str] = field(default_factory=list)
    suggestions: list[tuple[str, str]] = field(default_factory=list)  # (button label, follow-up question)
    candidates: list[tuple[str, str]] = field(default_factory=list)  # (entity id, label) for clarify
    ambiguous: str | None = None  # the name the candidates are for
    chart: dict | None = None  # {"title", "labels", "values", "texts" (as printed)}
    context: Context | None = None


def fmt_number(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if abs(x - round(x, 2)) < 1e-9 else f"{x:.2f}"
