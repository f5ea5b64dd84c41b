"""Answers about tiers and about the reports themselves (meta)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.choose import EngineBase
from bot.reply import HISTORY_YEARS, LABEL, SCOPE, Reply, partial_table, quote_clause
from nlu.frame import Frame
from store.catalogue import EDITIONS, HISTORY_REPORT, REPORTS, TIER_REPORT
from store.query import Value


@dataclass
class TierOf:
    """A place's tier in a report (`asked`: the tier the question names, if it asks 是不是), and its overall value
    where the report prints one per city."""

    report: str
    entity_id: str
    tier: str
    asked: str | None
    value: Value | None


# The method answering each Meta kind (nlu.rules gives a Meta rule its kind); a kind without one, or whose method
# returns None, is answered with the report's indicators.
META_ANSWERS = {
    "members": "_members", "member_of": "_member_of", "publisher": "_meta_publisher", "model": "_meta_model",
    "collection": "_meta_collection", "reports": "_meta_reports", "ranking": "_meta_ranking", "rename": "_meta_rename",
    "changes": "_meta_changes", "standard": "_meta_standard", "method": "_meta_method", "maxscore": "_meta_maxscore",
    "tiers": "_meta_tier_kinds", "contains": "_meta_contains", "weight": "_meta_weight", "count": "_meta_count",
    "cities": "_meta_count",
}


class AboutAnswers(EngineBase):
    """Tier membership and lists, and what the reports contain."""

    def _tier_of_line(self, result: TierOf) -> str:
        """「2020 城市数字经济指数：宝鸡属数字经济二线城市。数字经济指数 50.3，第104名。」, 是的 / 不是 first when asked."""
        text = f"{LABEL[result.report]}：{self._name(result.entity_id)}属{result.tier}。"
        if result.asked:
            text = ("是的。" if result.asked in result.tier else "不是。") + text
        v = result.value
        if v:
            text += f"{v.indicator} {v.value_text}，第{v.rank}名。"
        return text

    def _tier(self, f: Frame) -> Reply:
        keys, problem = self._reports(f)
        if problem:
            return Reply(problem, "no_data", "tier", facts=[str(y) for y in f.years])
        tier_groups = [g for g in f.groups if g[0] == "tier"]
        report = TIER_REPORT[tier_groups[0][1]] if tier_groups else self._tier_report(f, keys)
        if f.entity_ids:
            entity_id = f.entity_ids[0]
            tier = self._tier_line(report, entity_id)
            if not tier:
                count = sum(len(self.store.members(report, "tier", g)) for _, g in self.store.groups(report, "tier"))
                return Reply(f"{self._name(entity_id)}不在{LABEL[report]}的 {count} 个城市中，没有梯队/画像。",
                             "no_data", "tier", facts=[self._name(entity_id), str(count)], context=self._context(f))
            value = self.store.value(report, entity_id, self._total(report)) \
                if self.catalogue(report).per_city_numbers else None
            result = TierOf(report, entity_id, tier, tier_groups[0][1] if tier_groups else None, value)
            return Reply(self._tier_of_line(result), "ok", "tier", facts=[tier], context=self._context(f))
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

    def _meta_ranking(self, f: Frame, keys: list[str]) -> Reply:
        """2016年报告为什么没有排名: how each report ranks, from the catalogue."""
        how = {"printed": "印出了各城市的名次，这里照印出的给。",
               "computed": "只印各城市得分、不印名次（表中序号只是排列顺序）；这里给的名次按得分算出，同分并列，并会注明。",
               "dense": "印出了名次，同分并列，下一名次紧接着排（两个并列第2，下一个是第3），所以表中行数可多于名次。",
               "none": "只公布各城市属于哪个梯队，不公布指数和名次。"}
        named = [k for k in keys if k in f.report_keys or self.store.report(k).year in f.years] or keys
        lines = [f"{LABEL[k]}{how.get(REPORTS[k].ranking, '')}" for k in named]
        return Reply("\n".join(lines), "ok", "meta", context=self._context(f))

    def _meta_categories(self, report: str, f: Frame) -> Reply:
        total = self.store.total_indicator(report)
        scopes = [s for s in self.store.ranking_scopes(report, total) if s not in ("全部", "附件1")]
        if not scopes:
            return Reply(f"{LABEL[report]}没有把城市分类或分梯队，所有城市排在一张表里。", "ok", "meta", context=self._context(f))
        parts = []
        for scope in scopes:
            rows = self.store.table(report, total, scope)
            partial = partial_table(rows[0].table) if rows else None
            parts.append(f"{scope}（{partial}表，列出 {len(rows)} 个）" if partial else f"{scope}（{len(rows)} 个）")
        text = f"{LABEL[report]}分 {len(scopes)} 类排名：{'、'.join(parts)}。"
        return Reply(text, "ok", "meta", facts=scopes, context=self._context(f))

    def _member_of(self, f: Frame, keys: list[str]) -> Reply:
        """「南京在长三角吗」: yes or no, from the report that lists the group."""
        entity_id = f.entity_ids[0] if f.entity_ids else None
        for report in keys:
            gtype, gname, label = self._group_of(f, report)
            ids = self.store.group_entities(report, gtype, gname) if gtype != "all" else []
            if entity_id and ids:
                yes = entity_id in ids
                text = (f"{'是的' if yes else '不是'}。{LABEL[report]}中{label}共 {len(ids)} 个，"
                        f"{self._name(entity_id)}{'在其中' if yes else '不在其中'}。")
                return Reply(text, "ok", "meta", facts=[label, str(len(ids))], context=self._context(f))
        return Reply("报告里没有这个分组的名单。", "no_data", "meta", context=self._context(f))

    def _members(self, f: Frame, keys: list[str]) -> Reply:
        """Who a region, province, cluster or category holds in a report, best first."""
        for report in keys:
            gtype, gname, label = self._group_of(f, report)
            scope = SCOPE.get((report, gname)) if gtype == "admin_level" else None
            if scope and self.catalogue(report).category_tables:
                ids = [v.entity_id for v in self.store.table(report, self._total(report), scope)]
            else:
                ids = self.store.group_entities(report, gtype, gname) if gtype != "all" else []
            if not ids:
                continue
            order = {v.entity_id: i for i, v in enumerate(self.store.table(report, self._total(report)))}
            ids = sorted(ids, key=lambda i: order.get(i, len(order)))
            names = [self._name(i) for i in ids]
            text = f"{LABEL[report]}中{label}共 {len(ids)} 个：{'、'.join(names)}。"
            return Reply(text, "ok", "meta", facts=names + [str(len(ids))], context=self._context(f))
        return Reply("报告里没有这个分组的名单。", "no_data", "meta", context=self._context(f))

    def _meta(self, f: Frame) -> Reply:
        """What a report contains or says of itself: the answer of the question's kind (META_ANSWERS), else its
        indicator tree."""
        keys, problem = self._reports(f)
        if problem:
            return Reply(problem, "no_data", "meta", facts=[str(y) for y in f.years])
        answer = META_ANSWERS.get(f.meta or "")
        got = getattr(self, answer)(f, keys) if answer else None
        return got if got is not None else self._meta_indicators(f, keys)

    def _meta_publisher(self, f: Frame, keys: list[str]) -> Reply:
        """数字经济白皮书谁发布的: each report's publisher (the ones named, else all)."""
        named = keys if (f.report_keys or f.years) else self.all_keys
        lines = [f"{LABEL[k]}（{self.store.report(k).title}）由{self.store.report(k).publisher}发布。" for k in named]
        return Reply("\n".join(lines), "ok", "meta", facts=[self.store.report(k).publisher for k in named])

    def _meta_model(self, f: Frame, keys: list[str]) -> Reply:
        """2015年的评估用的啥模型: the model a report says its indicators are built on, and what it stands for."""
        named = keys if (f.report_keys or f.years) else self.all_keys
        said = [(k, st) for k in named for st in self.store.stats(k, "model", kind="model")]
        asked = [(k, st) for k, st in said if st.value_text.split()[0].lower() in f.norm]  # SMART模型是什么意思
        said = asked or said
        if not said:
            return Reply(f"{LABEL[named[0]]}没有说明依据什么评估模型。", "no_data", "meta", facts=[LABEL[named[0]]])
        lines, facts = [], []
        for k, st in said:
            meaning = self.store.stats(k, "model", kind="model_meaning")
            lines.append(f"{LABEL[k]}依据「{st.value_text}」" + (f"：{meaning[0].value_text}。" if meaning else "。")
                         + f"原文：「{quote_clause(st.sentence, st.value_text)}」")
            facts += [st.value_text] + [m.value_text for m in meaning]
        return Reply("\n".join(lines), "ok", "meta", facts=facts)

    def _meta_collection(self, f: Frame, keys: list[str]) -> Reply:
        """2015年的数据是怎么收集的: the methods the report lists."""
        named = keys if (f.report_keys or f.years) else self.all_keys
        said = [(k, st) for k in named for st in self.store.stats(k, "collection")]
        if not said:
            return Reply(f"{LABEL[named[0]]}没有说明数据是怎么收集的。", "no_data", "meta", facts=[LABEL[named[0]]])
        report = said[0][0]
        methods = [st.value_text for k, st in said if k == report]
        text = (f"{LABEL[report]}的资料收集方法：{'、'.join(methods)}。"
                f"例如：「{quote_clause(said[0][1].sentence.replace('*', ''), methods[0])}」")  # markdown bold
        return Reply(text, "ok", "meta", facts=methods)

    def _meta_reports(self, f: Frame, keys: list[str]) -> Reply:
        """The reports the bot answers from; 第五届是哪一年: the one named."""
        if (f.years or [k for k in f.report_keys if k in REPORTS]) and len(keys) < len(self.all_keys):
            lines = [f"{LABEL[k]}：{self.store.report(k).title}，{self.store.report(k).publisher}，"
                     f"评估对象 {self.store.report(k).entity_count} 个" for k in keys]  # 第五届是哪一年: the one named
            return Reply("\n".join(lines), "ok", "meta", facts=[str(self.store.report(k).year) for k in keys])
        reports = sorted(self.store.reports(), key=lambda r: -r.year)
        lines = [f"• {LABEL[r.key]}：{r.title}，{r.publisher}，评估对象 {r.entity_count} 个" for r in reports]
        smart = [r for r in reports if REPORTS[r.key].family == "smart"]
        newest = [LABEL[r.key] for r in reports if r.year == reports[0].year]
        tail = (f"其中智慧城市评估 {len(smart)} 份（{'、'.join(str(r.year) for r in smart[::-1])} 年）；"
                f"最新的是{'、'.join(newest)}。")
        return Reply(f"我能回答这 {len(reports)} 份报告里的数据（新的在前）：\n" + "\n".join(lines) + "\n" + tail, "ok",
                     "meta", facts=[str(r.year) for r in reports])

    def _meta_rename(self, f: Frame, keys: list[str]) -> Reply:
        """智慧管理后来叫什么: an indicator's name in the other edition."""
        for _surface, cands in f.indicators:
            for key in [k for k in keys if k in EDITIONS] or EDITIONS[::-1]:
                for c in cands:
                    other = self._indicator_in(key, c)
                    if other and other != c:
                        y = self.store.report(key).year
                        return Reply(f"「{c}」在 {y} 年报告中称为「{other}」。", "ok", "meta", facts=[other])
        return Reply("这个指标在各届报告中名称没有变化。", "ok", "meta")

    def _meta_maxscore(self, f: Frame, keys: list[str]) -> Reply:
        """满分是多少: the report's scale."""
        report = keys[0]
        rep = self.store.report(report)
        if rep.max_score:
            return Reply(f"{LABEL[report]}：{rep.scale}。", "ok", "meta", facts=[rep.max_score])
        return Reply(f"{LABEL[report]}没有给出满分（{rep.scale}）。", "no_data", "meta")

    def _meta_tier_kinds(self, f: Frame, keys: list[str]) -> Reply:
        """分几个梯队: the report's tiers, or the categories a report without tiers ranks."""
        untiered = [k for k in f.report_keys if k in REPORTS and not REPORTS[k].tier_kind]
        if untiered:  # 政府网站评估分几个类别: a report without tiers is split into the categories it ranks
            return self._meta_categories(untiered[0], f)
        return self._meta_tiers(self._tier_report(f, keys), f)

    def _meta_contains(self, f: Frame, keys: list[str]) -> Reply | None:
        """智慧基础设施包括哪些: an indicator's parts, or what it measures (None: no indicator named)."""
        if not f.indicators:
            return None
        for key in keys:
            name, _ = self._indicator(f, key)
            children = [i for i in self.store.indicators(key) if i.parent == name]
            ind = self.store.indicator(key, name)
            if children:
                parts = [_weighted(c) for c in children]
                text = f"{LABEL[key]}中「{name}」包括 {len(children)} 项：{'、'.join(parts)}。"
                return Reply(text, "ok", "meta", facts=[c.name for c in children])
            if ind and ind.description:
                return Reply(f"{LABEL[key]}中「{name}」：{ind.description}。", "ok", "meta")
            note = self.store.stats(key, "changes:2014", name)
            if note:
                return Reply(f"{LABEL[key]}中「{name}」：{note[0].sentence}（见指标体系修改说明表）", "ok", "meta")
        return Reply("报告没有列出这个指标的下级指标。", "no_data", "meta")

    def _meta_weight(self, f: Frame, keys: list[str]) -> Reply | None:
        """智慧基础设施的权重: an indicator's printed weight or maximum (None: no indicator named)."""
        if not f.indicators:
            return None
        report = keys[0]
        for key in keys:  # 智慧基础设施的权重, no year: the report that prints one (2016 prints none)
            name, _ = self._indicator(f, key)
            ind = self.store.indicator(key, name)
            w = (ind.weight or (ind.max_score and f"{ind.max_score} 分")) if ind else None
            if w:
                return Reply(f"{LABEL[key]}中「{name}」的权重为 {w}。", "ok", "meta", facts=[w])
        name, _ = self._indicator(f, report)
        return Reply(f"{LABEL[report]}没有给出「{name}」的权重。", "no_data", "meta")

    def _meta_count(self, f: Frame, keys: list[str]) -> Reply:
        """评估了多少个城市 / 评估了哪些城市: the report's own count and tables, or the count an earlier edition had."""
        report = keys[0]
        earlier = [y for y in f.years if y in HISTORY_YEARS]
        if f.meta == "count" and earlier:  # 2014年评估了多少个城市: only the 2015 report's text says, for 2014
            said = self.store.stats(HISTORY_REPORT, f"edition:{earlier[0]}", "总分", "count")
            if said:
                text = (f"{earlier[0]} 年的评估共 {said[0].value_text} 个城市（2015 年报告所述，2015 年增加到 "
                        f"{self.store.report(HISTORY_REPORT).entity_count} 个）。原文：「{quote_clause(said[0].sentence, said[0].value_text)}」")
                return Reply(text, "ok", "meta", facts=[said[0].value_text])
            return Reply(f"报告没有记载 {earlier[0]} 年评估了多少个城市：2011–2014 年的评估只留下前十名。", "no_data", "meta",
                         facts=[str(earlier[0])])
        rep = self.store.report(report)
        text = f"{LABEL[report]}评估了 {rep.entity_count} 个城市。"
        facts = self.catalogue(report)
        if facts.selection:
            names = [m.entity for _, g in self.store.groups(report, "tier") for m in self.store.members(report, "tier", g)]
            text = f"{LABEL[report]}{facts.selection}（{len(names)} 个）：{'、'.join(names)}。"
        sizes = [(len(self.store.table(report, self._total(report), scope)), scope) for scope in facts.extra_scopes]
        if sizes:  # 县区一共选了几个样本: each table, and the sum
            text += f"另评估了{'和'.join(f'{n} 个{scope}' for n, scope in sizes)}" + (
                f"（共 {sum(n for n, _ in sizes)} 个）。" if len(sizes) > 1 else "。")
        return Reply(text, "ok", "meta", facts=[str(rep.entity_count)])

    def _meta_indicators(self, f: Frame, keys: list[str]) -> Reply:
        """A report's indicators (level 1 with weights, level 2 where it lists them), their count per level, or the
        other system of the tables asked."""
        report = keys[0]
        system = self._other_system(f, report)
        if system:  # 县域的一级指标: the system that scores the districts and counties
            return system
        inds = self.store.indicators(report)
        levels = [n for n, word in ((1, "一级"), (2, "二级"), (3, "三级")) if word in f.norm]
        if levels and re.search(r"几个|多少个|多少项|数量|一共有|共有|总共", f.norm):  # 2021年有多少个三级指标
            counts = [self._level_count(report, level, inds) for level in levels]  # 一级和二级各有多少个: each
            if len(counts) == 1:
                return counts[0]
            return Reply("\n".join(r.text for r in counts), "ok" if any(r.status == "ok" for r in counts) else "no_data",
                         "meta", facts=[x for r in counts for x in r.facts])
        top = [i.name for i in inds if i.level == 1]
        total = self._total(report)
        text = f"{LABEL[report]}的指标：{'、'.join(_weighted(i) for i in inds if i.level == 1)}（合计为「{total}」）。"
        if self.catalogue(report).list_parts:
            l2 = [i.name for i in inds if i.level == 2]
            text = (f"{LABEL[report]}有 {len(top)} 个一级指标：{'、'.join(_weighted(i) for i in inds if i.level == 1)}；"
                    f"{len(l2)} 个二级指标：{'、'.join(l2)}。")
        return Reply(text, "ok", "meta", facts=top)

    def _other_system(self, f: Frame, report: str) -> Reply | None:
        """The indicator system of the tables the question names, where the report scores them by another
        system than its own (数字经济: 市辖区 and 县市, 区县 meaning both), or None."""
        districts = self.catalogue(report).district_scopes
        scopes = [s for _, g in f.groups for s in ((districts or {}).values() if g == "区县" else [SCOPE.get((report, g))])]
        found = [(s, self.store.indicator_system(report, s)) for s in dict.fromkeys(scopes) if s]
        found = [(s, got) for s, got in found if got]
        if not found:
            return None
        title, inds = found[0][1]
        top = [i for i in inds if i.level == 1]
        parts = "；".join(f"{_weighted(i)}：" + "、".join(_weighted(c) for c in inds if c.parent == i.name) for i in top)
        tables = "、".join(s for s, got in found if got[0] == title)
        text = (f"{LABEL[report]}的{tables}按「{title}」评分，{len(top)} 个一级指标——{parts}。"
                f"（城市用另一套：{'、'.join(_weighted(i) for i in self.store.indicators(report) if i.level == 1)}。）")
        return Reply(text, "ok", "meta", facts=[i.name for i in top])

    def _level_count(self, report: str, level: int, inds) -> Reply:
        """How many indicators of one level: as the text states it, and as its tables list them."""
        word = "一二三"[level - 1] + "级指标"
        listed = [i.name for i in inds if i.level == level]
        stated = self.store.stats(report, "指标体系", word, "count")
        if stated:
            text = f"{LABEL[report]}共有 {stated[0].value_text} 个{word}（报告正文所述）"
            if listed and str(len(listed)) != stated[0].value_text:
                text += f"；报告的指标表列出 {len(listed)} 个"
            return Reply(text + "。", "ok", "meta", facts=[stated[0].value_text])
        if listed:
            shown = "、".join([_weighted(i) for i in inds if i.level == level][:20]) + ("等" if len(listed) > 20 else "")
            return Reply(f"{LABEL[report]}有 {len(listed)} 个{word}：{shown}。", "ok", "meta", facts=[str(len(listed))])
        return Reply(f"{LABEL[report]}没有{word}。", "no_data", "meta")

    # --- how the reports are built --------------------------------------------------------------
    def _meta_changes(self, f: Frame, keys: list[str]) -> Reply:
        """What changed in an indicator system: 2015's printed table of changes since 2014, and 2016 against 2015
        (renamed and new level-1 indicators, read from the two indicator trees)."""
        lines = []
        first, second = EDITIONS[0], EDITIONS[-1]
        year1, year2 = self.store.report(first).year, self.store.report(second).year
        wanted = {self.store.report(k).year for k in keys} if f.years else {year1, year2}
        if year2 in wanted and {first, second} <= set(self.all_keys):
            old = [i.name for i in self.store.indicators(first) if i.level == 1]
            new = [i.name for i in self.store.indicators(second) if i.level == 1]
            renamed = [(o, self._indicator_in(second, o)) for o in old if self._indicator_in(second, o) not in (None, o)]
            added = [n for n in new if n not in old and n not in {r for _, r in renamed}]
            parts = [f"「{o}」改称「{n}」" for o, n in renamed] + ([f"新增「{'、'.join(added)}」"] if added else [])
            lines.append(f"{year2} 年与 {year1} 年相比（一级指标）：{'；'.join(parts)}。")
        named = [self._indicator_in(first, c) for _, cands in f.indicators for c in cands if self._indicator_in(first, c)]
        if year1 in wanted and named:  # 保障体系的权重是怎么调整的: that indicator's changes only
            notes = [st for st in self.store.stats(first, "changes:2014") if st.indicator in named
                     or self.store.indicator(first, st.indicator) and self.store.indicator(first, st.indicator).parent in named]
            weights = {st.kind: st for st in notes if st.kind in ("weight_2014", "weight_2015")}
            said = [f"权重由 {weights['weight_2014'].value_text} 分调整为 {weights['weight_2015'].value_text} 分。原文："
                    f"「{quote_clause(weights['weight_2015'].sentence, '权重')}」"] if len(weights) == 2 else []
            parts = [f"{word}「{st.indicator}」" for st in notes for kind, word in
                     (("added", "新增"), ("removed", "删除"), ("changed", "修改")) if st.kind == kind]
            if said or parts:
                text = f"2015 年「{named[0]}」与 2014 年相比：" + "；".join(said + (["下设指标：" + "、".join(parts)] if parts else []))
                return Reply(text.rstrip("。") + "。", "ok", "meta", facts=[st.value_text for st in weights.values()])
        if year1 in wanted:
            notes = self.store.stats(first, "changes:2014")
            for kind, word in (("added", "新增"), ("removed", "删除"), ("changed", "修改")):
                names = [st.indicator for st in notes if st.kind == kind]
                if names:
                    lines.append(f"2015 年比 2014 年{word}：{'、'.join(names)}。")
            if notes:
                lines.append("来源：2015 年报告·指标体系修改说明表")
        if not lines:
            return Reply("报告没有说明这一届指标的变化。", "no_data", "meta")
        return Reply("\n".join(lines), "ok", "meta", facts=[])

    def _meta_standard(self, f: Frame, keys: list[str]) -> Reply:
        """The thresholds of a tier (领军 ≥ 0.85 …), as printed."""
        for _gtype, name in [g for g in f.groups if g[0] == "tier"]:
            report = TIER_REPORT[name]
            rng = self.store.stats(report, "tier:" + name, kind="range")
            if rng:
                return Reply(f"{LABEL[report]}：{name}城市的标准是发展水平指数 {rng[0].value_text}。原文：「{rng[0].sentence.split(chr(9))[0]}」",
                             "ok", "meta", facts=[rng[0].value_text])
            return Reply(f"{LABEL[report]}没有印出{name}城市的划分标准，只列出名单。", "no_data", "meta")
        return Reply("想问哪一类城市的标准？比如「领军城市是什么标准」。", "clarify", "meta")

    def _meta_method(self, f: Frame, keys: list[str]) -> Reply:
        """How a printed figure is computed (e.g. the GDP-weighted cluster scores)."""
        for key in keys:
            found = self.store.stats(key, kind="method")
            if found:
                return Reply(f"{LABEL[key]}：{found[0].sentence}", "ok", "meta", facts=[found[0].value_text])
        return Reply("报告没有说明这个数的算法。", "no_data", "meta")


def _weighted(ind) -> str:
    """An indicator's name with its printed weight or maximum: 城市服务（35%）, 智慧管理（20 分）."""
    w = ind.weight or (ind.max_score and f"{ind.max_score} 分")
    return f"{ind.name}（{w}）" if w else ind.name
