"""Parser for the 2016 (sixth) smart-city evaluation: one table of 201 cities.

序列 is an alphabetical serial number, not a rank; ranks are computed at build
time from the scores (competition ranking) and marked as computed.
"""
from __future__ import annotations

from store.records import Anomaly, Indicator, ParsedReport, Score

FILE = "000_5d3fb5ee24b98685.txt"
TABLE = "2016 中国智慧城市发展水平评估得分表"
PARTS = ["智慧基础设施", "智慧治理", "智慧民生", "智慧经济", "智慧人群", "保障体系", "加分项", "减分项"]


def parse(text: str) -> ParsedReport:
    report = ParsedReport(
        key="sc2016",
        title="2016 (第六届) 中国智慧城市发展水平评估",
        publisher="国脉互联智慧城市研究中心",
        year=2016,
        edition="第六届",
        scale="总分 = 六项一级指标 + 加分项 + 减分项",
        max_score=None,
        entity_count=0,
        source_file=FILE,
        subject="智慧城市",
        synonyms={"智慧治理": ["智慧管理"], "智慧民生": ["智慧服务"]},
    )
    report.indicators = [Indicator("总分", 0, order=0)] + [
        Indicator(name, 1, parent="总分", order=i + 1) for i, name in enumerate(PARTS)
    ]
    header = None
    count = 0
    for lineno, line in enumerate(text.splitlines(), 1):
        cells = line.split("\t")
        if cells[0] == "序列":
            if header is not None:
                report.anomalies.append(Anomaly(lineno, "表头重复打印一次（序列 城市 …）"))
            header = cells
            continue
        if header is None or len(cells) != len(header) or not cells[0].isdigit():
            continue
        count += 1
        city = cells[1]
        for name, value in zip(header[2:], cells[2:]):
            report.scores.append(Score(city, name, value, TABLE, lineno, level="city"))
    report.entity_count = count
    return report
