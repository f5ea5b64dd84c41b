"""Parser for the 2016 (sixth) smart-city evaluation: one tab-separated table of 201 cities.

Read with the csv module as text, so every value keeps its printed form (pandas did the
same with dtype=str, but importing it took 0.6 s of a 1.2 s `python -m store build`).
序列 is an alphabetical serial number, not a rank; ranks are computed at build
time from the scores (competition ranking) and marked as computed.
"""
from __future__ import annotations

import csv
import io
import re

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
    lines = [(number, fields) for number, fields in enumerate(csv.reader(io.StringIO(text), delimiter="\t"), 1)
             if fields]  # blank lines skipped, as read_csv did
    (_, header), body = lines[0], lines[1:]
    missing = [c for c in ["序列", "城市", *PARTS, "总分"] if c not in header]
    if missing:
        raise ValueError(f"{FILE}: columns missing: {missing}")
    rows = []
    for line, fields in body:
        values = dict(zip(header, fields + [""] * (len(header) - len(fields))))
        if values["序列"] == "序列":
            report.anomalies.append(Anomaly(line, "表头重复打印一次（序列 城市 …）"))
        elif re.fullmatch(r"\d+", values["序列"]):
            rows.append(values)
            for name in [*PARTS, "总分"]:
                report.scores.append(Score(values["城市"], name, values[name], TABLE, line, level="city"))
    report.entity_count = len(rows)
    return report
