"""Answers over many cities: group averages, top/bottom lists, numeric filters."""
from __future__ import annotations

import copy
from dataclasses import dataclass

from bot.choose import EngineBase
from bot.reply import HISTORY_YEARS, LABEL, SCOPE, Reply, bound_text, fmt_number, partial_table, quote_clause, within
from nlu.frame import Frame
from store.catalogue import HISTORY_REPORT
from store.query import GroupMean, Value


@dataclass
class AtPlace:
    """Who a table prints at place k (from the bottom: by value), everyone sharing it; `tiered`: their tiers asked."""

    report: str
    where: str
    rows: list[Value]
    k: int
    bottom: bool
    tiered: bool


@dataclass
class TableTop:
    """A table's first (or last) n."""

    where: str
    indicator: str
    rows: list[Value]
    n: int
    bottom: bool


@dataclass
class FromFullTable:
    """A category's or region's rows, taken from the full table (its own table prints no such column)."""

    where: str
    named: str
    rows: list[Value]


@dataclass
class ShortTable:
    """A table with fewer places than the place asked."""

    where: str
    size: int


@dataclass
class NoColumn:
    """A table that prints no column for the indicator asked."""

    report: str
    scope: str
    indicator: str


@dataclass
class Filtered:
    """A table's members within bounds (`condition`: the bounds as a phrase)."""

    where: str
    condition: str
    rows: list[Value]


@dataclass
class MeanOf:
    """A group's mean in a report: its heading, the group as the store reads it (type, scope) and the figures
    (store.query.GroupMean: the printed one and the one computed from the members)."""

    report: str
    indicator: str
    heading: str
    group_type: str
    scope: str
    mean: GroupMean


class ListAnswers(EngineBase):
    """Intents whose answer is a list or an average over a group."""

    # --- groups ---------------------------------------------------------------------------
    def _group_of(self, f: Frame, report: str) -> tuple[str, str, str]:
        """(group_type, group_name, label) the average is over; ('all', '全部', '全部城市') by default."""
        for gtype, gname in f.groups:
            if gtype == "top":
                return gtype, gname, f"前{gname[3:]}名城市"
            if gtype == "parent":
                return gtype, gname, f"{self._name(gname)}各区县"
            facts = self.catalogue(report)
            if gtype == "cluster" and facts.circle_type:
                circle = facts.circle_names.get(gname, gname)
                return facts.circle_type, circle, circle + "经济圈"
            return gtype, gname, gname
        for m in f.mentions:
            e = self.store.entity(m.candidates[0])
            if e.kind == "province":
                return "province", e.province, e.full_name
        return "all", "全部", "全部城市"

    def _region_avg(self, f: Frame) -> Reply:
        keys, problem = self._reports(f)
        if problem:
            return Reply(problem, "no_data", "region_avg", facts=[str(y) for y in f.years])
        named = [g for g in f.groups if g[0] in ("cluster", "region")]
        if named:  # 成渝的加权得分: a report that has that group
            keys = [k for k in keys if any(named[0][1] in self.store.group_names(k, t)
                                           for t in (named[0][0], self.catalogue(k).circle_type) if t)] or keys
        result = self._mean_of(f, keys[0])
        rendered = self._mean_lines(result)
        if rendered is None:
            return Reply(f"{result.heading}：报告没有给出这个平均数，也没有可以计算的各城市数据。", "no_data", "region_avg",
                         context=self._context(f))
        text, facts = rendered
        return Reply(text, "ok", "region_avg", facts=facts, context=self._context(f))

    def _mean_of(self, f: Frame, report: str) -> MeanOf:
        """A group's mean in a report, evaluated: the group the question names (a category with a table of its own
        is that table), the printed figure and the one computed from its members (store.query.GroupMean)."""
        indicator, note = self._indicator(f, report)
        gtype, gname, label = self._group_of(f, report)
        scope = "全部"
        if gtype == "admin_level" and self.catalogue(report).category_tables and (report, gname) in SCOPE:
            scope, gtype = SCOPE[(report, gname)], "all"  # a category with a ranking table of its own
            inner = self._group_of(_without_group(f, ("admin_level", gname)), report)
            if inner[0] != "all":  # 江苏县市的平均分: a province (or cluster) inside that category's table
                gtype, gname, label = inner[0], inner[1], f"{scope}·{inner[2]}"
        mean = self.store.group_mean(report, indicator, gtype, gname, scope)
        if mean.printed is None and gtype == "all" and not mean.members:
            mean.printed = next(iter(self.store.stats(report, "全部", indicator, "mean")), None)
        label += "城市" if gtype == "tier" else ""
        heading = f"{LABEL[report]}·{label}" + ("" if indicator in LABEL[report] else f" {indicator}") + note  # 数字经济指数
        return MeanOf(report, indicator, heading, gtype, scope, mean)

    def _mean_lines(self, result: MeanOf) -> tuple[str, list[str]] | None:
        """「…：报告所印平均为 45.2；按表中 57 个城市的数据计算，简单平均为 45.18。原文：「…」」 and the facts; None
        when there is neither a printed nor a computable figure."""
        mean, gtype, scope = result.mean, result.group_type, result.scope
        facts, parts = [], []
        if mean.printed:
            kind = "GDP 加权得分" if mean.printed.kind == "weighted_mean" else "平均"
            parts.append(f"报告所印{' ' if kind[0].isascii() else ''}{kind}为 {mean.printed.value_text}")
            facts.append(mean.printed.value_text)
        if mean.computed is not None and mean.count:
            unit = "区县" if gtype == "parent" else {"市辖区": "市辖区", "县市": "县市", "区县": "区县", "省/自治区": "省区"}.get(scope, "城市")
            partial = partial_table(mean.members[0].table) if mean.members else None
            cover = f"（该表只列出{partial}）" if partial else ""
            parts.append(f"按表中 {mean.count} 个{unit}的数据计算{cover}，简单平均为 {fmt_number(mean.computed)}")
            facts += [fmt_number(mean.computed), str(mean.count)]
        if not parts:
            return None
        if not mean.printed:
            parts.insert(0, "报告未印此平均数")
        text = f"{result.heading}：" + "；".join(parts) + "。"
        if mean.printed:
            text += f"\n原文：「{quote_clause(mean.printed.sentence, mean.printed.value_text)}」"
        return text, facts

    # --- lists --------------------------------------------------------------------------------
    def _history_by_indicator(self, f: Frame, year: int) -> Reply | None:
        """「2014年智慧经济第一」: the 2015 report's 2014-vs-2015 top-ten table of a level-1 indicator."""
        asked = [c for _, cands in f.indicators for c in cands if self._indicator_in(HISTORY_REPORT, c)]
        rows = self.store.table(HISTORY_REPORT, asked[0], "前十", year=year, measure="rate") if asked else []
        if not rows:
            return None
        n = f.n or 10
        hit = [v for v in rows if v.rank == f.position] if f.position else [v for v in rows if v.rank <= n]
        if not hit:
            why = "（前面有并列）" if f.position and f.position <= rows[-1].rank else "，只留下前十名"
            return Reply(f"{year} 年{asked[0]}前十名表中没有第{f.position}名{why}。", "no_data", "top",
                         facts=[str(year)], context=self._context(f))
        if f.position:
            names = "、".join(v.entity for v in hit)
            tie = "（并列）" if len(hit) > 1 else ""
            head = f"{year} 年{asked[0]}第{f.position}名{tie}：{names}，得分率 {hit[0].value_text}"
        else:
            head = f"{year} 年{asked[0]}前{min(n, 10)}名（得分率）：" + "；".join(
                f"{v.rank}. {v.entity} {v.value_text}" for v in hit)
        text = f"{head}。来源：2015 年报告·{rows[0].table}"
        return Reply(text, "ok", "top", facts=[str(year)] + [v.value_text for v in hit],
                     context=self._listed(f, [v.entity_id for v in hit], bool(f.position)))

    def _history(self, f: Frame) -> Reply:
        year = next(y for y in f.years if y in HISTORY_YEARS)
        by_indicator = self._history_by_indicator(f, year)
        if by_indicator:
            return by_indicator
        parts = [c for _, cands in f.indicators for c in cands if self._indicator_in(HISTORY_REPORT, c)
                 and c != self._total(HISTORY_REPORT)]
        if parts:  # 2013年智慧经济前十: only the overall top ten of that year survives, never the total in its place
            years = sorted(set(HISTORY_YEARS) | {self.store.report(HISTORY_REPORT).year})
            kept = [y for y in years if self.store.table(HISTORY_REPORT, parts[0], "前十", year=y, measure="rate")]
            text = (f"{year} 年只留下总排名前十名（2015 年报告·历届前十名对比表），没有「{parts[0]}」的排名"
                    + (f"；该项的前十名只有 {'、'.join(map(str, kept))} 年的。" if kept else "。"))
            return Reply(text, "no_data", "top", facts=[str(year)], context=self._context(f))
        members = self.store.members(HISTORY_REPORT, "top10", str(year))
        if f.position and not any(m.position == f.position for m in members):
            return Reply(f"{year} 年的评估只留下前十名（2015 年报告·历届前十名对比表），没有第{f.position}名的记录。",
                         "no_data", "top", facts=[str(year)], context=self._context(f))
        if f.position:
            hit = [m for m in members if m.position == f.position]
            names = "、".join(m.entity for m in hit)
            text = f"{year} 年（历届前十名对比表）第{f.position}名：{names}。来源：2015 年报告·历届中国智慧城市发展水平评估前十名对比表"
        else:
            n = f.n or 10
            names = "；".join(f"{m.position}. {m.entity}" for m in members if m.position <= n)
            text = f"{year} 年智慧城市评估前{min(n, 10)}名：{names}。来源：2015 年报告·历届前十名对比表（只有前十名）"
        shown = [m.entity_id for m in members if m.position == f.position or not f.position and m.position <= (f.n or 10)]
        return Reply(text, "ok", "top", facts=[str(year)], context=self._listed(f, shown, bool(f.position)))

    def _listed(self, f: Frame, ids: list[str], one_place: bool):
        """The context a list leaves: 它 is the city at the place asked; 它们 the cities shown."""
        ctx = self._context(f, ids[:1] if one_place else None)
        ctx.members = ids[:10]
        return ctx

    def _top(self, f: Frame) -> Reply:
        if any(y in HISTORY_YEARS for y in f.years) and not f.entity_ids:
            return self._history(f)
        keys, problem = self._reports(f)
        if problem:
            return Reply(problem, "no_data", "top", facts=[str(y) for y in f.years])
        keys = [k for k in keys if self.catalogue(k).per_city_numbers] or keys
        missing = self._indicator_missing(f, keys)  # 2015年减分项前十: 2015 has none; never the total in its place
        if missing:
            missing.intent = "top"
            return missing
        if not (f.years or f.report_keys or f.indicators or f.groups):
            keys = keys[:1]
        elif f.groups:
            keys = [k for k in keys if self._scope(f, k)] or keys[:1]
        lines, facts, chart, focus, tied, shown = [], [], None, [], [], []
        pairs = [(report, scope) for report in keys[:2] if self.catalogue(report).per_city_numbers
                 for scope in self._scopes_for(f, report)]
        if not pairs:
            if f.position or f.n:  # 2021年哪个城市发展指数最高: a tiers-only report ranks no city
                tiers = self.store.groups(keys[0], "tier")
                best = tiers[0][1] if tiers else ""
                names = "、".join(self._name(m.entity_id) for m in self.store.members(keys[0], "tier", best)) if best else ""
                text = (f"{LABEL[keys[0]]}只公布梯队，不公布各城市指数和名次，排不出第几名。"
                        + (f"最高一档是{best}城市：{names}。" if names else ""))
                return Reply(text, "no_data", "top", facts=[best] if best else [], context=self._context(f))
            return self._tier(f)
        empty, short = [], []
        for result in (self._table_list(f, report, scope, len(pairs)) for report, scope in pairs):
            if isinstance(result, NoColumn):  # 区县 tables print no 数据开放指数
                empty.append(f"{LABEL[result.report]}·{result.scope}的表没有「{result.indicator}」这一列")
            elif isinstance(result, FromFullTable):  # 省会城市 / 华中的智慧经济: the members, in the full table
                line, got = self._members_top(f, result.where, result.named, result.rows)
                lines.append(line)
                facts += got
            elif isinstance(result, ShortTable):
                short.append(f"{result.where}只有 {result.size} 个名次。")
            elif isinstance(result, AtPlace):
                line, got = self._at_place_line(result)
                lines.append(line)
                facts += got
                focus = focus or [result.rows[0].entity_id]
                if result.rows[0].rank == result.k or result.bottom:
                    tied = tied or [v.entity_id for v in result.rows[1:5]]  # 并列: 它们 are the cities sharing it
            elif isinstance(result, TableTop) and result.rows:
                line, got, table_chart = self._table_top_line(result)
                lines.append(line)
                facts += got
                shown = shown or [v.entity_id for v in result.rows[:10]]
                if len(result.rows) == 1:  # 最后一名 read as a list of one: 它 is that city
                    focus = focus or [result.rows[0].entity_id]
                chart = chart or table_chart
        if not lines and short:  # 数字经济第200名: the table is shorter than the place asked
            return Reply("\n".join(short), "no_data", "top", facts=[str(f.position)], context=self._context(f))
        lines += short
        if not lines:
            text = "；".join(empty) + "。" if empty else "没有找到这样的排名。"
            return Reply(text, "no_data", "top", context=self._context(f))
        ctx = self._context(f, focus)
        if focus and tied:
            ctx.entities = focus[:1] + tied
        ctx.members = shown or ctx.entities
        return Reply("\n".join(lines), "ok", "top", facts=facts, chart=chart, context=ctx)

    def _table_list(self, f: Frame, report: str, scope: str, tables: int):
        """One table's part of a list question, evaluated: who stands at the place asked (AtPlace), its first or
        last n (TableTop), a category's members taken from the full table (FromFullTable), or why not."""
        indicator, note = self._indicator(f, report)
        where = self._what(report, indicator, scope) + note
        kept, named = self._scope_rows(f, report, indicator, scope)
        if not kept:
            return NoColumn(report, scope, indicator)
        if named:
            return FromFullTable(where, named, kept)
        if f.position:
            rows = self.store.at_position(report, indicator, f.position, scope, f.bottom)
            if self.catalogue(report).ranking == "dense" and not f.bottom:  # 第3名 is the one printed 3rd
                rows = [v for v in self.store.table(report, indicator, scope) if v.rank == f.position]
            if not rows:
                return ShortTable(where, len(self.store.table(report, indicator, scope)))
            tiered = bool("tier" in f.asks and self.catalogue(report).tier_kind)  # 第100的城市是谁，几线: its tier
            return AtPlace(report, where, rows, f.position, f.bottom, tiered)
        n = f.n or 10
        if tables > 2:  # every category of the website evaluation: a short list each
            n = min(n, 5)
        return TableTop(where, indicator, self.store.top(report, indicator, n, scope, f.bottom), n, f.bottom)

    def _at_place_line(self, result: AtPlace) -> tuple[str, list[str]]:
        """「…第3名：A 80.2。来源：…」, or 「…没有第2名：A、B并列第1名」 after a tie, and the facts stated."""
        rows, where, k = result.rows, result.where, result.k
        if not result.bottom and rows[0].rank != k:  # 第2名 after two cities tied for 1st
            names = "、".join(f"{self._name(v.entity_id)} {v.value_text}" for v in rows)
            return (f"{where}没有第{k}名：{names}并列第{rows[0].rank}名。来源：{rows[0].table}",
                    [v.value_text for v in rows] + [str(rows[0].rank)])
        pos = f"倒数第{k}" if result.bottom else f"第{k}名"
        body = "、".join(f"{self._name(v.entity_id)} {v.value_text}" + (f"（第{v.rank}名）" if result.bottom else "")
                        + (f"，属{self._tier_line(result.report, v.entity_id) or '未分档'}" if result.tiered else "")
                        for v in rows)
        tie = "（并列）" if len(rows) > 1 else ""
        return f"{where}{pos}{tie}：{body}。来源：{rows[0].table}", [v.value_text for v in rows] + [str(rows[0].rank)]

    def _table_top_line(self, result: TableTop) -> tuple[str, list[str], dict]:
        """「…前10名：1. A 80.2；2. …。来源：…」, the facts stated and its chart."""
        rows = result.rows
        head = f"{result.where}{'倒数' if result.bottom else '前'}{result.n}名"
        body = "；".join(f"{v.rank}. {self._name(v.entity_id)} {v.value_text}" for v in rows)
        chart = {"title": head, "labels": [self._name(v.entity_id) for v in rows][:15],
                 "values": [v.value for v in rows][:15], "texts": [v.value_text for v in rows][:15],
                 "xlabel": result.indicator, "shown_of": None if result.bottom else len(rows)}
        return f"{head}：{body}。来源：{rows[0].table}", [v.value_text for v in rows], chart

    def _members_top(self, f: Frame, where: str, scope: str, kept: list) -> tuple[str, list[str]]:
        """A category's top n (or k-th) on an indicator its own table lacks: its members in the full table."""
        seq = list(reversed(kept)) if f.bottom else kept
        if f.position:
            shown = [v for v in seq if v.value == seq[min(f.position, len(seq)) - 1].value]
            head = f"{where}（{scope} {len(kept)} 个中）{'倒数' if f.bottom else ''}第{f.position}"
        else:
            n = f.n or 10
            shown = seq[:n]
            head = f"{where}（{scope} {len(kept)} 个中）{'倒数' if f.bottom else '前'}{min(n, len(seq))}"
        body = "；".join(f"{self._name(v.entity_id)} {v.value_text}（全表第{v.rank}名）" for v in shown)
        return f"{head}：{body}。该类没有单独的表，按全表排出。来源：{kept[0].table}", [v.value_text for v in shown]

    def _filter(self, f: Frame) -> Reply:
        keys, problem = self._reports(f)
        if problem:
            return Reply(problem, "no_data", "filter", facts=[str(y) for y in f.years])
        numbers = [k for k in keys if self.catalogue(k).per_city_numbers]
        if not numbers:
            return Reply(f"{LABEL[keys[0]]}只公布梯队，不公布各城市指数，无法按分数筛选。", "no_data", "filter")
        report = numbers[0]
        lines, facts = [], []
        for scope in self._scopes_for(f, report):  # 政府网站 without a category: every category
            line, stated = self._filtered_line(self._filtered(f, report, scope))
            lines.append(line)
            facts += stated
        return Reply("\n".join(lines), "ok", "filter", facts=facts, context=self._context(f))

    def _filtered(self, f: Frame, report: str, scope: str) -> Filtered:
        """One table's members within the question's bounds (a region whose table lacks the column: its members
        in the full table)."""
        indicator, note = self._indicator(f, report)
        rows = self.store.filter(report, indicator, f.low, f.high, scope, f.low_inclusive, f.high_inclusive)
        where = self._what(report, indicator, scope) + note
        kept, named = self._scope_rows(f, report, indicator, scope) if not rows else ([], None)
        if named:  # 华中智慧经济超过5分: the members, in the full table
            rows = [v for v in kept if within(v.value, f.low, f.high, f.low_inclusive, f.high_inclusive)]
            where += f"（{named}，取自全表）"
        return Filtered(where, bound_text(f.low, f.high, f.low_inclusive, f.high_inclusive, False), rows)

    def _filtered_line(self, result: Filtered) -> tuple[str, list[str]]:
        """「…70 分及以上的共 3 个：A 80.2、…。来源：…」 (or 「…没有…」) and the facts stated."""
        rows = result.rows
        if not rows:
            return f"{result.where}没有{result.condition}。", []
        body = "、".join(f"{self._name(v.entity_id)} {v.value_text}" for v in rows)
        return (f"{result.where} {result.condition}共 {len(rows)} 个：{body}。来源：{rows[0].table}",
                [v.value_text for v in rows] + [str(len(rows))])


def _without_group(f: Frame, group: tuple[str, str]) -> Frame:
    """The frame with one group taken out (to find what else the question groups by)."""
    sub = copy.copy(f)
    sub.groups = [g for g in f.groups if g != group]
    return sub
