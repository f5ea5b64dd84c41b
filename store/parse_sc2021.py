"""Parser for 2021年智慧城市发展水平调查评估报告 (中国软件评测中心, 2021-07).

No per-city numbers are published: the 50 cities (2020 GDP top 50) come in three
tiers with index thresholds.  Also held: level-2 average indices (表 3-13) with
their level-1 averages, the economic-circle averages, the overall average, the
level-1 weights and the indicator system (附表).
"""
from __future__ import annotations

import re

from store.records import Anomaly, Indicator, Member, ParsedReport, Stat

FILE = "004_c4404687618f5804.txt"
TIER_RE = re.compile(r"^(领军城市|先锋城市|探索城市) \(([^)]*)\)\t(.+)$")
WEIGHT_RE = re.compile(r"([\u4e00-\u9fff]+?)(?:和([\u4e00-\u9fff]+?))?权重[^，；。]*?(?:分别)?占\s*([\d%和\s]+)")


def parse(text: str) -> ParsedReport:
    report = ParsedReport(
        key="sc2021",
        title="2021年智慧城市发展水平调查评估报告",
        publisher="中国软件评测中心",
        year=2021,
        edition=None,
        scale="发展水平指数 0–1；只公布梯队，不公布各城市指数",
        max_score="1",
        entity_count=0,
        source_file=FILE,
        subject="智慧城市",
        synonyms={"发展水平指数": ["智慧城市指数", "智慧城市发展指数", "发展指数"]},
    )
    lines = text.splitlines()
    report.indicators.append(Indicator("发展水平指数", 0, max_score="1", order=0))
    weights = _weights(text)
    level1: str | None = None
    in_avg = in_system = False
    order = 1
    for i, raw in enumerate(lines):
        line = raw.rstrip()
        m = TIER_RE.match(line)
        if m:
            tier = m[1][:2]
            names = m[3].split("、")
            for pos, name in enumerate(names, 1):
                report.members.append(Member("tier", tier, name, pos, level="city", line=i + 1))
            report.stats.append(Stat("tier:" + tier, "发展水平指数", "range", m[2], line, i + 1))
            continue
        if line.startswith("表 3-13"):
            in_avg = True
            continue
        if line.startswith("附表 智慧城市发展水平评估指标体系"):
            in_system, in_avg, level1 = True, False, None
            continue
        cells = line.split("\t")
        if in_avg:
            if cells[0] == "一级指标":
                continue
            if len(cells) < 3 or not re.fullmatch(r"0\.\d\d", cells[2].strip()):
                if line.strip():
                    in_avg = False
                continue
            if cells[0].strip():
                level1 = cells[0].strip()
                report.indicators.append(Indicator(level1, 1, "发展水平指数", weight=weights.get(level1), order=order))
                order += 1
                if len(cells) > 3 and cells[3].strip():
                    report.stats.append(Stat("全部", level1, "mean", cells[3].strip(), "表 3-13：样本城市各二级指标平均指数", i + 1))
            level2 = cells[1].strip()
            report.indicators.append(Indicator(level2, 2, level1, order=order))
            order += 1
            report.stats.append(Stat("全部", level2, "mean", cells[2].strip(), "表 3-13：样本城市各二级指标平均指数", i + 1))
        elif in_system:
            if cells[0] == "一级指标" or len(cells) < 3:
                continue
            if cells[0].strip():
                level1 = cells[0].strip()
            if cells[1].strip():
                level2 = cells[1].strip()
            third = cells[2].strip()
            if third:
                report.indicators.append(Indicator(third, 3, level2, order=order))
                order += 1
    for i, line in enumerate(lines):
        for m in re.finditer(r"(\d+)个样本城市的智慧城市发展水平平均指数为(0\.\d+)", line):
            report.stats.append(Stat("全部", "发展水平指数", "mean", m[2], line.strip(), i + 1))
            report.stats.append(Stat("全部", "发展水平指数", "count", m[1], line.strip(), i + 1))
        m = re.search(r"长三角经济圈和珠三角经济圈内[^。]*?平均指数分别为\s*(0\.\d+)\s*和\s*(0\.\d+)", line)
        if m:
            report.stats.append(Stat("circle:长三角", "发展水平指数", "mean", m[1], line.strip(), i + 1))
            report.stats.append(Stat("circle:珠三角", "发展水平指数", "mean", m[2], line.strip(), i + 1))
        m = re.search(r"紧扣\s*([A-Z]+\s*理论模型)", line)  # the model the indicator system is built on
        if m:
            report.stats.append(Stat("model", "发展水平指数", "model", m[1], line.strip(), i + 1))
        m = re.search(r"融合了[^：:]*[：:](.+?)，五大因素", line)  # what its letters stand for
        if m:
            report.stats.append(Stat("model", "发展水平指数", "model_meaning", m[1], line.strip(), i + 1))
        m = re.search(r"共设计有\s*(\d+)\s*个一级指标.*?(\d+)\s*个二级指标和\s*(\d+)\s*个三级指标", line)
        if m:  # the size of the indicator system as the text states it (the appendix lists fewer level-3 names)
            for level, count in zip(("一级指标", "二级指标", "三级指标"), m.groups()):
                report.stats.append(Stat("指标体系", level, "count", count, line.strip(), i + 1))
        m = re.search(r"京津冀经济圈的智慧城市发展平均指数为\s*(0\.\d+)", line)
        if m:
            report.stats.append(Stat("circle:京津冀", "发展水平指数", "mean", m[1], line.strip(), i + 1))
    report.entity_count = sum(1 for m in report.members if m.group_type == "tier")
    stated = re.search(r"(\d+)\s*个一级指标[^。]*?(\d+)\s*个二级指标和\s*(\d+)\s*个三级指标", text)
    levels = [sum(1 for i in report.indicators if i.level == n) for n in (1, 2, 3)]
    if stated and [int(x) for x in stated.groups()] != levels:
        line = text[: stated.start()].count("\n") + 1
        report.anomalies.append(Anomaly(line, f"正文称 {stated[1]} 个一级、{stated[2]} 个二级、{stated[3]} 个三级指标；"
                                              f"表 3-13 与附表可读出 {levels[0]}、{levels[1]}、{levels[2]} 个（附表有断行与错位）"))
    return report


def _weights(text: str) -> dict[str, str]:
    """Level-1 weights from the sentence of §2.2.1 (服务完备度和应用平台成熟度 … 分别占 30%和 25% …)."""
    sentence = next(s for s in text.split("。") if "权重" in s and "服务完备度" in s)
    found: dict[str, str] = {}
    for part in sentence.split("；"):
        names = re.findall(r"(服务完备度|应用平台成熟度|管理成熟度|技术支撑度|资源准备度)", part)
        values = re.findall(r"(\d+%)", part)
        found.update(zip(names, values))
    return found
