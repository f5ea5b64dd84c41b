"""Parser for the 2015 (fifth) smart-city evaluation report (国脉互联, 2015-11).

The report prints many tables; each is recognised by its header row and named by
the caption (图表 N …) printed above it:
overall ranking, 历届前十名, five regional tables, the provincial table, three
admin-level tables, one table per level-1 indicator (with its level-2 parts and
得分率), one per level-2 indicator (two cities per printed row), the 2014-vs-2015
top-ten tables, and 附件1 (all 16 level-2 scores of all 151 cities).
Averages stated in the text are taken with the sentence they come from.
"""
from __future__ import annotations

import re
from collections import defaultdict

from store.records import Anomaly, Indicator, Member, ParsedReport, Score, Stat

FILE = "001_538fd9eeac6a60e1.txt"
LEVEL1 = {  # level-1 indicator → (weight as printed in the text, level-2 parts in 附件1 order)
    "智慧基础设施": ["基础网络建设水平", "基础信息资源建设与共享", "城市云平台应用情况"],
    "智慧管理": ["政府在线服务水平", "公共资源交易平台", "社会化媒体参与度"],
    "智慧服务": ["社会化民生服务水平", "数据开放服务水平"],
    "智慧经济": ["城市创新创业水平", "经济产出能耗水平", "互联网产业发展水平"],
    "智慧人群": ["信息服务业从业人员情况", "市民生活网络化水平"],
    "保障体系": ["发展规划制定情况", "市民信息化宣传培训", "绩效考核情况"],
}
LEVEL2 = [p for parts in LEVEL1.values() for p in parts]
PARENT = {p: l1 for l1, parts in LEVEL1.items() for p in parts}
CAPTION_RE = re.compile(r"^图表\s*(\d+)\s*(.+?)\s*$")
REGION_NAMES = ("华东", "华南", "华北", "东北", "华中", "西北", "西南")
ADMIN_TABLE_SCOPE = {"直辖市及计划单列市": "直辖市及计划单列市", "省会城市": "省会城市", "地级市": "地级市"}
ADMIN_TEXT = {"直辖市": "直辖市", "计划单列市": "计划单列市", "省会城市": "省会城市", "地市级城市": "地级市",
              "地级市": "地级市", "四个直辖市": "直辖市", "五个计划单列市": "计划单列市"}
NUM = r"(\d+(?:\.\d+)?)"


def _report() -> ParsedReport:
    report = ParsedReport(
        key="sc2015",
        title="2015 (第五届) 中国智慧城市发展水平评估报告",
        publisher="中国社会科学院信息化研究中心、国脉互联智慧城市研究中心",
        year=2015,
        edition="第五届",
        scale="满分 105 分（含加分项 5 分）",
        max_score="105",
        entity_count=0,
        source_file=FILE,
        subject="智慧城市",
        synonyms={"智慧管理": ["智慧治理"], "智慧服务": ["智慧民生"]},
    )
    return report


def _indicators(text: str) -> list[Indicator]:
    """Level-1 weights are printed as "(权重为 20 分)" in each chapter's first paragraph."""
    weights: dict[str, str] = {}
    for m in re.finditer(r"(智慧基础设施|智慧管理|智慧服务|智慧经济|智慧人群|保障体系)(?:指标)?的整体平均得分为\s*[\d.]+\s*分[（(]权重为\s*(\d+)\s*分", text):
        weights[m[1]] = m[2]
    out = [Indicator("总分", 0, max_score="105", order=0)]
    order = 1
    for l1, parts in LEVEL1.items():
        out.append(Indicator(l1, 1, "总分", max_score=weights.get(l1), order=order,
                             description="、".join(parts)))
        order += 1
        for p in parts:
            out.append(Indicator(p, 2, l1, order=order))
            order += 1
    out.append(Indicator("加分项", 1, "总分", max_score="5", order=order))
    return out


class _Parser:
    def __init__(self, text: str, report: ParsedReport):
        self.lines = text.splitlines()
        self.report = report
        self.caption = ""
        self.kind: str | None = None
        self.header: list[str] = []
        self.section_indicator = "总分"
        self.seen: dict[tuple[str, str], int] = {}
        self.weights: dict[str, str] = {}

    def add(self, **kw) -> None:
        kw.setdefault("level", "city")  # every entity this report scores is a city
        self.report.scores.append(Score(**kw))

    def run(self) -> None:
        for i, raw in enumerate(self.lines):
            lineno = i + 1
            line = raw.rstrip("\n")
            stripped = line.strip()
            m = CAPTION_RE.match(stripped)
            if m and not re.search(r"\s-\s*\d+\s*-$", stripped) and "....." not in stripped:
                self.caption = stripped
                self.kind = None
                continue
            self._track_section(stripped)
            self._text_stats(stripped, lineno)
            self._indicator_change(line, lineno)
            cells = line.split("\t")
            kind = self._header_kind(cells)
            if kind:
                self.kind = kind
                self.header = cells
                continue
            if self.kind == "level1" and len(cells) > 2 and not cells[0].strip() and cells[2].strip():
                self._check_subheader(cells, lineno)
                continue
            if self.kind and cells and re.fullmatch(r"\d+", cells[0].strip()):
                getattr(self, "_row_" + self.kind)(cells, lineno)
            elif self.kind == "vs" and cells and cells[0].strip() == "" and len(cells) >= 6 and cells[3].strip().isdigit():
                self._row_vs(cells, lineno)

    # --- recognising tables -------------------------------------------------
    def _header_kind(self, cells: list[str]) -> str | None:
        head = [c.strip() for c in cells]
        if not head or head[0] not in ("排名", "单项排名"):
            return None
        if len(head) > 2 and head[1] == "城市" and head[2] == "智慧基础设施" and "智慧管理" in head:
            return "overall"
        if len(head) > 1 and head[1].startswith("第一届"):
            return "editions"
        if head[1:3] == ["地区", "城市"]:
            return "region"
        if head[1:3] == ["省份", "入评城市个数"]:
            return "province"
        if head[1:3] == ["类别", "城市"]:
            return "admin"
        if len(head) > 2 and head[1] == "一级指标":
            return "annex"
        if len(head) > 1 and head[1] == "城市" and head[2] in LEVEL1:
            return "level1"
        if len(head) > 1 and re.match(r"2014\s*年", head[1]):
            return "vs"
        if len(head) >= 4 and head[1] == "城市" and head[3] == "得分率":
            return "level2"
        return None

    def _caption_title(self) -> str:
        m = CAPTION_RE.match(self.caption)
        return m[2] if m else self.caption

    def _caption_indicator(self) -> str:
        title = re.sub(r"^20\d\d\s*年\s*", "", self._caption_title())
        for name in sorted(LEVEL2 + list(LEVEL1), key=len, reverse=True):
            if title.startswith(name):
                return name
        raise ValueError(f"{FILE}: no indicator in caption {self.caption!r}")

    # --- rows -----------------------------------------------------------------
    def _check_subheader(self, cells: list[str], lineno: int) -> None:
        printed = [re.sub(r"\s+", "", c).removesuffix("得分") for c in cells if c.strip()]
        l1 = self._caption_indicator()
        if printed != LEVEL1[l1] and (l1, "subheader") not in self.seen:
            self.seen[(l1, "subheader")] = lineno
            self.report.anomalies.append(Anomaly(lineno, f"{self._caption_title()}：二级指标表头印作「{'、'.join(printed)}」，实为「{'、'.join(LEVEL1[l1])}」（按附件1核对）"))

    def _row_overall(self, cells: list[str], lineno: int) -> None:
        rank, city, *values = [c.strip() for c in cells]
        names = [h.strip() for h in self.header[2:]]
        for name, value in zip(names, values):
            self.add(entity=city, indicator=name, value_text=value, table=self.caption, line=lineno,
                     rank_text=rank if name == "总分" else None)

    def _row_editions(self, cells: list[str], lineno: int) -> None:
        rank = int(cells[0])
        for header, name in zip(self.header[1:], cells[1:]):
            year = re.search(r"(20\d\d)", header)[1]
            printed = name.strip().replace(" ", "")
            if printed:
                self.report.members.append(Member("top10", year, printed, rank, level="city", line=lineno))
                if " " in name.strip():
                    self.report.anomalies.append(Anomaly(lineno, f"历届前十名表中「{name.strip()}」被断行，按「{printed}」读取"))

    def _row_region(self, cells: list[str], lineno: int) -> None:
        rank, region, city, total, rate = [c.strip() for c in cells[:5]]
        scope = re.search(r"年\s*(\S+?)地区", self._caption_title())[1]
        self.add(entity=city, indicator="总分", value_text=total, table=self.caption, line=lineno,
                 scope=scope, rank_text=rank, rate_text=rate)
        self.report.members.append(Member("region", region, city, None, level="city", line=lineno))
        if scope != region:
            self.report.members.append(Member("region", scope, city, None, level="city", line=lineno))

    def _row_province(self, cells: list[str], lineno: int) -> None:
        rank, province, count, mean = [c.strip() for c in cells[:4]]
        sentence = f"{self.caption}：第{rank}名 {province}，入评城市 {count} 个，参考平均分 {mean}"
        self.report.stats.append(Stat("province:" + province, "总分", "mean", mean, sentence, lineno))
        self.report.stats.append(Stat("province:" + province, "总分", "count", count, sentence, lineno))
        self.report.stats.append(Stat("province:" + province, "总分", "rank", rank, sentence, lineno))

    def _row_admin(self, cells: list[str], lineno: int) -> None:
        rank, kind, city, total, rate = [c.strip() for c in cells[:5]]
        title = self._caption_title()
        scope = next(v for k, v in ADMIN_TABLE_SCOPE.items() if k in title)
        self.add(entity=city, indicator="总分", value_text=total, table=self.caption, line=lineno,
                 scope=scope, rank_text=rank, rate_text=rate)
        admin = {"省会": "省会城市"}.get(kind, kind)
        self.report.members.append(Member("admin_level", admin, city, None, level="city", line=lineno))

    def _row_level1(self, cells: list[str], lineno: int) -> None:
        values = [c.strip() for c in cells]
        rank, city = values[0], values[1]
        l1 = self._caption_indicator()
        parts = LEVEL1[l1]
        nums = [v for v in values[2:] if v]
        *part_values, total, rate = nums
        if len(part_values) != len(parts):
            raise ValueError(f"{FILE}:{lineno}: {len(part_values)} parts for {l1}")
        for name, value in zip(parts, part_values):
            self.add(entity=city, indicator=name, value_text=value, table=self.caption, line=lineno)
        self.add(entity=city, indicator=l1, value_text=total, table=self.caption, line=lineno,
                 rank_text=rank, rate_text=rate)

    def _row_vs(self, cells: list[str], lineno: int) -> None:
        values = [c.strip() for c in cells]
        l1 = re.search(r"年\s*(\S+)", self.header[4].strip())[1]
        for rank, city, rate, year in ((values[0], values[1], values[2], 2014), (values[3], values[4], values[5], 2015)):
            for name in filter(None, city.split("、")):  # tied cities can share one cell
                self.add(entity=name, indicator=l1, value_text=rate, table=self.caption, line=lineno,
                         scope="前十", rank_text=rank, year=year, measure="rate")

    def _row_level2(self, cells: list[str], lineno: int) -> None:
        name = self._caption_indicator()
        values = [c.strip() for c in cells]
        for k in (0, 4):
            chunk = values[k : k + 4]
            if len(chunk) == 4 and chunk[0].isdigit():
                rank, city, value, rate = chunk
                key = (name, city)
                if key in self.seen:
                    self.report.anomalies.append(Anomaly(lineno, f"{self._caption_title()}：{city} 重复列出（另见第 {self.seen[key]} 行）"))
                    continue
                self.seen[key] = lineno
                self.add(entity=city, indicator=name, value_text=value, table=self.caption, line=lineno,
                         rank_text=rank, rate_text=rate)

    def _row_annex(self, cells: list[str], lineno: int) -> None:
        values = [c.strip() for c in cells]
        rank, city, *nums = values
        names = LEVEL2 + ["加分项", "总分"]
        if len(nums) != len(names):
            raise ValueError(f"{FILE}:{lineno}: 附件1 row has {len(nums)} values")
        for name, value in zip(names, nums):
            self.add(entity=city, indicator=name, value_text=value, table="附件 1：2015 中国智慧城市发展水平评估得分表",
                     line=lineno, rank_text=rank if name == "总分" else None, scope="附件1")

    # --- text ------------------------------------------------------------------
    def _track_section(self, s: str) -> None:
        m = re.match(r"^[一二三四五六七八九十]+、(\S+?)分析$", s)
        if m and m[1] in LEVEL1:
            self.section_indicator = m[1]
            return
        m = re.match(r"^\d+、(\S+)$", s)
        if m and m[1] in LEVEL2:
            self.section_indicator = m[1]
        elif re.match(r"^[一二三四五六七八九十]+、", s):
            self.section_indicator = "总分"

    CHANGE_KINDS = {"原有指标修改": "changed", "新增指标": "added", "删除指标": "removed"}

    def _indicator_change(self, line: str, lineno: int) -> None:
        """图表 4 (修改说明表): each indicator changed, added or removed since 2014, with the printed note."""
        if "修改说明表" in self.caption and "\t" in line:
            first, _, rest = line.partition("\t")
            self.change_kind = self.CHANGE_KINDS.get(first.strip(), getattr(self, "change_kind", None))
            name, _, note = rest.partition("\t")
            if self.change_kind and name.strip() and note.strip():
                self.report.stats.append(Stat("changes:2014", name.strip(), self.change_kind, name.strip(),
                                              note.strip(), lineno))

    def _text_stats(self, s: str, lineno: int) -> None:
        if len(s) < 20 or s.startswith(("排名", "单项排名")):
            return
        stats = self.report.stats
        ind = self.section_indicator
        weight = re.search(r"权重(?:也)?由\s*(\d+)\s*分(?:增加|提高|上调|降|减少|降低|下调)(?:至|到)了?\s*(\d+)\s*分", s)
        if weight and ind != "总分":  # 保障体系…权重也由10分增加到了15分: the weight against 2014's
            stats.append(Stat("changes:2014", ind, "weight_2014", weight[1], s, lineno))
            stats.append(Stat("changes:2014", ind, "weight_2015", weight[2], s, lineno))
        method = re.match(r"[（(]\d[)）]\s*\*{0,2}(\S{2,6}?)[：:]\*{0,2}", s)  # 资料收集方法: (1) 文献调查：…
        if method and method[1].endswith(("调查", "监测", "统计", "采集")):
            stats.append(Stat("collection", "总分", "method", method[1], s, lineno))
        model = re.search(r"即\s*([A-Z]+\s*智慧城市评估模型)", s)  # the model the evaluation is built on
        if model:
            stats.append(Stat("model", "总分", "model", model[1], s, lineno))
        earlier = re.search(r"由(20\d\d)年的(\d+)个城市增加到", s)  # the edition before's size, as this one states it
        if earlier:
            stats.append(Stat(f"edition:{earlier[1]}", "总分", "count", earlier[2], s, lineno))
        w = re.search(r"[（(]权重为\s*(\d+)\s*分", s)
        if w and ind != "总分":
            self.weights.setdefault(ind, w[1])
        if ind == "总分":
            m = re.search(r"满分为\s*105\s*分,\s*平均得分为\s*" + NUM, s)
            if m:
                stats.append(Stat("全部", "总分", "mean", m[1], s, lineno))
            m = re.search(r"本届(\S+?)地区入评城市有\s*(\d+)\s*个，平均(?:成绩|城市|得分)为\s*" + NUM, s)
            if m:
                region = m[1].replace("、", "与")
                stats.append(Stat("region:" + region, "总分", "mean", m[3], s, lineno))
                stats.append(Stat("region:" + region, "总分", "count", m[2], s, lineno))
            m = re.search(r"包括(\d+)个(省会城市|地市级城市)，平均得分为\s*" + NUM, s)
            if m:
                subject = "admin_level:" + ADMIN_TEXT[m[2]]
                stats.append(Stat(subject, "总分", "mean", m[3], s, lineno))
                stats.append(Stat(subject, "总分", "count", m[1], s, lineno))
            return
        other = r"(?:(?!华东|华南|华北|东北|华中|西北|西南)[^。；;]){0,16}?"
        for m in re.finditer(r"(华东|华南|华北|东北|华中|西北|西南)地区" + other + r"平均(?:分数|得分|成绩|分)(?:达到|为|是)?\s*" + NUM + r"\s*分?", s):
            stats.append(Stat("region:" + m[1], ind, "mean", m[2], s, lineno))
        m = re.search(r"直辖市及计划单列市[^。；;]{0,12}?平均得分分别为\s*" + NUM + r"\s*分和\s*" + NUM, s)
        if m:
            stats.append(Stat("admin_level:直辖市", ind, "mean", m[1], s, lineno))
            stats.append(Stat("admin_level:计划单列市", ind, "mean", m[2], s, lineno))
        for m in re.finditer(r"(四个直辖市|五个计划单列市|直辖市|计划单列市|省会城市|地市级城市)(?:的得分遥遥领先[,，])?平均得分(?:为|仅)?\s*" + NUM, s):
            stats.append(Stat("admin_level:" + ADMIN_TEXT[m[1]], ind, "mean", m[2], s, lineno))
        m = re.search(r"(?:整体平均得分|总体平均得分|全国平均(?:成绩|分|得分))(?:为|是)?\s*" + NUM + r"\s*分", s)
        if m:
            stats.append(Stat("全部", ind, "mean", m[1], s, lineno))


def _check_stats(report: ParsedReport) -> None:
    """Flag admin-level averages that one indicator's text copies from another's."""
    by_ind: dict[str, dict[str, str]] = defaultdict(dict)
    lines: dict[str, int] = {}
    for st in report.stats:
        if st.subject in ("admin_level:省会城市", "admin_level:地级市") and st.indicator in LEVEL1:
            by_ind[st.indicator][st.subject] = st.value_text
            lines[st.indicator] = st.line
    items = list(by_ind.items())
    for i, (a, va) in enumerate(items):
        for b, vb in items[i + 1 :]:
            if len(va) == 2 and va == vb:
                report.anomalies.append(Anomaly(lines[b], f"正文中{b}的省会城市、地级市平均分（{vb['admin_level:省会城市']}、{vb['admin_level:地级市']}）与{a}的完全相同，疑为照抄；按原文保留"))


def _cross_check(report: ParsedReport) -> None:
    """Record where one table of the report disagrees with another about the same city."""
    annex = {(s.entity, s.indicator): s for s in report.scores if s.scope == "附件1"}
    overall_rank = {s.entity: s for s in report.scores if s.scope == "全部" and s.indicator == "总分" and s.rank_text}
    for city, s in overall_rank.items():
        a = annex.get((city, "总分"))
        if a and a.rank_text != s.rank_text:
            report.anomalies.append(Anomaly(s.line, f"{city} 的总排名在总排名表中为第{s.rank_text}名，在附件1（第 {a.line} 行）中为第{a.rank_text}名"))
    ranked_tables: dict[str, set[str]] = defaultdict(set)
    first_line: dict[str, int] = {}
    for s in report.scores:
        if s.scope == "全部" and s.indicator in LEVEL2 and s.rank_text:
            ranked_tables[s.indicator].add(s.entity)
            first_line.setdefault(s.indicator, s.line)
    annex_cities = {c for c, ind in annex if ind == "总分"}
    for ind, cities in ranked_tables.items():
        for city in sorted(annex_cities - cities):
            report.anomalies.append(Anomaly(first_line[ind], f"{ind}得分排名表缺少 {city}（其分值见附件1）"))


def parse(text: str) -> ParsedReport:
    report = _report()
    report.indicators = _indicators(text)
    parser = _Parser(text, report)
    parser.run()
    for ind in report.indicators:
        ind.max_score = ind.max_score or parser.weights.get(ind.name)
    by_name = {ind.name: ind for ind in report.indicators}
    for l1, parts in LEVEL1.items():
        weights = [by_name[p].max_score for p in parts]
        if all(weights) and by_name[l1].max_score and sum(map(int, weights)) != int(by_name[l1].max_score):
            report.anomalies.append(Anomaly(0, f"{l1}权重为 {by_name[l1].max_score} 分，而正文所列二级指标权重（{'、'.join(f'{p} {w}' for p, w in zip(parts, weights))}）之和为 {sum(map(int, weights))} 分"))
    _check_stats(report)
    _cross_check(report)
    report.entity_count = sum(1 for s in report.scores if s.indicator == "总分" and s.scope == "全部")
    return report
