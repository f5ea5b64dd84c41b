"""Answers about named cities: rank, lookup, compare, profile, trend."""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from bot.choose import EngineBase
from bot.reply import HISTORY_YEARS, LABEL, Reply, fmt_number
from nlu.frame import Frame
from store.catalogue import EDITIONS, HISTORY_REPORT, REPORTS, TIERS_ONLY
from store.query import Stat, Value


@dataclass
class Figures:
    """What is known of one place in one report: its values on the indicator asked (the first in the scope
    asked, then the other scopes that rank it), its tier, and a note on the indicator read; a province's row of
    a provincial table (`province`: rank, count, mean); a tiers-only report's tier alone (no values)."""

    report: str
    entity_id: str
    values: list[Value] = field(default_factory=list)
    tier: str | None = None
    note: str = ""
    province: dict[str, Stat] | None = None


@dataclass
class Comparison:
    """Several places' values on one indicator of one report: `asked` in the question's order, `values` highest first."""

    report: str
    indicator: str
    note: str
    asked: list[Value]
    values: list[Value]


@dataclass
class TierComparison:
    """Several places' tiers in one report (`levels`: each one's place in the report's order of tiers, 0 = best)."""

    report: str
    tiers: list[tuple[str, str]]
    levels: list[int]
    numbers: bool  # whether the report also prints per-city numbers


@dataclass
class TopTenHistory:
    """A place on one level-1 indicator in 2014 and 2015: per year, its top-ten row (or None) and 2015's full-table
    value (or None)."""

    entity_id: str
    indicator: str | None
    rows: list[tuple[int, Value | None, Value | None]]


@dataclass
class History:
    """A place across the editions: its place in each earlier top-ten table, (year, indicator, note, value) per
    edition, and its 2021 tier; `want`: the years asked (None: all)."""

    entity_id: str
    want: set[int] | None
    top_ten: dict[int, int]
    editions: list[tuple[int, str, str, Value]]
    tier: str | None


@dataclass
class ProfileOf:
    """A place in one report, part by part: the headline value (`main`, the indicator asked or the total), the values
    one level below it, its tier and its city clusters (when the whole report is asked)."""

    report: str
    entity_id: str
    under: str | None
    main: Value | None
    parts: list[Value]
    tier: str | None
    clusters: list[str]


class CityAnswers(EngineBase):
    """Intents whose subject is one or more cities."""

    def _figures(self, f: Frame, entity_id: str, report: str) -> Figures | None:
        """One place in one report, evaluated: a province's row of the provincial table, a tiers-only report's
        tier, or its values on the indicator asked in every scope that ranks it (the asked scope's first)."""
        e = self.store.entity(entity_id)
        if e.kind == "province":
            got = {st.kind: st for st in self.store.stats(report, "province:" + e.province)}
            if "rank" in got:
                return Figures(report, entity_id, province=got)
        if not self.catalogue(report).per_city_numbers:
            tier = self._tier_line(report, entity_id)
            return Figures(report, entity_id, tier=tier) if tier else None
        indicator, note = self._indicator(f, report)
        scope = self._scope(f, report)
        values = [self.store.value(report, entity_id, indicator, scope)] if scope else \
            self.store.values_in_scopes(report, entity_id, indicator) or [self.store.value(report, entity_id, indicator)]
        values = [v for v in values if v]
        if not values:
            return None
        tier = self._tier_line(report, entity_id) if self.catalogue(report).tier_kind else None
        return Figures(report, entity_id, values=values, tier=tier, note=note)

    def _figures_line(self, fig: Figures) -> tuple[str, list[str]]:
        """Figures rendered: one line with its source, and the facts it states."""
        report, name = fig.report, self._name(fig.entity_id)
        if fig.province:
            got = fig.province
            rank, count, mean = got["rank"].value_text, got["count"].value_text, got["mean"].value_text
            line = (f"{LABEL[report]}·省份排名：{self.store.entity(fig.entity_id).full_name}第{rank}名，入评城市 {count} 个，"
                    f"参考平均分 {mean}。来源：{got['rank'].sentence.split('：')[0]}")
            return line, [rank, count, mean]
        if not fig.values:
            return f"{LABEL[report]}：{name}属{fig.tier}；该报告只公布梯队，不公布各城市指数和名次。", []
        v = fig.values[0]
        line = (f"{LABEL[report]}{('·' + v.scope) if v.scope not in ('全部', '附件1') else ''}：{name}"
                f"{self._value_line(v, fig.note)}" + (f"，属{fig.tier}" if fig.tier else "") + "。")
        extra = [self._rank_words(w, w.scope) for w in fig.values[1:] if w.rank]
        if extra:
            line += "另：" + "；".join(extra) + "。"
        return line + f"来源：{v.table}", [str(w.rank) for w in fig.values if w.rank] + [v.value_text]

    def _single(self, f: Frame, intent: str) -> Reply:
        entity_id = f.entity_ids[0]
        if f.years and all(y in HISTORY_YEARS for y in f.years):
            return self._earlier_edition(f, entity_id, intent)
        keys, problem = self._reports(f)
        if problem:
            return Reply(problem, "no_data", intent, facts=[str(y) for y in f.years])
        holding = [k for k in keys if k in self.store.reports_with(entity_id)]
        if not holding:
            return self._absent(f, entity_id, keys[0], intent)
        explicit = bool(f.years or f.report_keys)
        missing = self._indicator_missing(f, holding)
        if missing and explicit:
            return missing
        lines, facts, first = [], [], None
        for fig in filter(None, (self._figures(f, entity_id, key) for key in holding)):
            line, stated = self._figures_line(fig)
            lines.append(line)
            facts += stated
            first = first or (fig.values[0] if fig.values else None)
        if not lines:
            return self._absent(f, entity_id, holding[0], intent)
        if len(holding) == 1 and not self.catalogue(holding[0]).per_city_numbers and (intent == "lookup" or explicit):
            if "level" in f.asks or intent == "rank" and "number" not in f.asks:  # a tiers-only report: the tier
                return Reply(lines[0], "ok", "tier", facts=facts, context=self._context(f))  # 啥水平 / 排名: its tier
            return Reply(lines[0], "no_data", intent, facts=facts, context=self._context(f))  # 指数多少: not published
        printed_rate = next((v for v in self.store.values_in_scopes(first.report, entity_id, first.indicator) or []
                             if v.rate_text), None) if "rate" in f.asks and first is not None and not first.rate_text else None
        if printed_rate and len(lines) == 1:  # 临沂2015年总分的得分率: printed in its 华东 table, not in the main one
            lines[0] += f"\n得分率（{printed_rate.table}所印）：{printed_rate.rate_text}"
            facts.append(printed_rate.rate_text)
        elif "rate" in f.asks and len(lines) == 1 and first is not None and not first.rate_text:
            ind = self.store.indicator(first.report, first.indicator)
            if not (ind and ind.max_score and first.value is not None):  # 2016年无锡的得分率: none printed, no maximum
                return Reply(f"{LABEL[first.report]}没有印出得分率（也没有印出满分）。" + lines[0], "no_data", intent,
                             facts=facts, context=self._context(f))
            rate = f"{first.value / float(ind.max_score) * 100:.2f}%"
            lines[0] += f"\n得分率（报告未印，按满分 {ind.max_score} 算）：{rate}"
            facts.append(rate)
        head = "" if len(lines) == 1 else f"{self._name(entity_id)}在 {len(lines)} 项评估中的结果（新的在前）：\n"
        text = head + (_sources_once(lines) if len(lines) > 1 else lines[0])
        ctx = self._context(f)
        if len(lines) == 1 and first is not None:
            ctx.table = [first.report, first.scope]  # 「这个榜」 in the next question
            if "并列" in f.words:  # 和它并列的是哪个 → 它俩: the city and the one it ties with
                ctx.ties = [i for name in first.ties[:3] for i in self._ids_named(name)][:3]
        return Reply(text, "ok", intent, facts=facts, context=ctx)

    def _rank(self, f: Frame) -> Reply:
        if not f.entity_ids:
            return self._top(f)
        return self._single(f, "rank")

    def _lookup(self, f: Frame) -> Reply:
        if not f.entity_ids:
            return self._top(f)
        return self._single(f, "lookup")

    # --- compare ---------------------------------------------------------------------------
    def _compare(self, f: Frame) -> Reply:
        ids = list(dict.fromkeys(f.entity_ids))
        if len(ids) < 2:
            if len(ids) == 1:
                return self._single(f, "rank")
            return Reply("要比较哪几个城市？比如「杭州和宁波智慧经济哪个强」。", "clarify", "compare")
        keys, problem = self._reports(f)
        if problem:
            return Reply(problem, "no_data", "compare", facts=[str(y) for y in f.years])
        common = [k for k in keys if all(k in self.store.reports_with(i) for i in ids)]
        absent_note = ""
        if not common and len(keys) == 1:  # 海口和三亚比: 三亚 is not in the report; answer for those that are
            present = [i for i in ids if keys[0] in self.store.reports_with(i)]
            if present:
                missing = "、".join(self._name(i) for i in ids if i not in present)
                absent_note = f"{missing}不在{LABEL[keys[0]]}的评估对象中，无法比较。"
                if len(present) == 1:
                    only = copy.copy(f)
                    only.mentions = [m for m in f.mentions if m.candidates == [present[0]]]
                    reply = self._single(only, "rank")
                    reply.text = f"{absent_note}\n{reply.text}"
                    reply.intent, reply.facts = "compare", reply.facts + [missing]
                    return reply
                ids, common = present, keys
        if not common:
            if len(keys) == 1:
                missing = "、".join(self._name(i) for i in ids if keys[0] not in self.store.reports_with(i))
                text = f"{missing}不在{LABEL[keys[0]]}的评估对象中，无法比较。"
            else:
                text = f"没有一份报告同时评估了{'、'.join(self._name(i) for i in ids)}。"
            return Reply(text, "no_data", "compare", facts=[self._name(i) for i in ids], context=self._context(f))
        if not (f.years or f.report_keys or f.indicators):
            common = common[:2]
        lines, facts, panels, ranked = [], [], [], []
        for result in filter(None, (self._comparison(f, key, ids) for key in common)):
            line, stated, panel = (self._tier_comparison_line(result) if isinstance(result, TierComparison)
                                   else self._comparison_line(result))
            lines.append(line)
            facts += stated
            if panel:
                panels.append(panel)
            if isinstance(result, Comparison):
                ranked = ranked or [v.entity_id for v in result.values]  # highest first: 最高的那个 next
        chart = panels[0] if len(panels) == 1 else {  # several reports: one panel each, each on its own scale
            "kind": "panels", "title": "、".join(panels[0]["labels"]) + " 对比", "panels": panels} if panels else None
        if not lines:
            return Reply("这几个城市在同一份报告里没有可比的数据。", "no_data", "compare", context=self._context(f))
        if absent_note:
            lines.insert(0, absent_note)
        ctx = self._context(f)
        ctx.members = ranked
        return Reply("\n".join(lines), "ok", "compare", facts=facts, chart=chart, context=ctx)

    def _comparison(self, f: Frame, key: str, ids: list[str]) -> Comparison | TierComparison | None:
        """Several places in one report, evaluated: their tiers (a tiers-only report, or a tier asked), or their
        values on the indicator asked in one scope each, highest first; None when one of them has none."""
        numbers = self.catalogue(key).per_city_numbers
        if not numbers or ("tier" in f.asks and self.catalogue(key).tier_kind):  # 哪个梯队更高: the tiers compared
            tiers = [(self._name(i), self._tier_line(key, i)) for i in ids]
            if any(t is None for _, t in tiers):
                return None
            order = [g for _, g in self.store.groups(key, "tier")]  # 领军, 先锋, 探索 / 一线 … 四线: best first
            levels = [min(range(len(order)), key=lambda i, t=t: (order[i] not in t, -len(order[i])))
                      for _, t in tiers]  # the longest tier name in the line (新一线 before 一线)
            return TierComparison(key, tiers, levels, numbers)
        indicator, note = self._indicator(f, key)
        scope = self._scope(f, key)
        vals = []
        for i in ids:
            v = self.store.value(key, i, indicator, scope)
            if v is None and scope is None:
                scopes = [s for s in self.store.scopes(key, i, indicator)]
                v = self.store.value(key, i, indicator, scopes[0]) if scopes else None
            vals.append(v)
        if any(v is None for v in vals):
            return None
        return Comparison(key, indicator, note, vals, sorted(vals, key=lambda v: -(v.value or 0)))

    def _tier_comparison_line(self, result: TierComparison) -> tuple[str, list[str], None]:
        """「…：烟台属先锋城市、潍坊属探索城市。烟台所在梯队更高」 and the tiers stated."""
        tiers, levels = result.tiers, result.levels
        body = "、".join(f"{n}属{t}" for n, t in tiers)
        if len(set(levels)) > 1:
            verdict = f"{tiers[levels.index(min(levels))][0]}所在梯队更高" + (
                "。" if result.numbers else "（该报告只公布梯队，不公布指数）。")
        elif result.numbers:
            verdict = "同一梯队。"
        else:
            verdict = "同一梯队，该报告不公布各城市指数，无法再细比。"
        return f"{LABEL[result.report]}：{body}。{verdict}", [t for _, t in tiers], None

    def _comparison_line(self, result: Comparison) -> tuple[str, list[str], dict]:
        """「…：A 80.2（第1名），B 79.7（第3名）。A更高，比B高 0.5 分。来源：…」, the facts and the chart panel."""
        key, indicator, vals, vals_sorted = result.report, result.indicator, result.asked, result.values
        parts = [f"{self._name(v.entity_id)} {v.value_text}" + (f"（{self._scope_label(v)}第{v.rank}名）" if v.rank else "")
                 for v in vals_sorted]
        facts = [v.value_text for v in vals] + [str(v.rank) for v in vals if v.rank]
        top, second = vals_sorted[0], vals_sorted[1]
        if top.value == second.value:
            verdict = f"{self._name(top.entity_id)}与{self._name(second.entity_id)}同分，并列"
        else:
            diffs = [(self._name(v.entity_id), fmt_number(round(top.value - v.value, 2))) for v in vals_sorted[1:]]
            verdict = f"{self._name(top.entity_id)}{'更高' if len(vals) == 2 else '最高'}，" + "，".join(
                f"比{n}高 {d} 分" for n, d in diffs)
            facts += [d for _, d in diffs]
        sources = "、".join(dict.fromkeys(v.table for v in vals))  # each table read (政府网站: 地市 and 副省级)
        line = f"{self._what(key, indicator)}{result.note}：" + "，".join(parts) + f"。{verdict}。来源：{sources}"
        panel = {"title": f"{LABEL[key]} {indicator}", "labels": [self._name(v.entity_id) for v in vals_sorted],
                 "values": [v.value for v in vals_sorted], "texts": [v.value_text for v in vals_sorted],
                 "xlabel": indicator}  # in the text's order: highest first
        return line, facts, panel

    # --- one entity, many numbers ------------------------------------------------------------
    def _profile(self, f: Frame) -> Reply:
        found = self._profile_reports(f, "想看哪个城市的各项得分？比如「上海2015年各项得分」。", lambda k: True)
        if isinstance(found, Reply):
            return found
        entity_id, holding = found
        under = self._parent_asked(f, holding[0])
        intent = "lookup" if under else "profile"
        explicit = bool(f.years or f.report_keys or f.indicators)
        numbers = [k for k in holding if self.catalogue(k).per_city_numbers]
        if not self.catalogue(holding[0]).per_city_numbers and (explicit or not numbers):
            return self._single(f, intent)
        shown = holding[:1] if explicit else numbers
        tier_only = [k for k in holding if k not in numbers]
        blocks = [self._profile_block(f, entity_id, key, under, compact=len(shown) > 1) for key in shown]
        lines = [line for block in blocks for line in block[0]]
        facts = [x for block in blocks for x in block[1]]
        tiers = [(k, self._tier_line(k, entity_id)) for k in tier_only] if len(shown) > 1 else []
        for key, tier in tiers:
            if tier:
                lines.append(f"• {LABEL[key]}：属{tier}（只公布梯队）")
                facts.append(tier)
        if len(shown) > 1:
            lines.insert(0, f"{self._name(entity_id)}在 {len(shown) + sum(1 for _, t in tiers if t)} 项评估中的得分（新的在前）：")
        chart = blocks[0][2]
        return Reply("\n".join(lines), "ok", intent, facts=facts, chart=chart, context=self._context(f))

    def _profile_reports(self, f: Frame, ask_which: str, usable) -> tuple[str, list[str]] | Reply:
        """The city a profile question is about and the reports (of those asked) that hold it, or why not."""
        if not f.entity_ids:
            return Reply(ask_which, "clarify", "profile")
        entity_id = f.entity_ids[0]
        keys, problem = self._reports(f)
        if problem:
            return Reply(problem, "no_data", "profile", facts=[str(y) for y in f.years])
        held = [k for k in keys if k in self.store.reports_with(entity_id)]
        holding = [k for k in held if usable(k)]
        if held and not holding:  # 上海数字经济哪项最强: the report holds the city, not its parts
            return Reply(f"{LABEL[held[0]]}没有公布各城市的分项得分，比不出哪项最强或最弱。", "no_data", "profile",
                         context=self._context(f))
        if not holding:
            return self._absent(f, entity_id, keys[0], "profile")
        return entity_id, holding

    def _profile_pick(self, node, f: Frame) -> Reply:
        """长沙2015年哪项最强: the part of the profile with the highest (or lowest) 得分率 — each score against its own
        maximum — or, where no maximums are printed, the best (or worst) place in its own table."""
        found = self._profile_reports(f, "想看哪个城市的强项或短板？比如「长沙2015年哪项最强」。",
                                      lambda k: self.catalogue(k).parts_per_city)
        if isinstance(found, Reply):
            return found
        entity_id, holding = found
        report = holding[0]
        under = self._parent_asked(f, report) or self._total(report)
        below = [ind for ind in self.store.indicators(report) if ind.name != under and (
            ind.parent == under or under == self._total(report) and ind.level == 1)]
        parts = [v for ind in below if not ind.name.endswith("分项")  # 加分项 / 减分项 adjust a total, no aspect of it
                 for v in [self.store.value(report, entity_id, ind.name)] if v and v.value is not None]
        rated = [(v, v.value / float(m)) for v in parts for m in [self._max_score(report, v.indicator)] if m]
        worst = node.pick == "worst"
        if rated and len(rated) == len(parts):
            v, rate = (min if worst else max)(rated, key=lambda vr: vr[1])
            why = f"得分率 {rate * 100:.2f}%（{v.value_text}{self._max(report, v.indicator)}）"
        else:
            ranked = [v for v in parts if v.rank]
            if not ranked:
                return Reply(f"{LABEL[report]}没有可比较的分项。", "no_data", "profile", context=self._context(f))
            v = (max if worst else min)(ranked, key=lambda x: x.rank)
            why = f"{v.value_text}，在各项中名次最{'靠后' if worst else '靠前'}（第{v.rank}名）"
        word = "最弱的一项（短板）" if worst else "最强的一项"
        text = f"{LABEL[report]}：{self._name(entity_id)}{word}是{v.indicator}，{why}。来源：{v.table}"
        return Reply(text, "ok", "profile", facts=[v.indicator, v.value_text], context=self._context(f))

    def _parent_asked(self, f: Frame, report: str) -> str | None:
        """宁波智慧基础设施的三个二级指标: the indicator whose parts are asked for, when it has parts."""
        for _surface, cands in f.indicators:
            for c in cands:
                name = self._indicator_in(report, c)
                if name and any(i.parent == name for i in self.store.indicators(report)):
                    return name
        return None

    def _profile_block(self, f: Frame, entity_id: str, report: str, under: str | None,
                       compact: bool) -> tuple[list[str], list[str], dict | None]:
        """One report's part of a profile: evaluated (`_profile_of`), then rendered (`_profile_lines`)."""
        return self._profile_lines(self._profile_of(f, entity_id, report, under), compact)

    def _profile_of(self, f: Frame, entity_id: str, report: str, under: str | None) -> ProfileOf:
        """A place's headline value in a report, then its values one level below (the report's level-1 indicators,
        or the parts of the indicator asked), its tier and its city clusters."""
        scope = self._scope(f, report)
        head_ind = under or self._total(report)
        main = self.store.value(report, entity_id, head_ind, scope)
        parent = under or self._total(report)
        level = 2 if under is None and ("二级" in f.norm or "三级" in f.norm) else 1  # 16个二级指标得分: that level
        if level == 2 and not any(i.level == 2 for i in self.store.indicators(report)):
            level = 1  # a report without level-2 indicators (2016): its level-1 ones
        rows = []
        for ind in self.store.indicators(report):
            if ind.name == self._total(report) or (ind.parent != parent and not (under is None and ind.level == level)) \
                    or (under is None and ind.level != level):
                continue
            v = self.store.value(report, entity_id, ind.name, main.scope if main else scope)
            if v:
                rows.append(v)
        tier = self._tier_line(report, entity_id) if not under else None
        clusters = [g for r, t, g, _ in self.store.memberships(entity_id, report) if t == "cluster"] if not under else []
        return ProfileOf(report, entity_id, under, main, rows, tier, clusters)

    def _profile_lines(self, result: ProfileOf, compact: bool) -> tuple[list[str], list[str], dict | None]:
        """The profile's lines (one line each report when `compact`), the facts stated and its chart."""
        report, main, rows = result.report, result.main, result.parts
        name = self._name(result.entity_id)
        facts = []
        head = f"{name} · {LABEL[report]}" if not compact else f"• {LABEL[report]}"
        if main:
            where = f"·{main.scope}" if main.scope not in ("全部", "附件1") else ""
            head += f"{where}：{self._value_line(main)}"
            facts += [main.value_text] + ([str(main.rank)] if main.rank else [])
        lines = [head]
        parts = []
        for v in rows:
            rank = f"（{'并列' if v.ties else ''}第{v.rank}名）" if v.rank and self.catalogue(report).part_ranks and not compact else ""
            parts.append(f"{v.indicator} {v.value_text}{self._max(report, v.indicator)}{rank}")
            facts.append(v.value_text)
        if result.tier:
            parts.append(f"城市画像：{result.tier}")
            facts.append(result.tier)
        if result.clusters:
            parts.append(f"所属城市群：{'、'.join(result.clusters)}")
        if compact:
            lines[0] += ("；" + "，".join(parts) if parts else "") + (f"。来源：{main.table}" if main else "")
        else:
            lines += [f"• {p}" for p in parts]
            sources = list(dict.fromkeys(v.table for v in ([main] if main else []) + rows))
            if sources:
                lines.append(f"来源：{sources[0]}" + (f"；各项见{sources[1]}等表" if len(sources) > 2 else
                                                     f"；{sources[1]}" if len(sources) == 2 else ""))
        under = result.under
        chart = _profile_chart(f"{name} {LABEL[report]}" + (f" {under}" if under else ""), rows, self._max) if rows else None
        return lines, facts, chart

    def _earlier_edition(self, f: Frame, entity_id: str, intent: str) -> Reply:
        """2011–2014: only the top ten of each edition (and the 2014 top ten per level-1 indicator) survive."""
        name = self._name(entity_id)
        history = {int(g): pos for _r, t, g, pos in self.store.memberships(entity_id, HISTORY_REPORT) if t == "top10"}
        asked = [c for _, cands in f.indicators for c in cands if self._indicator_in(HISTORY_REPORT, c)]
        lines, facts = [], []
        for y in sorted(set(f.years)):
            if asked and y == 2014:
                v = self.store.value(HISTORY_REPORT, entity_id, asked[0], "前十", year=2014, measure="rate")
                lines.append(f"2014 年{asked[0]}：" + (f"第{v.rank}名，得分率 {v.value_text}" if v else "未进前十名"))
                facts += [v.value_text, str(v.rank)] if v else []
            elif y in history:
                lines.append(f"{y} 年（第{'一二三四'[y - 2011]}届）：第{history[y]}名")
                facts.append(str(history[y]))
            else:
                lines.append(f"{y} 年：未进入前十名")
        found = bool(facts)
        text = (f"{name}：" + "；".join(lines) + "。2011–2014 年的评估只留下前十名（2015 年报告的历届前十名对比表"
                + ("、2014 年与 2015 年前十名对比表" if asked else "") + "），没有其他名次和得分。")
        return Reply(text, "ok" if found else "no_data", intent, facts=facts, context=self._context(f))

    def _trend(self, f: Frame) -> Reply:
        if not f.entity_ids:
            return Reply("想看哪个城市的历届变化？比如「北京历届排名」。", "clarify", "trend")
        years = sorted(set(f.years))
        indicator_asked = [c for _, cands in f.indicators for c in cands]
        if indicator_asked and 2014 in years:
            text, facts = self._top_ten_history_lines(self._top_ten_history(f.entity_ids[0], indicator_asked))
            return Reply(text, "ok", "trend", facts=facts, context=self._context(f))
        history = self._history_of(f, f.entity_ids[0], set(years) if len(years) >= 2 else None)
        rendered = self._history_lines(history, f.words)
        if rendered is None:
            return Reply(f"{self._name(history.entity_id)}没有可比的历届数据（历届前十名只列前十）。", "no_data", "trend",
                         context=self._context(f))
        text, facts = rendered
        return Reply(text, "ok", "trend", facts=facts, context=self._context(f))

    def _top_ten_history(self, entity_id: str, asked: list[str]) -> TopTenHistory:
        """A place on one level-1 indicator in the 2014 and 2015 top-ten tables, and 2015's full table."""
        l1 = next((c for c in asked if self._indicator_in(HISTORY_REPORT, c)), None)
        rows = []
        for y in (2014, 2015):
            v = self.store.value(HISTORY_REPORT, entity_id, l1, "前十", year=y, measure="rate") if l1 else None
            full = self.store.value(HISTORY_REPORT, entity_id, l1) if l1 and y == self.store.report(HISTORY_REPORT).year \
                else None
            rows.append((y, v, full))
        return TopTenHistory(entity_id, l1, rows)

    def _top_ten_history_lines(self, result: TopTenHistory) -> tuple[str, list[str]]:
        """「…（2014 与 2015 对比）：2014 年保障体系：第4名，得分率 80.0%…」 and the facts stated."""
        l1, lines, facts = result.indicator, [], []
        for y, v, full in result.rows:
            if v:
                lines.append(f"{y} 年{l1}：第{v.rank}名，得分率 {v.value_text}")
                facts += [v.value_text, str(v.rank)]
            elif full and full.rank:  # outside the printed top ten, ranked in the full table
                rate = f"，得分率 {full.rate_text}" if full.rate_text else ""
                lines.append(f"{y} 年{l1}：未进前十名；全表第{full.rank}名，{full.value_text} 分{rate}（{full.table}）")
                facts += [str(full.rank), full.value_text] + ([full.rate_text] if full.rate_text else [])
            else:
                lines.append(f"{y} 年{l1}：未进前十名")
        src = "来源：2015 年报告·2014 年与 2015 年前十名对比表（只列前十）"
        return f"{self._name(result.entity_id)}{l1}（2014 与 2015 对比）：\n" + "\n".join(lines) + "\n" + src, facts

    def _history_of(self, f: Frame, entity_id: str, want: set[int] | None) -> History:
        """A place across the smart-city editions (`want`: the years asked, None for all): its places in the
        earlier top-ten tables, its value in each edition, and its 2021 tier."""
        top_ten = {int(g): pos for r, t, g, pos in self.store.memberships(entity_id, HISTORY_REPORT) if t == "top10"}
        editions = []
        for key in EDITIONS:
            year = self.store.report(key).year
            if want is not None and year not in want:
                continue
            indicator, note = self._indicator(f, key)
            v = self.store.value(key, entity_id, indicator)
            if v:
                editions.append((year, indicator, note, v))
        tier = next(filter(None, (self._tier_line(k, entity_id) for k in TIERS_ONLY)), None) \
            if want is None or 2021 in want else None
        return History(entity_id, want, top_ten, editions, tier)

    def _history_lines(self, result: History, words: str) -> tuple[str, list[str]] | None:
        """「…历届智慧城市评估：2014 年：第8名…2015→2016：分数提高 0.79…」 (a false premise in `words` corrected
        first) and the facts stated; None when there is nothing to show."""
        lines, facts, want = [], [], result.want
        for y in range(2011, 2015):
            if (want is None or y in want) and y in result.top_ten:
                lines.append(f"{y} 年：第{result.top_ten[y]}名（历届前十名对比表）")
                facts.append(str(result.top_ten[y]))
            elif want is not None and y in want:  # 14、15、16三年名次: the year asked, said even when not listed
                lines.append(f"{y} 年：未进前十名（该年只公布了前十名）")
        for year, indicator, note, v in result.editions:
            lines.append(f"{year} 年：{indicator}{note} {v.value_text}，第{v.rank}名"
                         + ("（报告未印名次，按总分算出）" if v.rank_kind == "computed" else ""))
            facts += [v.value_text, str(v.rank)]
        premise = ""
        values = [v for *_, v in result.editions]
        if len(values) == 2:
            change, facts_of_change = _change_line(*values)
            lines.append(change)
            facts += facts_of_change
            premise = _premise(words, values)
        if result.tier:
            lines.append(f"2021 年：{result.tier}，只公布梯队")
        if not lines:
            return None
        if len(result.top_ten) == 0 and want is None:
            lines.append("（2011–2014 年只公布了前十名，该城市未上榜）")
        return f"{premise}{self._name(result.entity_id)}历届智慧城市评估：\n" + "\n".join(lines), facts


def _premise(words: str, editions: list[Value]) -> str:
    """「下降了多少」 about a city that rose: say so before the figures (the premise is corrected, not echoed)."""
    old, new = editions
    by_rank = bool(re.search(r"名|排|位", words)) and old.rank and new.rank
    better = (old.rank - new.rank) if by_rank else ((new.value or 0) - (old.value or 0))
    if re.search(r"降|跌|退步|下滑|后退|掉了", words) and better > 0:
        return "其实没有下降，而是上升了。"
    if re.search(r"升|涨|进步|提高|前进", words) and better < 0:
        return "其实没有上升，而是下降了。"
    return ""


def _change_line(old: Value, new: Value) -> tuple[str, list[str]]:
    """「2015→2016：分数提高 4.64，名次上升 24 位（第105→第81名…）」 with the figures it states."""
    facts = []
    text = f"{old.year}→{new.year}："
    if old.value is not None and new.value is not None:
        diff = round(new.value - old.value, 2)
        text += f"分数{'提高' if diff >= 0 else '下降'} {fmt_number(abs(diff))}"
        facts.append(fmt_number(abs(diff)))
    if old.rank and new.rank:
        moved = old.rank - new.rank
        where = "名次持平" if moved == 0 else f"名次{'上升' if moved > 0 else '下降'} {abs(moved)} 位"
        text += f"，{where}（第{old.rank}→第{new.rank}名；两届评估城市数不同：{old.total} 与 {new.total} 个）"
        facts.append(str(abs(moved)))
    return text, facts


def _sources_once(lines: list[str]) -> str:
    """One bullet per report, the sources together once at the end (a phone screen, not a table)."""
    bodies, sources = [], []
    for line in lines:
        body, _, source = line.partition("来源：")
        bodies.append("• " + body.strip())
        if source.strip():
            sources.append(source.strip())
    return "\n".join(bodies) + ("\n来源：" + "；".join(dict.fromkeys(sources)) if sources else "")


def _profile_chart(title: str, rows: list[Value], maximum) -> dict:
    """Bars of 得分率 (score ÷ its own maximum) when every maximum is printed, so 6.78/10 and 12.30/20 compare
    fairly; the raw scores otherwise (2016 prints no maximums)."""
    tops = [maximum(v.report, v.indicator) for v in rows]
    if all(tops) and all(v.value is not None for v in rows):
        rates = [round(v.value / float(t[1:]) * 100, 2) for v, t in zip(rows, tops)]
        return {"title": title, "kind": "rates", "labels": [v.indicator for v in rows], "values": rates,
                "texts": [f"{v.value_text}{t}" for v, t in zip(rows, tops)], "xlabel": "得分率（%，得分 ÷ 该项满分）"}
    return {"title": title, "labels": [v.indicator for v in rows], "values": [v.value for v in rows],
            "texts": [v.value_text for v in rows], "ylabel": "指标",
            "xlabel": REPORTS[rows[0].report].part_unit + ("（报告未印各项满分）" if REPORTS[rows[0].report].part_unit == "得分" else "")}
