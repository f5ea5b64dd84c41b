"""Parser for the 2020 government-website performance evaluation (CSTC).

Six ranked tables (直辖市, 省/自治区, 副省级城市, 省会城市, 地市, 区县), each
printed in page-sized pieces with the header repeated; page-footer text sits
between them.  Ranks are dense, as printed.
"""
from __future__ import annotations

import re

from store.records import Anomaly, Indicator, ParsedReport, Score

FILE = "002_560c1a2fb1a7e136.txt"
INDICES = ["信息发布指数", "数据开放指数", "解读回应指数", "办事服务指数", "互动交流指数",
           "管理保障指数", "功能推广指数", "创新案例指数"]
SECTIONS = [  # heading text → (scope, level of the listed entities, caption)
    ("直辖市政府网站评估结果", "直辖市", "city", "直辖市政府网站评估结果"),
    ("省、自治区政府网站评估结果", "省/自治区", "province", "省、自治区政府网站评估结果（前20名）"),
    ("副省级城市政府网站评估结果", "副省级城市", "city", "副省级城市政府网站评估结果"),
    ("省会城市政府网站评估结果", "省会城市", "city", "省会城市政府网站评估结果（前20名）"),
    ("地市政府网站评估结果", "地市", "city", "地市政府网站评估结果（前100名）"),
    ("区县政府网站评估结果", "区县", None, "区县政府网站评估结果（前100名）"),
]
FOOTERS = ("CSTC中国评测", "中国软件评测中心")


def parse(text: str) -> ParsedReport:
    report = ParsedReport(
        key="gw2020",
        title="2020 政府网站绩效评估结果",
        publisher="中国软件评测中心 (CSTC)",
        year=2020,
        edition=None,
        scale="各项指数 0–1，总分满分 100",
        max_score="100",
        entity_count=0,
        source_file=FILE,
        subject="政府网站",
        synonyms={"总分": ["政府网站得分", "政府网站绩效"]},
    )
    report.indicators = [Indicator("总分", 0, max_score="100", order=0)] + [
        Indicator(name, 1, parent="总分", max_score="1", order=i + 1) for i, name in enumerate(INDICES)
    ]
    section = None
    header: list[str] | None = None
    names: set[tuple[str, str | None]] = set()
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        for heading, scope, level, caption in SECTIONS:
            if heading in stripped and not stripped.startswith("排名") and len(stripped) < 30:
                section = (scope, level, caption)
                header = None
        if stripped in FOOTERS and section and section[0] == "区县" and header:
            report.anomalies.append(Anomaly(lineno, f"页脚文字「{stripped}」夹在区县表格中间"))
        cells = line.split("\t")
        if cells[0] == "排名":
            header = cells
            continue
        if not section or not header or not re.fullmatch(r"\d+", cells[0]) or len(cells) != len(header):
            continue
        scope, level, caption = section
        row = dict(zip(header, cells))
        parent = row.get("所属城市")
        names.add((row["名称"], parent))
        for col in header:
            if col == "总分" or col in INDICES:
                rank = cells[0] if col == "总分" else None
                report.scores.append(Score(row["名称"], col, row[col], caption, lineno, scope=scope,
                                           rank_text=rank, parent=parent, level=level))
    report.entity_count = len(names)
    return report
