"""The answer engine: a question (and the chat's context) → a structured Reply.

nlu parses; this module picks the report(s), the indicator and the scope, asks
store.query for numbers and writes concise Chinese.  Every number in a reply
comes from the store (a value as printed, a rank, a count, a year) or is a
difference or mean computed from stored values; each is listed in Reply.facts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlu.context import Context, apply
from nlu.frame import Frame
from nlu.lexicon import Lexicon, lexicon_for
from nlu.parse import parse
from store.query import Store, Value

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
    chart: dict | None = None  # {"title", "labels", "values", "unit"}
    context: Context | None = None


def _fmt(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if abs(x - round(x, 2)) < 1e-9 else f"{x:.2f}"


class Engine:
    """Answers questions from one store; keeps no per-chat state itself."""

    def __init__(self, store: Store, lex: Lexicon | None = None):
        self.store = store
        self.lex = lex or lexicon_for(store)
        self.all_keys = [r.key for r in store.reports()]

    # --- entry point ------------------------------------------------------------
    def answer(self, text: str, ctx: Context | None = None) -> Reply:
        frame = apply(parse(text, self.lex), ctx)
        try:
            reply = self._dispatch(frame)
        except (LookupError, ValueError, ZeroDivisionError) as exc:  # a gap in the data, never a crash
            reply = Reply(f"抱歉，这个问题我没能从报告里找到答案（{type(exc).__name__}）。{HINT}", "no_data",
                          frame.intent or "unknown")
        if reply.context is None:
            reply.context = ctx if reply.status in ("clarify", "out_of_scope") else self._context(frame)
        return reply

    def _context(self, frame: Frame, focus: list[str] | None = None) -> Context:
        return Context(intent=frame.intent, entities=frame.entity_ids, focus=focus or frame.entity_ids,
                       years=frame.years, report_keys=frame.report_keys, indicators=frame.indicators,
                       total=frame.total, groups=frame.groups, n=frame.n, position=frame.position, bottom=frame.bottom)

    def _dispatch(self, f: Frame) -> Reply:
        if f.problem == "too_long":
            return Reply("消息太长了（超过 500 字）。请用一句话问，比如「无锡2015智慧管理排名」。", "out_of_scope", "unknown")
        if f.problem == "empty":
            return Reply("没看懂这条消息。" + HINT, "out_of_scope", "unknown")
        if f.pronoun and not f.mentions:
            return Reply("「它」指的是哪个城市？请直接说城市名，比如「无锡的总分」。", "clarify", f.intent or "unknown")
        if f.intent is None:
            if f.unknown_places:
                return self._not_evaluated(f, f.unknown_places[0], f.intent or "rank")
            return Reply("这个问题超出了我能回答的范围：我只回答城市评估报告里的排名和得分。" + HINT, "out_of_scope", "unknown")
        if f.ambiguous:
            narrowed = self._narrow(f)
            if narrowed:
                return narrowed
        if f.unknown_places and not f.entity_ids and f.intent not in ("meta", "top", "filter", "region_avg"):
            return self._not_evaluated(f, f.unknown_places[0], f.intent)
        handler = getattr(self, "_" + f.intent)
        return handler(f)

    # --- choosing reports, indicators, scopes ---------------------------------------
    def _reports(self, f: Frame) -> tuple[list[str], str | None]:
        """Reports the question can be about, most recent first; or a no-data message."""
        keys = list(self.all_keys)
        if f.years:
            wanted = set()
            for y in f.years:
                if y in HISTORY_YEARS:
                    wanted.add("sc2015")
                else:
                    wanted |= {r.key for r in self.store.reports() if r.year == y}
            if not wanted:
                have = "、".join(f"{r.year} 年{r.subject}" for r in sorted(self.store.reports(), key=lambda r: r.year))
                return [], f"没有 {'、'.join(map(str, sorted(set(f.years))))} 年的评估数据。现有报告：{have}。"
            keys = [k for k in keys if k in wanted]
        scoped = [k for k in keys if any((k, name) in SCOPE for _, name in f.groups if _ == "admin_level")]
        if scoped and not f.report_keys:
            keys = scoped
        named = [k for k in f.report_keys if k != "smart"]
        if named:
            keys = [k for k in keys if k in named] or ([] if f.years else named)
            if not keys:
                return [], f"{'、'.join(LABEL[k] for k in named)}不是 {'、'.join(map(str, f.years))} 年的报告。"
        elif "smart" in f.report_keys:
            keys = [k for k in keys if k in SMART] or keys
        if f.indicators:
            with_ind = [k for k in keys if any(self._indicator_in(k, c) for _, cands in f.indicators for c in cands)]
            keys = with_ind or keys
        return keys, None

    def _indicator_in(self, report: str, name: str) -> str | None:
        """The report's name for an indicator: itself, or its renamed counterpart (智慧管理 ↔ 智慧治理)."""
        if name in self.lex.report_indicators[report]:
            return name
        for rep, synonym, indicator in self.store.indicator_synonyms():
            if rep == report and synonym == name and indicator in self.lex.report_indicators[report]:
                return indicator
        return None

    def _total(self, report: str) -> str:
        return next(i.name for i in self.store.indicators(report) if i.level == 0)

    def _indicator(self, f: Frame, report: str) -> tuple[str, str]:
        """(indicator name in this report, a note when the asked name is the other edition's)."""
        for surface, cands in f.indicators:
            for c in cands:
                if c in self.lex.report_indicators[report]:
                    renamed = surface != c and any(surface in names for names in self.lex.report_indicators.values())
                    year = self.store.report(report).year
                    return c, (f"（{year} 年报告中「{surface}」称为「{c}」）" if renamed else "")
            for c in cands:
                other = self._indicator_in(report, c)
                if other:
                    return other, f"（{self.store.report(report).year} 年报告中「{surface}」称为「{other}」）"
        return self._total(report), ""

    def _what(self, report: str, indicator: str, scope: str = "全部") -> str:
        """「2015 智慧城市评估（第五届）·华南 智慧服务」: report, scope and indicator for a heading."""
        text = LABEL[report] + (f"·{scope}" if scope not in ("全部", "附件1") else "")
        return text + ("" if indicator == "数字经济指数" else f" {indicator}")

    def _scope(self, f: Frame, report: str) -> str | None:
        for _gtype, name in f.groups:
            scope = SCOPE.get((report, name))
            if scope:
                return scope
        return None

    def _name(self, entity_id: str) -> str:
        e = self.store.entity(entity_id)
        if e.kind in ("district", "county") and e.parent_id:
            try:
                return f"{e.name}（{self.store.entity(e.parent_id).name}）"
            except KeyError:
                return e.name
        return e.name

    def _max(self, report: str, indicator: str) -> str:
        ind = self.store.indicator(report, indicator)
        return f"/{ind.max_score}" if ind and ind.max_score and report.startswith("sc") else ""

    def _narrow(self, f: Frame) -> Reply | None:
        """Resolve an ambiguous name by the reports in question, or ask."""
        keys, _ = self._reports(f)
        for m in f.ambiguous:
            inside = [c for c in m.candidates if set(self.store.reports_with(c)) & set(keys)]
            if len(inside) == 1:
                m.candidates = inside
                continue
            options = inside or m.candidates
            labels = [(c, self._candidate_label(c)) for c in options]
            text = f"「{m.surface}」可能指：" + "、".join(lbl for _, lbl in labels) + "。请问是哪一个？"
            return Reply(text, "clarify", f.intent or "unknown", candidates=labels, ambiguous=m.surface,
                         context=self._context(f))
        return None

    def _candidate_label(self, entity_id: str) -> str:
        e = self.store.entity(entity_id)
        if e.kind == "province":
            return e.full_name
        if e.kind in ("district", "county"):
            return self._name(entity_id)
        return e.full_name if e.full_name != e.name else e.name + "市"

    def _not_evaluated(self, f: Frame, name: str, intent: str) -> Reply:
        subjects = "、".join(dict.fromkeys(f"{r.year} 年{r.subject}" for r in self.store.reports()))
        text = f"报告里没有「{name}」的数据：五份报告（{subjects}）都没有评估它。"
        return Reply(text, "no_data", intent, facts=[name])

    def _absent(self, f: Frame, entity_id: str, report: str, intent: str) -> Reply:
        rep = self.store.report(report)
        where = [LABEL[k] for k in self.store.reports_with(entity_id)]
        text = f"{self._name(entity_id)}不在{LABEL[report]}的 {rep.entity_count} 个评估对象中。"
        if where:
            text += f"有它数据的报告：{'、'.join(where)}。"
        return Reply(text, "no_data", intent, facts=[str(rep.entity_count)], context=self._context(f))

    # --- one entity: rank / lookup -------------------------------------------------------
    def _value_line(self, v: Value, note: str = "", with_rank: bool = True) -> str:
        parts = [f"{v.indicator} {v.value_text}{self._max(v.report, v.indicator)}"]
        if v.rate_text:
            parts[-1] += f"（得分率 {v.rate_text}）"
        if with_rank and v.rank is not None:
            rank = f"排名第{v.rank}" + (f"（并列，与{'、'.join(v.ties[:4])}{'等' if len(v.ties) > 4 else ''}）" if v.ties else "")
            rank += f"，共 {v.total} 个" + ("，按分值排出" if v.rank_kind == "computed" else "")
            parts.append(rank)
        return "，".join(parts) + note

    def _scope_label(self, v: Value) -> str:
        return "" if v.scope in ("全部", "附件1") else f"{v.scope}中"

    def _tier_line(self, report: str, entity_id: str) -> str | None:
        for _rep, gtype, gname, _ in self.store.memberships(entity_id, report):
            if gtype == "tier":
                rng = self.store.stats(report, "tier:" + gname, kind="range")
                if report == "sc2021":
                    return f"{gname}城市（指数 {rng[0].value_text}）" if rng else f"{gname}城市"
                return f"数字经济{gname}城市"
        return None

    def _one(self, f: Frame, entity_id: str, report: str, intent: str) -> tuple[list[str], list[str], Value | None]:
        """Lines and facts about one entity in one report."""
        if report == "sc2021":
            tier = self._tier_line(report, entity_id)
            if not tier:
                return [], [], None
            return [f"{LABEL[report]}：{self._name(entity_id)}属{tier}；该报告只公布梯队，不公布各城市指数和名次。"], [], None
        indicator, note = self._indicator(f, report)
        scope = self._scope(f, report)
        values = [self.store.value(report, entity_id, indicator, scope)] if scope else \
            self.store.values_in_scopes(report, entity_id, indicator) or [self.store.value(report, entity_id, indicator)]
        values = [v for v in values if v]
        lines, facts = [], []
        if values:
            v = values[0]
            line = (f"{LABEL[report]}{('·' + v.scope) if v.scope not in ('全部', '附件1') else ''}：{self._name(entity_id)}"
                    f"{self._value_line(v, note)}。")
            extra = [f"{w.scope}第{w.rank}名（共 {w.total} 个{'，并列' if w.ties else ''}）" for w in values[1:] if w.rank]
            if extra:
                line += "另：" + "；".join(extra) + "。"
            lines.append(line + f"来源：{v.table}")
            facts += [str(w.rank) for w in values if w.rank] + [v.value_text]
        if report == "de2020" and values:
            tier = self._tier_line(report, entity_id)
            if tier:
                lines[-1] = lines[-1].replace("。来源", f"，属{tier}。来源", 1)
        return lines, facts, values[0] if values else None

    def _single(self, f: Frame, intent: str) -> Reply:
        entity_id = f.entity_ids[0]
        keys, problem = self._reports(f)
        if problem:
            return Reply(problem, "no_data", intent, facts=[str(y) for y in f.years])
        holding = [k for k in keys if k in self.store.reports_with(entity_id)]
        if not holding:
            return self._absent(f, entity_id, keys[0], intent)
        explicit = bool(f.years or f.report_keys)
        lines, facts, first = [], [], None
        for key in holding:
            got, fs, v = self._one(f, entity_id, key, intent)
            lines += got
            facts += fs
            first = first or v
        if not lines:
            return self._absent(f, entity_id, holding[0], intent)
        if len(holding) == 1 and holding[0] == "sc2021" and (intent == "lookup" or explicit):
            return Reply(lines[0], "no_data", intent, facts=facts, context=self._context(f))
        head = "" if len(lines) == 1 else f"{self._name(entity_id)}在 {len(lines)} 项评估中的结果（新的在前）：\n"
        text = head + "\n".join(("• " if len(lines) > 1 else "") + line for line in lines)
        sugg = self._suggest(f, entity_id, holding[0], first)
        return Reply(text, "ok", intent, facts=facts, suggestions=sugg, context=self._context(f))

    def _suggest(self, f: Frame, entity_id: str, report: str, value: Value | None) -> list[tuple[str, str]]:
        """Follow-up buttons: another year, this indicator's top ten, the one ranked just above."""
        name = self.store.entity(entity_id).name
        year = self.store.report(report).year
        kw = {"de2020": "数字经济", "gw2020": "政府网站"}.get(report, "")
        indicator = value.indicator if value else self._total(report)
        shown = "" if indicator in ("总分", "数字经济指数") else indicator
        out = []
        other = {"sc2015": "sc2016", "sc2016": "sc2015"}.get(report)
        if other and other in self.store.reports_with(entity_id):
            out.append(("另一年份", f"{name}{self.store.report(other).year}年{shown}排名"))
        elif len(self.store.reports_with(entity_id)) > 1:
            out.append(("其他报告", f"{name}排名"))
        out.append(("该指标前十", f"{year}年{kw}{shown}前十"))
        if value and value.rank and value.rank > 1:
            above = [v for v in self.store.table(report, indicator, value.scope) if v.rank is not None and v.rank < value.rank]
            if above:
                prev = self.store.entity(above[-1].entity_id).name
                out.append(("与上一名对比", f"{year}年{name}和{prev}{kw}{shown}对比"))
        return out

    def _rank(self, f: Frame) -> Reply:
        if not f.entity_ids:
            return self._top(f)
        return self._single(f, "rank")

    def _lookup(self, f: Frame) -> Reply:
        if not f.entity_ids:
            return self._top(f)
        if not f.indicators and not f.total and f.leftover and not f.years and not f.report_keys:
            return Reply(f"报告里没有「{f.leftover.split()[0]}」这类数据，只有城市评估的排名和得分。" + HINT,
                         "out_of_scope", "lookup")
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
        if not common:
            names = "、".join(self._name(i) for i in ids)
            return Reply(f"没有一份报告同时评估了{names}。", "no_data", "compare", context=self._context(f))
        if not (f.years or f.report_keys or f.indicators):
            common = common[:2]
        lines, facts, chart = [], [], None
        for key in common:
            if key == "sc2021":
                tiers = [(self._name(i), self._tier_line(key, i)) for i in ids]
                same = len({t for _, t in tiers}) == 1
                body = "、".join(f"{n}属{t}" for n, t in tiers)
                lines.append(f"{LABEL[key]}：{body}。{'同一梯队，' if same else ''}该报告不公布各城市指数，无法再细比。")
                continue
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
                continue
            vals_sorted = sorted(vals, key=lambda v: -(v.value or 0))
            parts = [f"{self._name(v.entity_id)} {v.value_text}" + (f"（{self._scope_label(v)}第{v.rank}名）" if v.rank else "")
                     for v in vals_sorted]
            facts += [v.value_text for v in vals] + [str(v.rank) for v in vals if v.rank]
            top, second = vals_sorted[0], vals_sorted[1]
            if top.value == second.value:
                verdict = f"{self._name(top.entity_id)}与{self._name(second.entity_id)}同分，并列"
            else:
                diff = _fmt(round(top.value - second.value, 2))
                verdict = f"{self._name(top.entity_id)}更高，比{self._name(second.entity_id)}高 {diff} 分"
                facts.append(diff)
            lines.append(f"{self._what(key, indicator)}{note}：" + "，".join(parts) + f"。{verdict}。来源：{vals[0].table}")
            if chart is None:
                chart = {"title": f"{LABEL[key]} {indicator}", "labels": [self._name(v.entity_id) for v in vals],
                         "values": [v.value for v in vals], "unit": ""}
        if not lines:
            return Reply("这几个城市在同一份报告里没有可比的数据。", "no_data", "compare", context=self._context(f))
        return Reply("\n".join(lines), "ok", "compare", facts=facts, chart=chart, context=self._context(f))

    # --- groups ---------------------------------------------------------------------------
    def _group_of(self, f: Frame, report: str) -> tuple[str, str, str]:
        """(group_type, group_name, label) the average is over; ('all', '全部', '全部城市') by default."""
        for gtype, gname in f.groups:
            if gtype == "cluster" and report == "sc2021":
                circle = {"粤港澳大湾区": "珠三角"}.get(gname, gname)
                return "circle", circle, circle + "经济圈"
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
        report = keys[0]
        indicator, note = self._indicator(f, report)
        gtype, gname, label = self._group_of(f, report)
        scope = "全部"
        if gtype == "admin_level" and (report, gname) in SCOPE and report == "gw2020":
            scope, gtype = SCOPE[(report, gname)], "all"
        if gtype in ("admin_level", "region") and report == "sc2015" and "及" in gname:
            gtype = "admin_level"
        mean = self.store.group_mean(report, indicator, gtype, gname, scope)
        if mean.printed is None and gtype == "all" and not mean.members:
            mean.printed = next(iter(self.store.stats(report, "全部", indicator, "mean")), None)
        facts, parts = [], []
        label += "城市" if gtype == "tier" else ""
        what = f"{LABEL[report]}·{label}" + ("" if indicator == "数字经济指数" else f" {indicator}") + note
        if mean.printed:
            kind = "GDP 加权得分" if mean.printed.kind == "weighted_mean" else "平均"
            parts.append(f"报告所印{kind}为 {mean.printed.value_text}")
            facts.append(mean.printed.value_text)
        if mean.computed is not None and mean.count:
            parts.append(f"按表中 {mean.count} 个{'城市' if gtype != 'admin_level' or gname not in ('区县', '市辖区', '县市') else '地区'}的数据计算，简单平均为 {_fmt(mean.computed)}")
            facts += [_fmt(mean.computed), str(mean.count)]
        if not parts:
            return Reply(f"{what}：报告没有给出这个平均数，也没有可以计算的各城市数据。", "no_data", "region_avg",
                         context=self._context(f))
        if not mean.printed:
            parts.insert(0, "报告未印此平均数")
        text = f"{what}：" + "；".join(parts) + "。"
        if mean.printed:
            text += f"\n原文：「{_quote(mean.printed.sentence, mean.printed.value_text)}」"
        return Reply(text, "ok", "region_avg", facts=facts, context=self._context(f))

    # --- lists --------------------------------------------------------------------------------
    def _history(self, f: Frame) -> Reply:
        year = next(y for y in f.years if y in HISTORY_YEARS)
        members = self.store.members("sc2015", "top10", str(year))
        if f.position:
            hit = [m for m in members if m.position == f.position]
            names = "、".join(m.entity for m in hit)
            text = f"{year} 年（历届前十名对比表）第{f.position}名：{names}。来源：2015 年报告·历届中国智慧城市发展水平评估前十名对比表"
        else:
            n = f.n or 10
            names = "；".join(f"{m.position}. {m.entity}" for m in members if m.position <= n)
            text = f"{year} 年智慧城市评估前{min(n, 10)}名：{names}。来源：2015 年报告·历届前十名对比表（只有前十名）"
        return Reply(text, "ok", "top", facts=[str(year)], context=self._context(f))

    def _top(self, f: Frame) -> Reply:
        if any(y in HISTORY_YEARS for y in f.years) and not f.entity_ids:
            return self._history(f)
        keys, problem = self._reports(f)
        if problem:
            return Reply(problem, "no_data", "top", facts=[str(y) for y in f.years])
        keys = [k for k in keys if k != "sc2021"] or keys
        if not (f.years or f.report_keys or f.indicators or f.groups):
            keys = keys[:1]
        elif f.groups:
            keys = [k for k in keys if self._scope(f, k)] or keys[:1]
        lines, facts, chart, focus = [], [], None, []
        for report in keys[:2]:
            if report == "sc2021":
                return self._tier(f)
            indicator, note = self._indicator(f, report)
            scope = self._scope(f, report) or "全部"
            table_scope = scope if self.store.table(report, indicator, scope) else "全部"
            where = self._what(report, indicator, scope) + note
            if f.position:
                rows = self.store.at_position(report, indicator, f.position, table_scope, f.bottom)
                if not rows:
                    lines.append(f"{where}只有 {len(self.store.table(report, indicator, table_scope))} 个名次。")
                    continue
                pos = f"倒数第{f.position}" if f.bottom else f"第{f.position}名"
                body = "、".join(f"{self._name(v.entity_id)} {v.value_text}" + (f"（第{v.rank}名）" if f.bottom else "") for v in rows)
                tie = "（并列）" if len(rows) > 1 else ""
                lines.append(f"{where}{pos}{tie}：{body}。来源：{rows[0].table}")
                facts += [v.value_text for v in rows] + [str(rows[0].rank)]
                focus = focus or [rows[0].entity_id]
            else:
                n = f.n or 10
                rows = self.store.top(report, indicator, n, table_scope, f.bottom)
                head = f"{where}{'倒数' if f.bottom else '前'}{n}名"
                body = "；".join(f"{v.rank}. {self._name(v.entity_id)} {v.value_text}" for v in rows)
                lines.append(f"{head}：{body}。来源：{rows[0].table if rows else ''}")
                facts += [v.value_text for v in rows]
                if chart is None and rows:
                    chart = {"title": head, "labels": [self._name(v.entity_id) for v in rows][:15],
                             "values": [v.value for v in rows][:15], "unit": ""}
        if not lines:
            return Reply("没有找到这样的排名。", "no_data", "top", context=self._context(f))
        ctx = self._context(f, focus)
        return Reply("\n".join(lines), "ok", "top", facts=facts, chart=chart, context=ctx)

    def _filter(self, f: Frame) -> Reply:
        keys, problem = self._reports(f)
        if problem:
            return Reply(problem, "no_data", "filter", facts=[str(y) for y in f.years])
        keys = [k for k in keys if k != "sc2021"]
        if not keys:
            return Reply("2021 年报告只公布梯队，不公布各城市指数，无法按分数筛选。", "no_data", "filter")
        report = keys[0]
        indicator, note = self._indicator(f, report)
        scope = self._scope(f, report) or "全部"
        rows = self.store.filter(report, indicator, f.low, f.high, scope, f.low_inclusive, f.high_inclusive)
        cond = []
        if f.low is not None:
            cond.append(f"{_fmt(f.low)} 分{'及以上' if f.low_inclusive else '以上（不含）'}")
        if f.high is not None:
            cond.append(f"{_fmt(f.high)} 分{'及以下' if f.high_inclusive else '以下（不含）'}")
        where = self._what(report, indicator, scope) + note
        if not rows:
            return Reply(f"{where}没有{'、'.join(cond)}的城市。", "ok", "filter", context=self._context(f))
        body = "、".join(f"{self._name(v.entity_id)} {v.value_text}" for v in rows)
        text = f"{where}{'、'.join(cond)}的共 {len(rows)} 个：{body}。来源：{rows[0].table}"
        return Reply(text, "ok", "filter", facts=[v.value_text for v in rows] + [str(len(rows))], context=self._context(f))

    # --- one entity, many numbers ------------------------------------------------------------
    def _profile(self, f: Frame) -> Reply:
        if not f.entity_ids:
            return Reply("想看哪个城市的各项得分？比如「上海2015年各项得分」。", "clarify", "profile")
        entity_id = f.entity_ids[0]
        keys, problem = self._reports(f)
        if problem:
            return Reply(problem, "no_data", "profile", facts=[str(y) for y in f.years])
        holding = [k for k in keys if k in self.store.reports_with(entity_id)]
        if not holding:
            return self._absent(f, entity_id, keys[0], "profile")
        report = holding[0]
        if report == "sc2021":
            return self._single(f, "profile")
        scope = self._scope(f, report)
        total = self._total(report)
        main = self.store.value(report, entity_id, total, scope)
        rows = []
        for ind in self.store.indicators(report):
            if ind.level > 1 or ind.name == total:
                continue
            v = self.store.value(report, entity_id, ind.name, main.scope if main else scope)
            if v:
                rows.append(v)
        name = self._name(entity_id)
        facts = []
        head = f"{name} · {LABEL[report]}"
        if main:
            head += f"{('·' + main.scope) if main.scope != '全部' else ''}：{self._value_line(main)}"
            facts += [main.value_text, str(main.rank)]
        lines = [head]
        for v in rows:
            rank = f"（第{v.rank}名{'，并列' if v.ties else ''}）" if v.rank and report != "gw2020" else ""
            lines.append(f"• {v.indicator} {v.value_text}{self._max(report, v.indicator)}{rank}")
            facts.append(v.value_text)
        tier = self._tier_line(report, entity_id)
        if tier:
            lines.append(f"• 城市画像：{tier}")
            facts.append(tier)
        clusters = [g for r, t, g, _ in self.store.memberships(entity_id, report) if t == "cluster"]
        if clusters:
            lines.append(f"• 所属城市群：{'、'.join(clusters)}")
        if main:
            lines.append(f"来源：{main.table}")
        chart = {"title": f"{name} {LABEL[report]}", "labels": [v.indicator for v in rows],
                 "values": [v.value for v in rows], "unit": ""} if rows else None
        return Reply("\n".join(lines), "ok", "profile", facts=facts, chart=chart, context=self._context(f))

    def _trend(self, f: Frame) -> Reply:
        if not f.entity_ids:
            return Reply("想看哪个城市的历届变化？比如「北京历届排名」。", "clarify", "trend")
        entity_id = f.entity_ids[0]
        name = self._name(entity_id)
        years = sorted(set(f.years))
        lines, facts = [], []
        indicator_asked = [c for _, cands in f.indicators for c in cands]
        if indicator_asked and 2014 in years:
            l1 = next((c for c in indicator_asked if self._indicator_in("sc2015", c)), None)
            for y in (2014, 2015):
                v = self.store.value("sc2015", entity_id, l1, "前十", year=y, measure="rate") if l1 else None
                if v:
                    lines.append(f"{y} 年{l1}：第{v.rank}名，得分率 {v.value_text}")
                    facts += [v.value_text, str(v.rank)]
                else:
                    lines.append(f"{y} 年{l1}：未进前十名")
            src = "来源：2015 年报告·2014 年与 2015 年前十名对比表（只列前十）"
            return Reply(f"{name}{l1}（2014 与 2015 对比）：\n" + "\n".join(lines) + "\n" + src, "ok", "trend",
                         facts=facts, context=self._context(f))
        history = {int(g): pos for r, t, g, pos in self.store.memberships(entity_id, "sc2015") if t == "top10"}
        want = set(years) if len(years) >= 2 else None
        for y in range(2011, 2015):
            if (want is None or y in want) and y in history:
                lines.append(f"{y} 年：第{history[y]}名（历届前十名对比表）")
                facts.append(str(history[y]))
        for key in ("sc2015", "sc2016"):
            year = self.store.report(key).year
            if want is not None and year not in want:
                continue
            indicator, note = self._indicator(f, key)
            v = self.store.value(key, entity_id, indicator)
            if v:
                lines.append(f"{year} 年：{indicator}{note} {v.value_text}，第{v.rank}名"
                             + ("（按总分排出，报告未印名次）" if v.rank_kind == "computed" else ""))
                facts += [v.value_text, str(v.rank)]
        if want is None or 2021 in want:
            tier = self._tier_line("sc2021", entity_id)
            if tier:
                lines.append(f"2021 年：{tier}（只公布梯队）")
        if not lines:
            return Reply(f"{name}没有可比的历届数据（历届前十名只列前十）。", "no_data", "trend", context=self._context(f))
        if len(history) == 0 and (want is None):
            lines.append("（2011–2014 年只公布了前十名，该城市未上榜）")
        return Reply(f"{name}历届智慧城市评估：\n" + "\n".join(lines), "ok", "trend", facts=facts, context=self._context(f))

    def _tier(self, f: Frame) -> Reply:
        keys, problem = self._reports(f)
        if problem:
            return Reply(problem, "no_data", "tier", facts=[str(y) for y in f.years])
        tier_groups = [g for g in f.groups if g[0] == "tier"]
        if tier_groups:
            report = "sc2021" if tier_groups[0][1] in ("领军", "先锋", "探索") else "de2020"
        elif "sc2021" in keys and (2021 in f.years or "sc2021" in f.report_keys):
            report = "sc2021"
        else:
            report = "de2020" if "de2020" in keys else ("sc2021" if "sc2021" in keys else "de2020")
        if f.entity_ids:
            entity_id = f.entity_ids[0]
            tier = self._tier_line(report, entity_id)
            if not tier:
                count = sum(len(self.store.members(report, "tier", g)) for _, g in self.store.groups(report, "tier"))
                return Reply(f"{self._name(entity_id)}不在{LABEL[report]}的 {count} 个城市中，没有梯队/画像。",
                             "no_data", "tier", facts=[self._name(entity_id), str(count)], context=self._context(f))
            text = f"{LABEL[report]}：{self._name(entity_id)}属{tier}。"
            if tier_groups and tier_groups[0][1] not in tier:
                text = f"不是。{text}"
            elif tier_groups:
                text = f"是的。{text}"
            if report == "de2020":
                v = self.store.value(report, entity_id, "数字经济指数")
                if v:
                    text += f"数字经济指数 {v.value_text}，第{v.rank}名。"
            return Reply(text, "ok", "tier", facts=[tier], context=self._context(f))
        name = tier_groups[0][1] if tier_groups else None
        if not name:
            return self._meta_tiers(report, f)
        members = self.store.members(report, "tier", name)
        rng = self.store.stats(report, "tier:" + name, kind="range")
        label = f"{name}城市" + (f"（{rng[0].value_text}）" if rng else "")
        text = f"{LABEL[report]}{label}共 {len(members)} 个：{'、'.join(m.entity for m in members)}。"
        return Reply(text, "ok", "tier", facts=[m.entity for m in members] + [str(len(members))], context=self._context(f))

    # --- about the reports -----------------------------------------------------------------------
    def _meta_tiers(self, report: str, f: Frame) -> Reply:
        parts = []
        for _, g in self.store.groups(report, "tier"):
            n = len(self.store.members(report, "tier", g))
            parts.append(f"{g}（{n} 个）")
        text = f"{LABEL[report]}把城市分为 {len(parts)} 类：{'、'.join(parts)}。"
        return Reply(text, "ok", "meta", facts=[p.split("（")[0] for p in parts], context=self._context(f))

    def _meta(self, f: Frame) -> Reply:
        keys, problem = self._reports(f)
        if problem:
            return Reply(problem, "no_data", "meta", facts=[str(y) for y in f.years])
        kind = f.meta
        if kind == "reports":
            lines = [f"• {LABEL[r.key]}：{r.title}，{r.publisher}，评估对象 {r.entity_count} 个" for r in self.store.reports()]
            return Reply("我能回答这五份报告里的数据：\n" + "\n".join(lines), "ok", "meta")
        if kind == "rename":
            for _surface, cands in f.indicators:
                for key in [k for k in keys if k in ("sc2016", "sc2015")] or ["sc2016", "sc2015"]:
                    for c in cands:
                        other = self._indicator_in(key, c)
                        if other and other != c:
                            y = self.store.report(key).year
                            return Reply(f"「{c}」在 {y} 年报告中称为「{other}」。", "ok", "meta", facts=[other])
            return Reply("这个指标在各届报告中名称没有变化。", "ok", "meta")
        report = keys[0]
        if kind == "maxscore":
            rep = self.store.report(report)
            if rep.max_score:
                return Reply(f"{LABEL[report]}：{rep.scale}。", "ok", "meta", facts=[rep.max_score])
            return Reply(f"{LABEL[report]}没有给出满分（{rep.scale}）。", "no_data", "meta")
        if kind == "tiers":
            report = "sc2021" if "sc2021" in f.report_keys or 2021 in f.years else ("de2020" if "de2020" in keys else report)
            return self._meta_tiers(report, f)
        if kind == "contains" and f.indicators:
            for key in keys:
                name, _ = self._indicator(f, key)
                children = [i for i in self.store.indicators(key) if i.parent == name]
                ind = self.store.indicator(key, name)
                if children:
                    text = f"{LABEL[key]}中「{name}」包括 {len(children)} 项：{'、'.join(c.name for c in children)}。"
                    return Reply(text, "ok", "meta", facts=[c.name for c in children])
                if ind and ind.description:
                    return Reply(f"{LABEL[key]}中「{name}」：{ind.description}。", "ok", "meta")
            return Reply("报告没有列出这个指标的下级指标。", "no_data", "meta")
        if kind == "weight" and f.indicators:
            name, _ = self._indicator(f, report)
            ind = self.store.indicator(report, name)
            w = (ind.weight or (ind.max_score and f"{ind.max_score} 分")) if ind else None
            if w:
                return Reply(f"{LABEL[report]}中「{name}」的权重为 {w}。", "ok", "meta", facts=[w])
            return Reply(f"{LABEL[report]}没有给出「{name}」的权重。", "no_data", "meta")
        if kind in ("count", "cities"):
            rep = self.store.report(report)
            text = f"{LABEL[report]}评估了 {rep.entity_count} 个城市。"
            if report == "sc2021":
                names = [m.entity for _, g in self.store.groups(report, "tier") for m in self.store.members(report, "tier", g)]
                text = f"{LABEL[report]}选取 2020 年 GDP 排名前 50 的城市（{len(names)} 个）：{'、'.join(names)}。"
            elif report == "de2020":
                text += "另评估了 50 个市辖区和 50 个县市。"
            return Reply(text, "ok", "meta", facts=[str(rep.entity_count)])
        inds = self.store.indicators(report)
        top = [i.name for i in inds if i.level == 1]
        total = self._total(report)
        text = f"{LABEL[report]}的指标：{'、'.join(top)}（合计为「{total}」）。"
        if report == "sc2021":
            l2 = [i.name for i in inds if i.level == 2]
            text = f"{LABEL[report]}有 {len(top)} 个一级指标：{'、'.join(top)}；{len(l2)} 个二级指标：{'、'.join(l2)}。"
        return Reply(text, "ok", "meta", facts=top)


def _quote(sentence: str, value: str) -> str:
    """The clause of a sentence that holds the value, trimmed for a phone screen."""
    clauses = re.split(r"(?<=[，。；,;])", sentence)
    for c in clauses:
        if value in c:
            return c.strip("，。；,; ")[:80]
    return sentence[:80]
