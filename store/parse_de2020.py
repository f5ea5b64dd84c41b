"""Parser for 中国城市数字经济指数白皮书（2020年）(新华三).

Holds: the 148-city 数字经济指数 table (ranks 1–30 one row a line; ranks 31–148
printed as a block of ranks, a block of names and a block of scores, zipped here
and checked), the 50 市辖区 and 50 县市 tables (their captions are swapped in the
print; the column header 市区 / 县市 decides), the five city tiers (二线 printed
apart), the four clusters (names matched to member lists by the printed counts),
and the averages stated in the text.
"""
from __future__ import annotations

import re

from store.records import Anomaly, Indicator, Member, ParsedReport, Score, Stat

FILE = "003_5df1c8c77506a7d3.txt"
MAIN_TABLE = "城市评分及排名（148个城市）"
TIERS = ["一线", "新一线", "二线", "三线", "四线"]
# Cluster → member count, as the map legend prints them (line ~296-308).
CLUSTER_COUNTS_RE = re.compile(r"(京津冀|成渝地区|粤港澳大湾区|长三角地区)：\D*?(\d+)城")
CLUSTER_NAMES = {"京津冀": "京津冀", "成渝地区": "成渝", "粤港澳大湾区": "粤港澳大湾区", "长三角地区": "长三角"}
# Level-1 and level-2 indicators of the city index with their printed weights.
CITY_INDICATORS = [
    ("数据及信息化基础设施", "20%", ["信息基础设施 30%", "数据基础 50%", "运营基础 20%"]),
    ("城市服务", "35%", ["政策规划 15%", "建设运营 65%", "运营成效 20%"]),
    ("城市治理", "20%", ["政策规划 15%", "建设运营 65%", "运营成效 20%"]),
    ("产业融合", "25%", ["数字产业化 10%", "产业数字化 70%", "运营成效 20%"]),
]
# The 县域（市、区）system (appendix, line ~2412), which scores the 市辖区 and 县市 tables: three level-1 indicators.
COUNTY_SYSTEM = "县域（市、区）数字经济指标体系"
COUNTY_INDICATORS = [
    ("数据及信息化基础设施", "20%", ["信息基础设施 30%", "数据基础 50%", "运营基础 20%"]),
    ("服务与治理", "40%", ["政策规划 15%", "建设运营 65%", "运营成效 20%"]),
    ("产业融合", "40%", ["数字产业化 10%", "产业数字化 70%", "运营成效 20%"]),
]
AVERAGE_RES = [
    (re.compile(r"(数据及信息化基础设施|城市服务|城市治理|产业融合)平均得分为([\d.]+)分"), "全部"),
    (re.compile(r"本次评估中(\S+?数字化)整体平均得分为([\d.]+)分"), "全部"),
    (re.compile(r"本次评估中(数字产业化\S+?产业)整体平均得分为([\d.]+)分"), "全部"),
]
TRIPLE = re.compile(r"^(\d+) (\S+) (\d+\.\d)$")


def _report() -> ParsedReport:
    report = ParsedReport(
        key="de2020",
        title="中国城市数字经济指数白皮书（2020年）",
        publisher="新华三集团",
        year=2020,
        edition=None,
        scale="数字经济指数评分，满分 100",
        max_score="100",
        entity_count=0,
        source_file=FILE,
        subject="数字经济",
        synonyms={"数字经济指数": ["数字经济", "数字经济评分", "数字经济得分", "总分"]},
    )
    report.indicators.append(Indicator("数字经济指数", 0, max_score="100", order=0,
                                       description="城市数字经济指数评分（四项一级指标加权）"))
    for i, (name, weight, parts) in enumerate(CITY_INDICATORS, 1):
        report.indicators.append(Indicator(name, 1, parent="数字经济指数", weight=weight, order=i,
                                           description="、".join(p.replace(" ", " 权重") for p in parts)))
    county = []
    for name, weight, parts in COUNTY_INDICATORS:
        county.append(Indicator(name, 1, parent="数字经济指数", weight=weight, order=len(county)))
        for part in parts:  # a level-2 name recurs under several level-1s (运营成效): told apart by its parent
            part_name, part_weight = part.split(" ")
            county.append(Indicator(part_name, 2, parent=name, weight=part_weight, order=len(county)))
    report.other_system = (COUNTY_SYSTEM, ("市辖区", "县市"), county)
    return report


def _main_table(lines: list[str], report: ParsedReport) -> None:
    start = next((i for i, s in enumerate(lines) if s.strip().startswith("排名 城市 评分")), None)
    if start is None:
        raise ValueError(f"{FILE}: the 148-city table header (排名 城市 评分) is missing")
    end = next(i for i in range(start, len(lines)) if lines[i].strip() == "数据及信息化基础设施")
    runs: list[tuple[str, list[tuple[int, str]]]] = []

    def push(kind: str, i: int, text: str) -> None:
        if runs and runs[-1][0] == kind:
            runs[-1][1].append((i, text))
        else:
            runs.append((kind, [(i, text)]))

    for i in range(start, end):
        s = lines[i].strip()
        m = TRIPLE.match(s)
        if m:
            report.scores.append(Score(m[2], "数字经济指数", m[3], MAIN_TABLE, i + 1, rank_text=m[1], level="city"))
        elif re.fullmatch(r"\d+", s):
            push("rank", i, s)
        elif re.fullmatch(r"\d+\.\d", s):
            push("score", i, s)
        elif re.fullmatch(r"[\u4e00-\u9fff]+", s):
            push("name", i, s)
    for j in range(0, len(runs), 3):
        (k1, ranks), (k2, names), (k3, scores) = runs[j : j + 3]
        if (k1, k2, k3) != ("rank", "name", "score") or not len(ranks) == len(names) == len(scores):
            raise ValueError(f"{FILE}: scrambled block at line {ranks[0][0] + 1} does not zip")
        report.anomalies.append(Anomaly(ranks[0][0] + 1, f"排名 {ranks[0][1]} 起的 {len(ranks)} 行被拆成排名、城市、评分三段打印，且排名次序打乱；按顺序拼回"))
        for (_, rank), (ln, name), (_, score) in zip(ranks, names, scores):
            report.scores.append(Score(name, "数字经济指数", score, MAIN_TABLE, ln + 1, rank_text=rank, level="city"))


def _county_tables(lines: list[str], report: ParsedReport) -> None:
    scope = None
    for i, line in enumerate(lines):
        s = line.strip()
        if s.startswith("典型") and s.endswith("评分及排名"):
            printed = "市辖区" if "市辖区" in s else "县市"
            report.anomalies.append(Anomaly(i + 1, f"标题「{s}」与相邻表格不符：表头写的是「{'县市' if printed == '市辖区' else '市区'}」（两表标题互换）"))
        if s.startswith("排名 省份 "):
            scope = "市辖区" if " 市区 " in s else "县市"
            continue
        if scope is None:
            continue
        cells = s.split()
        if len(cells) not in (4, 8) or not cells[0].isdigit():
            if cells and not cells[0].isdigit() and len(s) > 20:
                scope = None if not s.startswith("排名") else scope
            continue
        for k in range(0, len(cells), 4):
            rank, province, name, score = cells[k : k + 4]
            caption = f"典型{scope}数字经济发展水平评分及排名"
            if scope == "市辖区":
                from store.gazetteer import strip_parent_prefix

                district, parent = strip_parent_prefix(name)
                report.scores.append(Score(district, "数字经济指数", score, caption, i + 1, scope=scope,
                                           rank_text=rank, parent=parent))
            else:
                report.scores.append(Score(name, "数字经济指数", score, caption, i + 1, scope=scope,
                                           rank_text=rank, parent=province))


def _name_list(chunk: str) -> list[str]:
    chunk = re.sub(r"\s*等\s*\d+\s*个市.*$", "", chunk)
    if "及" in chunk:
        chunk = chunk.split("及", 1)[1]
    return [n.strip() for n in chunk.split("、") if n.strip()]


def _lists(lines: list[str], start: int) -> list[tuple[int, list[str], int | None]]:
    """Blocks of 、-separated city names after `start`: (line, names, printed count)."""
    blocks: list[tuple[int, list[str], int | None]] = []
    current: list[str] = []
    first = 0
    for i in range(start, len(lines)):
        s = lines[i].strip()
        if not s:
            continue
        if s.count("、") >= 2:
            chunk = s.split(" ", 1)[1] if re.match(r"^\S+ \S+、", s) else s
            if not current:
                first = i + 1
            current += _name_list(chunk)
            m = re.search(r"等\s*(\d+)\s*个市", s)
            if m:
                blocks.append((first, current, int(m[1])))
                current = []
        else:
            if current:
                blocks.append((first, current, None))
                current = []
    if current:
        blocks.append((first, current, None))
    return blocks


def _tiers_and_clusters(text: str, lines: list[str], report: ParsedReport) -> None:
    start = next(i for i, s in enumerate(lines) if s.strip() == "城市画像名单")
    counts_at = next(i for i, s in enumerate(lines) if s.strip().startswith("数量 画像描述"))
    printed_counts = [int(s.strip()) for s in lines[counts_at:] if re.fullmatch(r"\d+", s.strip())][:5]
    blocks = _lists(lines, start)
    tier_blocks = [b for b in blocks if b[2] is None]
    cluster_blocks = [b for b in blocks if b[2] is not None]
    by_size = {len(names): (line, names) for line, names, _ in tier_blocks}
    for tier, count in zip(TIERS, printed_counts):
        line, names = by_size[count]
        for pos, name in enumerate(names, 1):
            report.members.append(Member("tier", tier, name, pos, level="city", line=line))
    report.anomalies.append(Anomaly(by_size[printed_counts[2]][0], "二线城市名单（69个）与其他画像名单分开打印，位于附录末尾"))
    cluster_size = {}
    for m in CLUSTER_COUNTS_RE.finditer(text.replace("\n", "")):
        cluster_size[CLUSTER_NAMES[m[1]]] = int(m[2])
    for line, names, count in cluster_blocks:
        # 粤港澳 counts 香港 and 澳门 in its 11, neither evaluated
        match = [c for c, n in cluster_size.items() if n in (count, len(names), count + 2)]
        cluster = match[0]
        for pos, name in enumerate(names, 1):
            report.members.append(Member("cluster", cluster, name, pos, level="city", line=line))
    report.anomalies.append(Anomaly(lines.index(next(s for s in lines if s.strip() == "长三角城市群")) + 1,
                                    "城市群名称（长三角、京津冀、粤港澳大湾区、成渝）与其右侧名单未对齐；按名单所注的城市个数配对"))


def _stats(text: str, lines: list[str], report: ParsedReport) -> None:
    for i, line in enumerate(lines):
        s = line.strip()
        for m in re.finditer(r"本次(?:所)?评估(?:的)?(\d+)个(城市|市辖区|县市)的?数字经济指数平均得分为([\d.]+)分", s):
            subject = "全部" if m[2] == "城市" else m[2]
            report.stats.append(Stat(subject, "数字经济指数", "mean", m[3], s, i + 1))
            report.stats.append(Stat(subject, "数字经济指数", "count", m[1], s, i + 1))
        for rx, subject in AVERAGE_RES:
            for m in rx.finditer(s):
                report.stats.append(Stat(subject, m[1], "mean", m[2], s, i + 1))
        for m in re.finditer(r"本次评估中(\S+?)整体平均得分为[\d.]+分，Top10城市平均得分为([\d.]+)分", s):
            report.stats.append(Stat("Top10", m[1], "mean", m[2], s, i + 1))
        if re.search(r"加权得分指.*加权计算", s):  # how the cluster scores are computed
            report.stats.append(Stat("cluster", "数字经济指数", "method", "GDP", s.lstrip("◎ "), i + 1))
        m = re.search(r"(京津冀|成渝地区|粤港澳大湾区|长三角地区)：", s)
        if m:
            following = [t.strip() for t in lines[i + 1 : i + 4] if t.strip()]
            nxt = s + (following[0] if following else "")
            w = re.search(r"区域加权([\d.]+)分", nxt)
            if w:
                sentence = nxt
                report.stats.append(Stat("cluster:" + CLUSTER_NAMES[m[1]], "数字经济指数", "weighted_mean", w[1], sentence, i + 1))


def parse(text: str) -> ParsedReport:
    report = _report()
    lines = text.splitlines()
    _main_table(lines, report)
    _county_tables(lines, report)
    _tiers_and_clusters(text, lines, report)
    _stats(text, lines, report)
    _tiers_against_scores(report)
    report.entity_count = sum(1 for s in report.scores if s.scope == "全部")
    return report


TIER_ORDER = ("一线", "新一线", "二线", "三线", "四线")


def _tiers_against_scores(report: ParsedReport) -> None:
    """A city of a lower tier scoring above one of the tier above it: the lists and the index disagree."""
    score = {s.entity: float(s.value_text) for s in report.scores if s.scope == "全部" and s.indicator == "数字经济指数"}
    members = {tier: [(m.entity, m.line or 0) for m in report.members if m.group_type == "tier" and m.group_name == tier]
               for tier in TIER_ORDER}
    for higher, lower in zip(TIER_ORDER, TIER_ORDER[1:]):
        up = [(score[n], n) for n, _ in members[higher] if n in score]
        down = [(score[n], n, line) for n, line in members[lower] if n in score]
        if up and down and max(down)[0] > min(up)[0]:
            top_down, bottom_up = max(down), min(up)
            above = sum(1 for v, _, _ in down if v > bottom_up[0])
            report.anomalies.append(Anomaly(top_down[2], f"城市画像名单与指数不一致：{lower}城市 {top_down[1]} {top_down[0]:g} "
                                                         f"高于{higher}城市 {bottom_up[1]} {bottom_up[0]:g}（{lower}中共 {above} 个"
                                                         f"高于{higher}的最低分）"))
