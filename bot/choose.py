"""Choosing what a question is about: report(s), indicator, ranking scope, and how names read.

The answer mixins (answer_city, answer_lists, answer_about) build on these helpers.
"""
from __future__ import annotations

from bot.reply import HINT, HISTORY_YEARS, LABEL, SCOPE, SMART, Reply, partial_table
from nlu.context import Context
from nlu.frame import Frame
from nlu.lexicon import Lexicon, lexicon_for
from nlu.rules import OFF_TOPIC
from store.catalogue import HISTORY_REPORT, REPORTS, ReportFacts
from store.query import Store, Value


class EngineBase:
    """The store, the lexicon, and how a question picks its report, indicator, scope and names."""

    def __init__(self, store: Store, lex: Lexicon | None = None):
        self.store = store
        self.lex = lex or lexicon_for(store)
        self.all_keys = [r.key for r in store.reports()]
        self._keys_of_year: dict[int, list[str]] = {}  # the reports of each year, for _reports
        for r in store.reports():
            self._keys_of_year.setdefault(r.year, []).append(r.key)

    def catalogue(self, report: str) -> ReportFacts:
        return REPORTS[report]

    def _context(self, frame: Frame, focus: list[str] | None = None) -> Context:
        return Context(intent=frame.intent, entities=frame.entity_ids, focus=focus or frame.entity_ids,
                       years=frame.years, report_keys=frame.report_keys, indicators=frame.indicators,
                       total=frame.total, groups=frame.groups, n=frame.n, position=frame.position, bottom=frame.bottom,
                       position_last=frame.position_last, group_kinds=list(frame.group_kinds),
                       alternatives=list(frame.alternatives), alternative_parents=list(frame.alternative_parents),
                       within=list(frame.within) if frame.within else [],
                       bounds=[frame.low, frame.high, frame.low_inclusive, frame.high_inclusive]
                       if frame.low is not None or frame.high is not None else [],
                       builds=frame.builds, meta=frame.meta)

    def _off_topic(self, f: Frame) -> Reply | None:
        """「上海房价多少」「2015年北京人口」: a city asked about something no report measures."""
        if f.indicators or f.total or not f.entity_ids:
            return None
        topic = next((t for t in OFF_TOPIC if t in f.norm), None)
        if topic is None and f.intent == "lookup" and f.leftover and not (f.years or f.report_keys):
            topic = f.leftover.split()[0]
        if topic is None:
            return None
        topic = topic.upper() if topic.isascii() else topic
        return Reply(f"报告里没有「{topic}」这类数据，只有城市评估的排名和得分。" + HINT, "out_of_scope", f.intent)

    # --- choosing reports, indicators, scopes ---------------------------------------
    def _reports(self, f: Frame) -> tuple[list[str], str | None]:
        """Reports the question can be about, most recent first; or a no-data message.  An answer asks this two or
        three times of one frame: the last answer is kept, keyed by what it reads."""
        key = (tuple(f.years), tuple(f.report_keys), tuple(f.groups), tuple(c for _, cands in f.indicators for c in cands))
        last = getattr(self, "_last_reports", None)
        if last is not None and last[0] == key:
            return list(last[1][0]), last[1][1]
        found = self._find_reports(f)
        self._last_reports = (key, found)
        return list(found[0]), found[1]

    def _find_reports(self, f: Frame) -> tuple[list[str], str | None]:
        keys = list(self.all_keys)
        if f.years:
            wanted = set()
            for y in f.years:
                if y in HISTORY_YEARS:
                    wanted.add(HISTORY_REPORT)
                else:
                    wanted.update(self._keys_of_year.get(y, ()))
            if not wanted:
                have = "、".join(f"{r.year} 年{r.subject}" for r in sorted(self.store.reports(), key=lambda r: r.year))
                return [], f"没有 {'、'.join(map(str, sorted(set(f.years))))} 年的评估数据。现有报告：{have}。"
            keys = [k for k in keys if k in wanted]
        scoped = [k for k in keys if any((k, name) in SCOPE for gtype, name in f.groups if gtype == "admin_level")] \
            if f.groups else []  # most questions name no group: not one generator per report
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
        return self.store.total_indicator(report)

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

    def _indicator_missing(self, f: Frame, keys: list[str]) -> Reply | None:
        """「2016年温州政府在线服务水平」: the indicator asked is not in the report(s) asked — say so, never
        answer another number in its place."""
        asked = [c for _, cands in f.indicators for c in cands]
        if not asked or any(self._indicator_in(k, c) for k in keys for c in asked):
            return None
        surface = f.indicators[0][0]
        having = [LABEL[k] for k in self.all_keys if any(self._indicator_in(k, c) for c in asked)]
        who = "、".join(self._name(e) for e in f.entity_ids[:2])
        text = f"{'、'.join(LABEL[k] for k in keys)}没有「{surface}」这个指标" + (f"，查不到{who}的这一项。" if who else "。")
        if having:
            text += f"有这个指标的报告：{'、'.join(having)}。"
        return Reply(text, "no_data", f.intent or "lookup", facts=[surface], context=self._context(f))

    def _what(self, report: str, indicator: str, scope: str = "全部") -> str:
        """「2015 智慧城市评估（第五届）·华南 智慧服务」: report, scope and indicator for a heading."""
        text = LABEL[report] + (f"·{scope}" if scope not in ("全部", "附件1") else "")
        return text + ("" if indicator == "数字经济指数" else f" {indicator}")

    def _scopes_for(self, f: Frame, report: str) -> list[str]:
        """The ranking scope the question names, or 全部, or (政府网站) every category the report ranks."""
        scope = self._scope(f, report)
        if scope:
            return [scope]
        indicator, _ = self._indicator(f, report)
        scopes = self.store.ranking_scopes(report, indicator)
        if "城市" in f.words and "省" not in f.words:  # 哪个城市: not the provinces' own table
            scopes = [s for s in scopes if not self._provincial(report, indicator, s)] or scopes
        return ["全部"] if not scopes or "全部" in scopes else scopes

    def _provincial(self, report: str, indicator: str, scope: str) -> bool:
        """Whether a ranking scope ranks provinces (政府网站's 省/自治区 table), not cities."""
        rows = self.store.table(report, indicator, scope)
        return bool(rows) and all(self.store.entity(v.entity_id).kind == "province" for v in rows)

    def _scope_rows(self, f: Frame, report: str, indicator: str, scope: str) -> tuple[list[Value], str | None]:
        """A scope's table on an indicator, and None; when that table prints no such column (the 2015 regional
        tables print only 总分), the full table's rows of the groups asked that the scope stands for (华中; 西北 in
        西北与西南), with those groups' names, so the caller says the places were picked from the full table."""
        rows = self.store.table(report, indicator, scope)
        if rows or scope == "全部":
            return rows, None
        asked = [(t, g) for t, g in f.groups if SCOPE.get((report, g)) == scope] or [("admin_level", scope)]
        members = {e for t, g in asked for e in self.store.group_entities(report, t, g)}
        kept = [v for v in self.store.table(report, indicator, "全部") if v.entity_id in members]
        return kept, ("、".join(g for _, g in asked) if kept else None)

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

    def _max_score(self, report: str, indicator: str) -> str | None:
        """The indicator's printed maximum (20 for 2015's 智慧管理), or None."""
        ind = self.store.indicator(report, indicator)
        return ind.max_score if ind else None

    def _max(self, report: str, indicator: str) -> str:
        top = self._max_score(report, indicator)
        return f"/{top}" if top and REPORTS[report].scores_out_of else ""

    def _narrow(self, f: Frame) -> Reply | None:
        """Resolve an ambiguous name by the reports in question, or ask."""
        keys, _ = self._reports(f)
        for m in f.ambiguous:
            inside = [c for c in m.candidates if set(self.store.reports_with(c)) & set(keys)]
            if len(inside) == 1 and not self._province_meant(m, inside[0]):
                m.candidates = inside
                continue
            options = m.candidates if len(inside) == 1 else (inside or m.candidates)
            labels = [(c, self._candidate_label(c)) for c in options]
            text = f"「{m.surface}」可能指：" + "、".join(lbl for _, lbl in labels) + "。请问是哪一个？"
            ctx = self._context(f)
            ctx.pending, ctx.pending_surface = [c for c, _ in labels], m.surface  # 「政府网站的」 may settle it
            ctx.pending_kinds = [self.store.entity(c).kind for c, _ in labels]  # 「省那个」 too
            ctx.pending_parents = [self.store.entity(c).parent_id or self.store.entity(c).province
                                   for c, _ in labels]  # 「南通那个」: the one in 南通
            return Reply(text, "clarify", f.intent or "unknown", candidates=labels, ambiguous=m.surface, context=ctx)
        return None

    def _province_meant(self, m, kept: str) -> bool:
        """「海南」 names the province first: a province left out only because the report lacks it, beside a
        prefecture that merely shares its stem (海南藏族自治州, not 吉林市), is worth asking about."""
        dropped = [c for c in m.candidates if c != kept and self.store.entity(c).kind == "province"]
        return bool(dropped) and self.store.entity(kept).full_name != m.surface + "市"

    def _candidate_label(self, entity_id: str) -> str:
        """How a clarify button names a candidate: 吉林市 / 吉林省, 海南藏族自治州, 黄浦区（上海）."""
        e = self.store.entity(entity_id)
        if e.kind in ("district", "county"):
            return self._name(entity_id)
        return e.full_name

    def _not_evaluated(self, f: Frame, name: str, intent: str) -> Reply:
        subjects = "、".join(dict.fromkeys(f"{r.year} 年{r.subject}" for r in self.store.reports()))
        text = f"报告里没有「{name}」的数据：五份报告（{subjects}）都没有评估它。"
        return Reply(text, "no_data", intent, facts=[name])

    def _no_such_indicator(self, f: Frame) -> Reply:
        """「南京智慧交通得分」: no report has that indicator — say so and name the smart-city indicators."""
        keys, _problem = self._reports(f)  # the report asked (by year or keyword), else the newest smart-city one
        smart = [k for k in (keys if f.years or f.report_keys else []) if self.catalogue(k).per_city_numbers][:1] or \
            [k for k in self.all_keys if k in SMART and self.catalogue(k).per_city_numbers][:1]
        names = "、".join(i.name for k in smart for i in self.store.indicators(k) if i.level == 1)
        who = "、".join(self._name(e) for e in f.entity_ids[:2])
        text = f"五份报告都没有「{f.unknown_indicator}」这个指标" + (f"，查不到{who}的这一项" if who else "") + "。" \
            + (f"{LABEL[smart[0]]}的一级指标：{names}。" if names else "")
        return Reply(text, "no_data", f.intent or "lookup", facts=[f.unknown_indicator], context=self._context(f))

    def _only_averages(self, f: Frame, intent: str) -> Reply | None:
        """「上海金融数字化多少分」: an indicator the report prints only as averages, never per city."""
        keys, _ = self._reports(f)
        for _surface, cands in f.indicators:
            for key in keys:
                for c in cands:
                    name = self._indicator_in(key, c)
                    if name and self.store.indicator(key, name) is None:
                        figures = [f"{'全部城市' if st.subject == '全部' else st.subject + ' 城市'}平均 {st.value_text}"
                                   for st in self.store.stats(key, None, name) if st.kind == "mean"]
                        text = f"{LABEL[key]}没有公布各城市的「{name}」得分" + (
                            f"，只印了{'、'.join(figures)}。" if figures else "。")
                        return Reply(text, "no_data", intent, facts=[name], context=self._context(f))
        return None

    def _absent(self, f: Frame, entity_id: str, report: str, intent: str) -> Reply:
        rep = self.store.report(report)
        where = [LABEL[k] for k in self.store.reports_with(entity_id)]
        text = f"{self._name(entity_id)}不在{LABEL[report]}的 {rep.entity_count} 个评估对象中。"
        if where:
            text += f"有它数据的报告：{'、'.join(where)}。"
        return Reply(text, "no_data", intent, facts=[str(rep.entity_count)], context=self._context(f))

    def _value_line(self, v: Value, note: str = "", with_rank: bool = True) -> str:
        parts = [f"{v.indicator} {v.value_text}{self._max(v.report, v.indicator)}"]
        if v.rate_text:
            parts[-1] += f"（得分率 {v.rate_text}）"
        if with_rank and v.rank is not None:
            parts.append(self._rank_words(v))
        line = "，".join(parts)
        if note.startswith("（") and line.endswith("）"):  # one bracket, not two: 「（报告未印名次，按得分算出；2016 年…）」
            return line[:-1] + "；" + note[1:]
        return line + note

    def _rank_words(self, v: Value, scope: str = "") -> str:
        """「排名第5，共 148 个」, 「与合肥并列第3，共 151 个」; a partial table says what it is (「地市前100名表中
        与苏州并列第2（该表列出 131 个）」), a computed rank says where it comes from."""
        tied = f"与{'、'.join(v.ties[:4])}{'等' if len(v.ties) > 4 else ''}并列第{v.rank}" if v.ties else ""
        partial = partial_table(v.table)
        if partial:
            return f"{scope}{partial}表中{tied or f'第{v.rank}'}（该表列出 {v.total} 个）"
        words = f"{scope}{tied or f'排名第{v.rank}'}，共 {v.total} 个"
        return words + ("（报告未印名次，按得分算出）" if v.rank_kind == "computed" else "")

    def _scope_label(self, v: Value) -> str:
        return "" if v.scope in ("全部", "附件1") else f"{v.scope}中"

    def _ids_named(self, name: str) -> list[str]:
        """The entity a printed name denotes, when it denotes exactly one."""
        ids = [s.value for s in self.lex.senses(name) if s.kind == "entity"]
        return ids if len(ids) == 1 else []

    def _tier_report(self, f: Frame, keys: list[str]) -> str:
        """Which report a tier question is about: one named by year or keyword, else one that publishes tiers
        beside scores (数字经济几线), else the tier-only report."""
        tiered = [k for k in self.all_keys if REPORTS[k].tier_kind]
        named = [k for k in tiered if k in f.report_keys or self.store.report(k).year in f.years]
        if named:
            return named[0]
        return next((k for k in tiered if k in keys and REPORTS[k].per_city_numbers), None) or \
            next((k for k in tiered if k in keys), tiered[0])

    def _tier_line(self, report: str, entity_id: str) -> str | None:
        for _rep, gtype, gname, _ in self.store.memberships(entity_id, report):
            if gtype == "tier":
                rng = self.store.stats(report, "tier:" + gname, kind="range")
                name = f"{self.catalogue(report).tier_prefix}{gname}城市"
                return f"{name}（指数 {rng[0].value_text}）" if rng else name
        return None

