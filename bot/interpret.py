"""The interpreter: walks a query tree (nlu.query) and returns one Reply.

Leaves about one subject (Rank, Value, Profile, Tier, Change, Compare, Mean,
Meta, and plain Top/Nth/Where lists) are answered by the answer family of the
leaf's kind (`LEAF_ANSWERS`: answer_city, answer_lists, answer_about) on the
question's frame, narrowed to the leaf's subject.  The composing nodes are
evaluated here:
  - Each: every item on its own, joined into one block;
  - sets (Cities, InGroup, Outside, Where, Top, Nth) are evaluated to rows of
    one ranking table (`Rows`) — the report's, filtered by province, tier or
    city cluster — then to a typed result (`Counted`, `Placed`, `Listed`), and
    each result type has its renderer (`SET_RENDERERS`);
  - Mean with `minus`: the difference of two averages.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import NamedTuple

from bot.choose import EngineBase
from bot.reply import LABEL, SCOPE, Reply, bound_text, fmt_number, partial_table, within
from nlu import query as q
from nlu.frame import Frame, Mention
from nlu.query import walk as _walk
from nlu.rules import OFF_TOPIC
from store.catalogue import TIER_REPORT
from store.query import Value

SMALL_TALK = {
    "hello": "你好！我是城市评估问答，回答中国城市在五份评估报告里的排名和得分。",
    "thanks": "不客气！还有想查的城市或指标，直接问就好。",
    "who": "我是城市评估问答机器人：不靠大模型，只用五份公开评估报告里印出的数字回答。",
    "bye": "再见！还有想查的城市，随时来问。",
    "trust": "每个数字都照五份公开报告原文给出；报告自相矛盾的地方照印出的给，并在答案里注明。名次由我按得分算出时也会说明。",
    "help": "我能回答五份城市评估报告（2015、2016、2021 年智慧城市，2020 年政府网站、数字经济）里的排名、得分、梯队和指标。",
}
EXAMPLES = "比如：「无锡2015智慧管理排名」「广东哪些城市进了数字经济前30」「宝鸡和泰安数字经济分别几线」。"


class Rows(NamedTuple):
    """A set evaluated: what it is (a heading), its members in table order with their value on the indicator
    asked (None where the report prints tiers only), and whether values were printed."""

    label: str
    rows: list[tuple[str, Value | None]]
    has_values: bool
    own_ranks: bool = True  # the ranks printed are the set's own (False: its places were taken from a larger table)


# What a set node evaluates to (its rows, and what was asked of them); the renderer is chosen by this type.
@dataclass
class Counted:
    """How many members a set has (Count)."""

    rows: Rows


@dataclass
class Placed:
    """The members standing at place k (or at every place k..last) of a set (Nth)."""

    rows: Rows
    k: int
    last: int | None
    bottom: bool


@dataclass
class Listed:
    """The members of a set (Members, Top, Where)."""

    rows: Rows


SET_RENDERERS = {Counted: "_render_counted", Placed: "_render_placed", Listed: "_render_listed"}


def _result_of(node: q.Node, rows: Rows) -> Counted | Placed | Listed:
    """The typed result of a set node whose rows were evaluated."""
    if isinstance(node, q.Count):
        return Counted(rows)
    if isinstance(node, q.Nth):
        return Placed(rows, node.k, node.last, node.bottom)
    return Listed(rows)


# The answer family of each leaf kind: a leaf about one subject is answered by that method of the engine (the
# guards in Engine._dispatch run first).  The contract's intent is the node's family, not this.
LEAF_ANSWERS: dict[type, str] = {
    q.Rank: "_rank", q.Value: "_lookup", q.Compare: "_compare", q.Tier: "_tier", q.Change: "_trend",
    q.Profile: "_profile", q.Mean: "_region_avg", q.Top: "_top", q.Nth: "_top", q.Where: "_filter", q.Meta: "_meta",
}


def leaf_answer(node: q.Node | None, f: Frame) -> str:
    """The method answering a leaf: by its kind; who is in a tier is the tier family's list, who is in any
    other group (直辖市, 长三角) the report's; a node of no leaf kind, by the question's intent."""
    if isinstance(node, q.Members):
        return "_tier" if any(isinstance(n, q.InGroup) and n.group[0] == "tier" for n in _walk(node)) else "_meta"
    return LEAF_ANSWERS.get(type(node)) or "_" + (f.intent or "meta")


class Interpreter(EngineBase):
    """Evaluates query trees; the answer families provide the leaves."""

    def _evaluate(self, node: q.Node, f: Frame) -> Reply:
        if isinstance(node, q.SmallTalk):
            extra = "" if node.kind == "bye" else EXAMPLES
            return Reply(SMALL_TALK.get(node.kind, SMALL_TALK["hello"]) + extra, "out_of_scope", "unknown")
        if isinstance(node, q.Unclear) and node.kind == "off_topic":
            named = [t for t in OFF_TOPIC if t in f.words] or f.leftover.split()[-1:] or ["这个"]
            topic = named[-1]  # the object of the request: 机票, 下雨, 好吃
            return Reply(f"「{topic}」不在报告里：我只回答城市评估报告里的排名和得分。" + EXAMPLES, "out_of_scope", "unknown")
        if isinstance(node, q.Unclear) and node.kind == "which":
            return Reply("想查哪个城市、哪份报告的排名？比如「无锡2015年排名」或「数字经济前十」。", "clarify", "unknown")
        if isinstance(node, q.Each):
            return self._each(node, f)
        if isinstance(node, q.Gains):
            return self._gains(node, f)
        if isinstance(node, q.Compare) and node.place and len(node.ask.entities) == 1:
            return self._versus_place(node, f)
        if isinstance(node, q.Profile) and node.pick:
            return self._profile_pick(node, f)
        if isinstance(node, q.Both) or isinstance(node, q.Count) and isinstance(node.of, q.Both):
            return self._both(node, f)
        if isinstance(node, (q.Members, q.Top, q.Nth, q.Where, q.Count)) and _needs_sets(node, f):
            return self._set_answer(node, f)
        if isinstance(node, q.GroupMeans) or isinstance(node, (q.Top, q.Nth)) and isinstance(node.of, q.GroupMeans):
            return self._group_ranking(node, f)
        if isinstance(node, (q.Rank, q.Value)) and len(node.ask.entities) == 2:
            wrong = self._not_inside(node, f)  # 无锡…在浙江排第几: a false premise, said first
            if wrong:
                return wrong
        if isinstance(node, (q.Rank, q.Value)) and len(node.ask.entities) == 1 and self._within_groups(node, f):
            return self._rank_in_group(node, f)
        if isinstance(node, q.Mean) and node.of is not None:
            return self._mean_of_set(node, f)
        if isinstance(node, q.Mean) and node.minus is not None:
            return self._mean_difference(node, f)
        if isinstance(node, q.Mean) and node.ranked:
            return self._group_place(f, self._dispatch(f, node))
        return self._dispatch(f, node)

    # --- Each ---------------------------------------------------------------------------------
    def _each(self, node: q.Each, f: Frame) -> Reply:
        replies = [self._evaluate(item, _set_frame(f, item, self.store)) if isinstance(item, q.OnSet)
                   else self._dispatch(_narrowed(f, item, self.store), item) for item in node.items]
        good = [r for r in replies if r.status in ("ok", "no_data")]
        if not good:
            return replies[0]
        text = "\n".join(("• " if len(good) > 1 and "\n• " not in r.text else "") + r.text for r in good)  # a block of its own
        if len(good) > 1 and all(isinstance(i, q.Count) for i in node.items) and all(r.status == "ok" for r in good):
            sets = [self._rows(i.of, _set_frame(f, i, self.store)) for i in node.items]
            ids = [{e for e, _ in got.rows} for got in sets if not isinstance(got, Reply)]
            if len(ids) == len(good):  # 直辖市和副省级城市一共几个: each table, and how many in all
                union = set().union(*ids)
                overlap = sum(len(x) for x in ids) - len(union)
                text += f"\n合计 {len(union)} 个" + (f"（有 {overlap} 个同时在两张表里，只算一次）。" if overlap else "。")
        status = "ok" if any(r.status == "ok" for r in good) else "no_data"
        facts = [x for r in good for x in r.facts]
        reply = Reply(text, status, node.family, facts=facts, context=self._context(f))
        reply.chart = next((r.chart for r in good if r.chart), None)
        return reply

    # --- sets ----------------------------------------------------------------------------------
    def _set_answer(self, node: q.Node, f: Frame) -> Reply:
        family = "tier" if f.intent == "tier" else node.family
        sub = _set_frame(f, node, self.store)
        got = self._rows(node, sub)  # the base set on its own groups (filters are nodes)
        if (isinstance(got, Reply) or not got.rows) and not (f.report_keys or f.years):
            for key in self._reports(sub)[0][1:]:  # 青海有几个城市参评, no report named: one that has them
                other = self._rows(node, _with_report(sub, key))
                if not isinstance(other, Reply) and other.rows:
                    got = other
                    break
        if isinstance(got, Reply):
            got.intent = family
            return got
        result = _result_of(node, got)
        label, rows, has_values = got.label, got.rows, got.has_values
        ranks = isinstance(node, (q.Members, q.Count)) and "rank" in f.asks  # 领军城市…分别排第几
        tiers = isinstance(node, (q.Members, q.Count)) and "tier" in f.asks and not any(
            isinstance(n, q.InGroup) and n.group[0] == "tier" for n in _walk(node))  # …分别是几线 (a tier's own list: no)
        report = next((v.report for _, v in rows if v is not None), None) or _tier_report(sub, self)
        names = lambda rs: "、".join(self._name(e) + (f" {v.value_text}" if v is not None and has_values else "")  # noqa: E731
                                    + (f"（第{v.rank}名）" if ranks and v is not None and v.rank else "")
                                    + (f"（{(self._tier_line(report, e) or '未分档').split('（')[0]}）" if tiers and report else "")
                                    for e, v in rs)
        rendered = getattr(self, SET_RENDERERS[type(result)])(result, names)
        if rendered is None and isinstance(result, Placed):  # no one stands there
            return Reply(f"{label}没有第{result.k}名。", "no_data", family, context=self._context(f))
        if rendered is None:  # an empty set: said, with a count of 0
            return Reply(f"{label}：没有符合条件的城市。", "ok", family, facts=["0"], context=self._context(f, []))
        text, facts = rendered
        if isinstance(node, (q.Count, q.Members)) and "share" in f.asks:  # 探索城市占比多少: of how many
            base = node.of.of if isinstance(node.of, q.OnSet) else None  # the set the filter was taken from
            every = self._rows(base, sub) if base else None
            if every and not isinstance(every, Reply) and every.rows:
                share = f"{len(rows) / len(every.rows) * 100:.0f}%"
                text = text.rstrip("。") + f"。占全部 {len(every.rows)} 个的 {share}。"
                facts.append(share)
        source = "、".join(dict.fromkeys(v.table for _, v in rows if v is not None and v.table))  # merged: each table
        if source:
            text += f"来源：{source}"
        ids = [e for e, _ in rows]
        ctx = self._context(f, ids[:1] if isinstance(node, q.Nth) else ids[:2])
        ctx.members = ids[:10]
        if isinstance(node, q.Nth) and not node.last and len(ids) > 1:
            ctx.entities = ids[:5]  # 第9名（并列）：大连、南京 → 它们…谁高: the cities sharing the place
        ctx.filters = [n.group for n in _walk(node) if isinstance(n, q.InGroup)]  # 有几个: the same list again
        kept = [n.group for n in _walk(node) if isinstance(n, q.InGroup) and not isinstance(n.of, (q.Top, q.Nth))]
        ctx.groups = list(dict.fromkeys(ctx.groups + kept))  # a filter of the whole set carries on; one of a top list
        # (前十里有哪些是江苏的) was a side question: 第十一名呢 continues the list itself
        ctx.entities = [e for e in ctx.entities if self.store.entity(e).kind != "province"]  # kept as a filter
        return Reply(text, "ok", family, facts=facts, context=ctx)

    def _render_counted(self, result: Counted, names) -> tuple[str, list[str]]:
        """How many, and which: 「…共 12 个：…」 (a partial table says it lists only its top places)."""
        label, rows = result.rows.label, result.rows.rows
        partial = partial_table(next((v.table for _, v in rows if v is not None), "") or "")  # 区县 前100名: no census
        text = f"{label}共 {len(rows)} 个" + (f"（该表只列出{partial}）" if partial else "") \
            + (f"：{names(rows)}。" if rows else "。")
        return text, [str(len(rows))]

    def _render_placed(self, result: Placed, names) -> tuple[str, list[str]] | None:
        """Who stands at a place (those tied there), or every place of a range: 「…第 3：…」「…第 50–55 名：…」."""
        label, rows = result.rows.label, result.rows.rows
        if not rows:
            return None
        if result.last:
            places = "；".join(f"{v.rank}. {self._name(e)} {v.value_text}" for e, v in rows)
            text = f"{label}{'倒数' if result.bottom else ''}第{result.k}–{result.last}名：{places}。"
        else:
            text = f"{label}{'倒数' if result.bottom else ''}第{result.k}：{names(rows)}" + _ranks(rows) + "。"
        return text, [v.value_text for _, v in rows if v is not None]

    def _render_listed(self, result: Listed, names) -> tuple[str, list[str]] | None:
        """The members of a set: 「…共 5 个：A 80.2、B 79.7…」."""
        label, rows = result.rows.label, result.rows.rows
        if not rows:
            return None
        return f"{label}共 {len(rows)} 个：{names(rows)}。", [self._name(e) for e, _ in rows] + [str(len(rows))]

    def _rows(self, node: q.Node, f: Frame) -> Rows | Reply:
        """A set node evaluated, or a Reply saying why it cannot be."""
        if isinstance(node, q.Cities):
            return self._cities(f)
        if isinstance(node, (q.Members, q.Count)):
            return self._rows(node.of, f)
        got = self._rows(node.of, f)
        if isinstance(got, Reply):
            return got
        label, rows, has_values = got.label, got.rows, got.has_values
        if isinstance(node, q.Outside):
            gtype, left_out = node.group[0], (node.group[1], *node.also)
            out = set(left_out) if gtype == "entity" else set().union(*(self._group_ids(gtype, g) for g in left_out))
            shown = "、".join(self._name(g) if gtype == "entity" else g for g in left_out)
            return Rows(label + f"（不含{shown}）", [(e, v) for e, v in rows if e not in out], has_values)
        if isinstance(node, q.InGroup):
            gtype = node.group[0]
            group_names = (node.group[1], *node.also)
            keep = set().union(*(self._group_ids(gtype, g) for g in group_names))
            name = "、".join(self._name(g) if gtype == "parent" else g for g in group_names)
            where = {"province": f"{name}的", "tier": f"{name}城市中", "cluster": f"{name}城市中",
                     "parent": f"{name}的", "place_kind": f"{name}中"}.get(gtype, name)
            return Rows(label + where, [(e, v) for e, v in rows if e in keep or self._province_of(e) in keep], has_values)
        if not has_values:
            return Reply(f"{label}只公布梯队，没有各城市的分数，无法排序或按分数筛选。", "no_data", node.family,
                         context=self._context(f))
        ordered = sorted(rows, key=lambda r: -(r[1].value or 0))
        if isinstance(node, q.Where) and node.on:  # a second indicator's bound: read each member's value on it
            if not ordered:  # nobody passed the first condition
                return Rows(label, [], True)
            report = ordered[0][1].report
            other = next((self._indicator_in(report, n) for n in node.on if report and self._indicator_in(report, n)),
                         self._total(report) if report and node.on == ["总分"] else None)
            if other is None:
                return Reply(f"{label.strip()}没有「{node.on[0]}」这个指标。", "no_data", node.family, context=self._context(f))
            theirs = {e: self.store.value(report, e, other, v.scope) or self.store.value(report, e, other) for e, v in ordered}
            keep = [(e, v) for e, v in ordered if theirs[e] is not None and within(
                theirs[e].value, node.low, node.high, node.low_inclusive, node.high_inclusive)]
            return Rows(label + f"，{other} " + bound_text(node.low, node.high, node.low_inclusive, node.high_inclusive,
                                                     False), keep, True)
        if isinstance(node, q.Where):
            low, high = node.low, node.high
            if f.full_marks:
                ind = self.store.indicator(ordered[0][1].report, ordered[0][1].indicator) if ordered else None
                if ind is None or not ind.max_score:
                    return Reply("这个指标没有印出满分，无法判断谁拿满。", "no_data", node.family, context=self._context(f))
                low = high = float(ind.max_score)
            if f.by_rate:  # 得分率超过50%: the printed rates, or each score against the printed maximum
                ind = self.store.indicator(ordered[0][1].report, ordered[0][1].indicator) if ordered else None
                top = float(ind.max_score) if ind and ind.max_score else None
                rated = [(e, v, _rate(v)) for e, v in ordered if _rate(v) is not None]
                note = ""
                if not rated and top:  # 2015年得分率超过70%的城市 (总分): not printed, computed against 105
                    rated = [(e, v, v.value / top * 100) for e, v in ordered if v.value is not None]
                    note = f"（报告未印得分率，按满分 {ind.max_score} 计算）"
                if not rated:
                    return Reply(f"{label}没有印出得分率，无法按得分率筛选。", "no_data", node.family, context=self._context(f))
                keep = [(e, v) for e, v, r in rated if within(r, low, high, node.low_inclusive, node.high_inclusive)]
                return Rows(label + "得分率 " + bound_text(low, high, node.low_inclusive, node.high_inclusive, False).replace(
                    " 分", "%") + note, keep, True)
            keep = [r for r in ordered if within(r[1].value, low, high, node.low_inclusive, node.high_inclusive)]
            return Rows(label + bound_text(low, high, node.low_inclusive, node.high_inclusive, f.full_marks), keep, True)
        if isinstance(node, (q.Top, q.Nth)):
            seq = list(reversed(ordered)) if node.bottom else ordered
            filtered = any(isinstance(n, (q.InGroup, q.Outside, q.Where)) for n in _walk(node.of)) \
                or not got.own_ranks  # places within a larger table: counted, not read from the ranks
            if isinstance(node, q.Top):
                ranked = all(r[1].rank is not None for r in seq)
                if ranked and not node.bottom and not filtered:  # 前100名 as the table prints it: dense ranks give more rows
                    cut = [r for r in seq if r[1].rank <= node.n]
                else:
                    cut = seq[: node.n]
                    cut += [r for r in seq[node.n:] if cut and r[1].value == cut[-1][1].value]
                return Rows(label + f"{'倒数' if node.bottom else '前'}{node.n}名", cut, True)
            if node.last:  # 第50到55名: every place in the range, as the table prints the places
                if all(r[1].rank is not None for r in seq) and not node.bottom and not filtered:
                    return Rows(label, [r for r in seq if node.k <= r[1].rank <= node.last], True)
                return Rows(label, seq[node.k - 1: node.last], True)
            if not 1 <= node.k <= len(seq):
                return Rows(label, [], True)
            target = seq[node.k - 1][1].value
            return Rows(label, [r for r in seq if r[1].value == target], True)
        return got

    def _cities(self, f: Frame):
        """Every city of the report the question is about, with its value on the indicator asked."""
        keys, problem = self._reports(f)
        if problem:
            return Reply(problem, "no_data", f.intent or "top", facts=[str(y) for y in f.years])
        tier = next((g for t, g in f.groups if t == "tier"), None)
        if tier and not [k for k in f.report_keys if k != "smart" and k != TIER_REPORT[tier]]:
            keys = [TIER_REPORT[tier]]  # unless another report's table is asked (领军城市在数字经济里)
        if f.full_marks:  # 加分项拿满的城市: a report that prints the indicator's maximum
            keys = sorted(keys, key=lambda k: not self._max(k, self._indicator(f, k)[0]))
        missing = self._indicator_missing(f, keys)  # 2015年减分项为0的城市: 2015 has no 减分项
        if missing:
            return missing
        report = keys[0]
        if not self.catalogue(report).per_city_numbers:
            ids = [m.entity_id for _, g in self.store.groups(report, "tier") for m in self.store.members(report, "tier", g)]
            return Rows(LABEL[report], [(e, None) for e in ids], False)
        indicator, note = self._indicator(f, report)
        scope = self._scope(f, report) or "全部"
        table, named = self._scope_rows(f, report, indicator, scope)
        rows = [(v.entity_id, v) for v in table if v.value is not None]
        if not rows and scope == "全部":  # 政府网站 ranks by category only: every category table, each place once
            seen: dict[str, Value] = {}
            for each in self._scopes_for(f, report):
                for v in self.store.table(report, indicator, each):  # cities: no provinces, districts or counties
                    if v.value is not None and self.store.entity(v.entity_id).kind not in ("province", "district", "county"):
                        seen.setdefault(v.entity_id, v)
            if seen:
                merged = sorted(seen.items(), key=lambda r: -r[1].value)
                return Rows(self._what(report, indicator) + note + "（各类别表合并，按得分）", merged, True, own_ranks=False)
        if named:  # 华中的智慧经济: the region's table prints only 总分; its cities in the full table
            return Rows(self._what(report, indicator, scope) + note + f"（{named}，取自全表）", rows, True, own_ranks=False)
        asked = next((g for t, g in f.groups if t == "admin_level" and SCOPE.get((report, g)) == scope and g != scope
                      and g in scope), None)  # a part of a combined table (直辖市 in 直辖市及计划单列市), not a renaming
        members = set(self.store.group_entities(report, "admin_level", asked)) if asked else set()
        if members:  # 直辖市 asked, 直辖市及计划单列市 printed: that table's rows of the category asked
            return Rows(self._what(report, indicator, scope) + note + f" {asked}", [r for r in rows if r[0] in members], True)
        return Rows(self._what(report, indicator, scope) + note + " ", rows, True)

    def _group_ids(self, gtype: str, name: str) -> set[str]:
        if gtype == "province":
            return {name}
        if gtype == "parent":
            return {e.id for e in self.store.entities() if e.parent_id == name}
        if gtype == "tier":
            return set(self.store.group_entities(TIER_REPORT[name], "tier", name))
        if gtype == "place_kind":  # 自治州: the places whose official name says so
            return {e.id for e in self.store.entities() if e.full_name.endswith(name)}
        ids: set[str] = set()
        for report in self.all_keys:
            ids |= set(self.store.group_entities(report, gtype, name))
            if gtype == "cluster" and self.catalogue(report).circle_type:
                ids |= set(self.store.group_entities(report, self.catalogue(report).circle_type, name))
        return ids

    def _province_of(self, entity_id: str) -> str:
        return self.store.entity(entity_id).province

    # --- the cities in every one of several sets --------------------------------------------------
    def _both(self, node: q.Node, f: Frame) -> Reply:
        """2015年和2016年都进了前十的城市 / 既是领军又是数字经济一线: evaluate each set on its own report, keep
        the cities in all of them, show each city's figures in every set."""
        both = node.of if isinstance(node, q.Count) else node
        labels, per_set = [], []
        for item in both.sets:
            got = self._rows(item, _set_frame(f, item, self.store))
            if isinstance(got, Reply):
                got.intent = node.family
                return got
            label, rows, has_values = got.label, got.rows, got.has_values
            labels.append(label)
            per_set.append({e: (v if has_values else None) for e, v in rows})
        common = [e for e in per_set[0] if all(e in rows for rows in per_set[1:])]
        def shown(e: str) -> str:  # noqa: E306
            figures = [rows[e].value_text for rows in per_set if rows.get(e) is not None]
            return self._name(e) + (f"（{' / '.join(figures)}）" if figures else "")
        head = "与".join(label.strip() for label in labels) + "都有的"
        text = f"{head}共 {len(common)} 个" + (f"：{'、'.join(shown(e) for e in common)}。" if common else "。")
        facts = [str(len(common))] + [self._name(e) for e in common]
        return Reply(text, "ok", node.family, facts=facts, context=self._context(f, common[:2]))

    # --- a city against a place of its table -----------------------------------------------------
    def _versus_place(self, node: q.Compare, f: Frame) -> Reply:
        """无锡和第一名差多少 / 它比第十名高多少: the city's value against whoever the table it is ranked in
        prints at that place (everyone sharing it), and the difference."""
        entity_id = node.ask.entities[0]
        keys, problem = self._reports(f)
        keys = [k for k in keys if self.catalogue(k).per_city_numbers and k in self.store.reports_with(entity_id)]
        if problem or not keys:
            return self._dispatch(f, q.Rank(node.ask))  # the city's own answer says what is missing
        report = keys[0]
        indicator, note = self._indicator(f, report)
        scope = self._scope(f, report)
        mine = (self.store.value(report, entity_id, indicator, scope) if scope else None) or next(
            iter(self.store.values_in_scopes(report, entity_id, indicator) or []), None) or \
            self.store.value(report, entity_id, indicator)
        if mine is None or mine.value is None:
            return self._dispatch(f, q.Rank(node.ask))
        there = [v for v in self.store.table(report, indicator, mine.scope) if v.rank == node.place and v.value is not None]
        label = self._what(report, indicator, mine.scope) + note
        if not there:
            return Reply(f"{label}没有第{node.place}名（{self._name(entity_id)}第{mine.rank}名）。", "no_data", "compare",
                         facts=[mine.value_text], context=self._context(f))
        diff = fmt_number(round(mine.value - there[0].value, 4))
        computed = "（名次按得分算出）" if mine.rank_kind == "computed" else ""
        if any(v.entity_id == entity_id for v in there):  # 无锡和第一名差多少, 无锡 being first
            tied = "、".join(self._name(v.entity_id) for v in there if v.entity_id != entity_id)
            text = (f"{label}：{self._name(entity_id)} {mine.value_text}，就是第{node.place}名"
                    + (f"（与{tied}并列）" if tied else "") + f"{computed}。来源：{mine.table}")
            return Reply(text, "ok", "compare", facts=[mine.value_text, str(node.place)], context=self._context(f))
        others = "、".join(self._name(v.entity_id) for v in there)
        word = "高" if mine.value > there[0].value else "低" if mine.value < there[0].value else ""
        verdict = f"{self._name(entity_id)}比第{node.place}名{word} {diff.lstrip('-')} 分" if word else "两者同分"
        text = (f"{label}：{self._name(entity_id)} {mine.value_text}（第{mine.rank}名），第{node.place}名 {others} "
                f"{there[0].value_text}。{verdict}{computed}。来源：{mine.table}")
        ctx = self._context(f, [entity_id])
        ctx.entities = [entity_id, there[0].entity_id]
        return Reply(text, "ok", "compare", facts=[mine.value_text, there[0].value_text, diff.lstrip("-")], context=ctx)

    # --- a city's place inside a group ------------------------------------------------------------
    def _within_groups(self, node: q.Rank | q.Value, f: Frame) -> list[tuple[str, str]]:
        """The groups a city's rank is taken within: a province, cluster, tier or city asked; or a region or
        category whose own table prints no column for the indicator asked (2015's 华中 table prints only 总分)."""
        found = _filters(node.ask)
        if found or not node.ask.groups:  # most questions name no group at all
            return found
        keys = self._reports(f)[0]
        if not keys or not self.catalogue(keys[0]).per_city_numbers:
            return found
        scope = self._scope(f, keys[0])
        if not scope or scope == "全部" or self.store.table(keys[0], self._indicator(f, keys[0])[0], scope):
            return found
        return [(t, g) for t, g in node.ask.groups if SCOPE.get((keys[0], g)) == scope]

    def _rank_in_group(self, node: q.Node, f: Frame) -> Reply:
        """绵阳在成渝城市群里排第几 / 合肥在安徽排第几 / 福田区在深圳排第几: the place's rank among the group's
        members in the table that ranks it (competition ranking on the printed values), beside its place in
        the whole table; one line per report when none is named."""
        entity_id = node.ask.entities[0]
        gtype, gname = self._within_groups(node, f)[0]
        keep = self._group_ids(gtype, gname)
        keys, _ = self._reports(f)
        keys = [k for k in keys if self.catalogue(k).per_city_numbers and k in self.store.reports_with(entity_id)]
        if f.years or f.report_keys:
            keys = keys[:1]
        where = f"{self._name(gname)}的" if gtype == "parent" else f"{gname}的" if gtype == "province" else (
            f"{gname}中" if gname.endswith("城市") else f"{gname}城市中")
        lines, facts = [], []
        for key in keys:
            indicator, _note = self._indicator(f, key)
            scope = self._scope(f, key)
            if scope and not self.store.table(key, indicator, scope):
                scope = None  # 华中 asked on 智慧经济: the full table, its members counted
            mine = self.store.value(key, entity_id, indicator, scope)
            if mine is None or mine.value is None:
                continue
            rows = [v for v in self.store.table(key, indicator, mine.scope)
                    if (v.entity_id in keep or self._province_of(v.entity_id) in keep) and v.value is not None]
            if len(rows) < 2:  # alone in its group in this table: no place worth saying
                continue
            place = 1 + sum(1 for v in rows if v.value > mine.value)
            ties = [self._name(v.entity_id) for v in rows if v.entity_id != entity_id and v.value == mine.value]
            tie = f"与{'、'.join(ties)}并列" if ties else ""
            label = self._what(key, indicator, mine.scope)
            partial = partial_table(mine.table)  # 前100名表: its rows, not every city evaluated
            among = f"在{partial}表列出的 {len(rows)} 个中" if partial else f"在 {len(rows)} 个中"
            lines.append(f"{label} {where}：{self._name(entity_id)} {mine.value_text}，{among}{tie}排第{place}"
                         f"（全表第{mine.rank}名）。来源：{mine.table}")
            facts += [mine.value_text, str(place), str(mine.rank)]
        if not lines:
            return self._dispatch(f, node)
        text = "\n".join(("• " if len(lines) > 1 else "") + line for line in lines) + "\n报告未印组内名次，按得分算出。"
        return Reply(text, "ok", node.family, facts=facts, context=self._context(f, [entity_id]))

    # --- a difference of two means ---------------------------------------------------------------
    def _not_inside(self, node: q.Rank | q.Value, f: Frame) -> Reply | None:
        """A city ranked "in" a province it does not lie in: say where it lies, then its own answer."""
        kinds = [self.store.entity(e) for e in node.ask.entities]
        provinces = [e for e in kinds if e.kind == "province"]
        cities = [e for e in kinds if e.kind != "province"]
        if len(provinces) != 1 or len(cities) != 1 or cities[0].province == provinces[0].province:
            return None
        if "inside" not in f.asks:
            return None
        sub = copy.copy(f)
        sub.mentions = [Mention(cities[0].name, -1, -1, [cities[0].id], "each")]
        own = self._dispatch(sub, type(node)(q.Ask(entities=[cities[0].id])))
        own.text = f"{self._name(cities[0].id)}不在{provinces[0].name}（它在{cities[0].province}）。" + own.text
        return own

    def _city_and_mean(self, entity_id: str, node: q.Mean, f: Frame) -> tuple[Reply, Reply]:
        """无锡比全国平均高多少: the city's value and the mean, both from one report — the first that has both."""
        mine, theirs = _narrowed(f, node, self.store), _narrowed(f, node.minus, self.store)
        keys = [k for k in self._reports(mine)[0] if k in self.store.reports_with(entity_id)]
        first = second = None
        for key in keys if not (theirs.report_keys or theirs.years) else [None]:
            if key:
                mine.report_keys, theirs.report_keys = [key], [key]
            first, second = self._city_figure(entity_id, mine), self._region_avg(theirs)
            if first.status == "ok" and second.status == "ok":
                break
        if first is None:
            first = second = self._city_figure(entity_id, mine)
        return first, second

    def _city_figure(self, entity_id: str, f: Frame) -> Reply:
        """无锡比全国平均高多少: the city's own printed value, as the first term of a difference to a mean."""
        keys, problem = self._reports(f)
        holding = [k for k in keys if k in self.store.reports_with(entity_id) and self.catalogue(k).per_city_numbers]
        if problem or not holding:
            return Reply(problem or f"{self._name(entity_id)}没有可比的分数。", "no_data", "region_avg")
        report = holding[0]
        indicator, _note = self._indicator(f, report)
        v = self.store.value(report, entity_id, indicator, self._scope(f, report)) or \
            self.store.value(report, entity_id, indicator)
        if v is None or v.value is None:
            return Reply(f"{self._name(entity_id)}在{LABEL[report]}中没有「{indicator}」的分数。", "no_data", "region_avg")
        text = f"{self._what(report, indicator, v.scope)}：{self._name(entity_id)} {v.value_text}。来源：{v.table}"
        return Reply(text, "ok", "region_avg", facts=[v.value_text], context=self._context(f))

    def _mean_of_set(self, node: q.Mean, f: Frame) -> Reply:
        """它们平均多少分 after a list: the simple mean of that list's members, computed from their printed values."""
        got = self._rows(node.of, _set_frame(f, node.of, self.store))
        if isinstance(got, Reply):
            got.intent = "region_avg"
            return got
        label, rows, has_values = got.label, got.rows, got.has_values
        values = [v.value for _, v in rows if v is not None and v.value is not None]
        if not has_values or not values:
            return Reply(f"{label.strip()}没有可以计算平均的分数。", "no_data", "region_avg", context=self._context(f))
        mean = fmt_number(round(sum(values) / len(values), 2))
        text = (f"{label.strip()}这 {len(values)} 个的简单平均为 {mean}（报告未印此平均数，按它们的得分计算）。"
                f"来源：{rows[0][1].table}")
        return Reply(text, "ok", "region_avg", facts=[mean, str(len(values))], context=self._context(f))

    def _mean_difference(self, node: q.Mean, f: Frame) -> Reply:
        cities = [e for e in node.ask.entities if self.store.entity(e).kind != "province"]
        if cities:
            first, second = self._city_and_mean(cities[0], node, f)
        else:
            first = self._region_avg(_narrowed(f, node, self.store))
            second = self._region_avg(_narrowed(f, node.minus, self.store))
        a, b = _first_number(first), _first_number(second)
        if first.status != "ok" or second.status != "ok" or a is None or b is None:
            return first
        diff = fmt_number(round(a[0] - b[0], 4))
        word = "高" if a[0] >= b[0] else "低"
        text = f"{first.text}\n{second.text}\n两者相差 {diff.lstrip('-')}（{a[1]} 比 {b[1]} {word}）。"
        return Reply(text, "ok", "region_avg", facts=first.facts + second.facts + [diff.lstrip("-")], context=first.context)


def _set_frame(f: Frame, node: q.Node, store) -> Frame:
    """The frame one set of a Both is evaluated on: its own report, year and groups."""
    cities = next((n for n in _walk(node) if isinstance(n, q.Cities)), None)
    sub = _narrowed(f, cities, store) if cities else copy.copy(f)
    sub.mentions = []
    if cities:
        tiers = [g for g in f.groups if g[0] == "tier"] if not (cities.ask.reports or cities.ask.years) else []
        sub.groups = list(dict.fromkeys(list(cities.ask.groups) + tiers))  # 四线城市有几个: the tier names the report
    n = next((n for n in _walk(node) if isinstance(n, q.Top)), None)
    sub.n = n.n if n else None
    place = next((n for n in _walk(node) if isinstance(n, (q.Nth, q.Top))), None)
    if isinstance(place, q.Nth):  # 最高和最低: each item its own position and end
        sub.position, sub.bottom, sub.position_last, sub.n = place.k, place.bottom, place.last, None
    elif isinstance(place, q.Top):
        sub.bottom, sub.position = place.bottom, None
    return sub


def _tier_report(f: Frame, engine) -> str | None:
    """The report a tiers-only list is about (its rows carry no values to tell)."""
    keys = engine._reports(f)[0]
    return next((k for k in keys if engine.catalogue(k).tier_kind), None)


def _with_report(f: Frame, key: str) -> Frame:
    sub = copy.copy(f)
    sub.report_keys = [key]
    return sub


def _needs_sets(node: q.Node, f: Frame) -> bool:
    """Whether a list question needs the set evaluator (a filter, a count, 满分) or the list answers suffice."""
    if isinstance(node, q.Count) or f.full_marks or f.by_rate or isinstance(node, q.Nth) and node.last \
            or "share" in f.asks:
        return True
    if any(isinstance(n, q.Outside) or isinstance(n, q.Where) and n.on for n in _walk(node)):
        return True
    groups = [n for n in _walk(node) if isinstance(n, q.InGroup)]
    base = next((n for n in _walk(node) if isinstance(n, q.Cities)), None)
    if base and any(g.group[0] == "tier" and TIER_REPORT.get(g.group[1]) not in base.ask.reports for g in groups) \
            and any(r != "smart" for r in base.ask.reports):
        return True  # 2021年的领军城市在数字经济里: the other report's table, filtered by the tier
    if isinstance(node, q.Members) and len(groups) == 1 and isinstance(groups[0].of, q.Cities) \
            and groups[0].group[0] not in ("province", "parent", "place_kind") and not groups[0].of.ask.groups:
        return False  # who is in one group: the group's own list (answer_about) says it best
    return bool(groups)


def _narrowed(f: Frame, item: q.Node, store) -> Frame:
    """The frame for one item of an Each: its city, its report, its year."""
    sub = copy.copy(f)
    ask = getattr(item, "ask", None)
    if ask is None:
        return sub
    if ask.entities != f.entity_ids:
        sub.mentions = [Mention(store.entity(e).name, -1, -1, [e], "each") for e in ask.entities]
    sub.report_keys = list(ask.reports)
    sub.years = list(ask.years)
    sub.groups = list(ask.groups)
    if ask.indicators and [c for _, cands in f.indicators[:1] for c in cands] != ask.indicators:
        sub.indicators = [(ask.indicators[0], list(ask.indicators))]  # one of several indicators asked
        sub.total = ask.total
    return sub


def _rate(v: Value) -> float | None:
    """A printed 得分率 (「59.58%」) as a number."""
    try:
        return float(v.rate_text.rstrip("%")) if v.rate_text else None
    except ValueError:
        return None


def _ranks(rows) -> str:
    """Where the place's members stand in their own table: 「（全表第 19 名）」, or their category's (政府网站)."""
    ranked = sorted((v.rank, v.scope) for _, v in rows if isinstance(v, Value) and v.rank)
    if not ranked:
        return ""
    rank, scope = ranked[0]
    return f"（{scope}第{rank}名）" if scope not in ("全部", "附件1") else f"（全表第{rank}名）"


def _first_number(reply: Reply) -> tuple[float, str] | None:
    for fact in reply.facts:
        try:
            return float(fact), fact
        except ValueError:
            continue
    return None


def _filters(ask: q.Ask) -> list[tuple[str, str]]:
    """The groups of an ask that filter (a province, a city cluster, a tier), not a report's scope."""
    return [g for g in ask.groups if g[0] in ("province", "cluster", "tier", "parent")]
