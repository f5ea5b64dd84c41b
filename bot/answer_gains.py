"""Answers that rank cities by their change between the two editions of one evaluation (Gains).

「2016年比2015年总分提高最多的城市」: every city scored in both editions, ordered by the difference
of its printed scores (or of its places, for 排名上升最多), with both figures shown so each
difference can be checked against the tables it comes from.
"""
from __future__ import annotations

from dataclasses import dataclass

from bot.choose import EngineBase
from bot.reply import LABEL, Reply, fmt_number
from nlu import query as q
from nlu.frame import Frame
from store.catalogue import EDITIONS
from store.query import Value


@dataclass
class Changes:
    """The places that moved most between two editions: (entity, before, after, change) each, largest first."""

    label: str
    what: str
    by_rank: bool
    bottom: bool
    compared: int  # places in both editions
    before_size: int
    after_size: int
    rows: list[tuple[str, Value, Value, float]]


class GainAnswers(EngineBase):
    """Who rose or fell the most between editions."""

    def _gains(self, node: q.Gains, f: Frame) -> Reply:
        first, second = EDITIONS[0], EDITIONS[-1]
        names = [self._edition_indicator(key, node.ask) for key in (first, second)]
        if None in names:
            return Reply(f"{LABEL[first]}和{LABEL[second]}没有同一个这样的指标，无法比较变化。", "no_data", node.family,
                         context=self._context(f))
        before = {v.entity_id: v for v in self.store.table(first, names[0])}
        after = {v.entity_id: v for v in self.store.table(second, names[1])}
        groups = self._gain_groups(node.ask)
        keep = self._gain_filter(groups)
        label = f"{self.store.report(first).year}→{self.store.report(second).year}"  # 2015→2016 (江苏)
        if groups:
            label += " " + "、".join(name for _, name in groups)
        both = [e for e in after if e in before and (keep is None or e in keep)
                and before[e].value is not None and after[e].value is not None]
        if not both:
            return Reply("两届都参评、可以比较的城市没有。", "no_data", node.family, context=self._context(f))

        def change(e: str) -> float:
            if node.by_rank:
                return before[e].rank - after[e].rank  # places gained
            return after[e].value - before[e].value

        if node.sign:  # 下降了的城市有哪些: every city whose change has that sign, largest first
            moved = sorted((e for e in both if change(e) * node.sign > 0), key=change, reverse=node.sign > 0)
            return self._gains_of_sign(node, f, label, moved, len(both), before, after)
        ordered = sorted(both, key=change, reverse=not node.bottom)[: node.n]
        what = "名次" if node.by_rank else ("总分" if names[1] == self.store.total_indicator(second) else names[1])
        result = Changes(label, what, node.by_rank, node.bottom, len(both), len(before), len(after),
                         [(e, before[e], after[e], change(e)) for e in ordered])
        text, facts = self._changes_line(result)
        return Reply(text, "ok", node.family, facts=facts, context=self._context(f, ordered[:1]))

    def _changes_line(self, result: Changes) -> tuple[str, list[str]]:
        """「2015→2016 总分提高最多的 5 个城市（两届都参评的 150 个中）：1. A 40→55（+15）…」 and the facts."""
        direction = ("下降" if result.bottom else "上升") if result.by_rank else ("下降" if result.bottom else "提高")
        lines = []
        for i, (e, b, a, delta) in enumerate(result.rows, 1):
            if result.by_rank:
                shown = f"第{b.rank}→第{a.rank}名（{'升' if delta > 0 else '降'} {abs(delta)} 位）"
            else:
                shown = f"{b.value_text}→{a.value_text}（{'+' if delta >= 0 else '−'}{fmt_number(abs(delta))}）"
            lines.append(f"{i}. {self._name(e)} {shown}")
        text = (f"{result.label} {result.what}{direction}最多的 {len(result.rows)} 个城市（两届都参评的 {result.compared} 个中）："
                + "；".join(lines) + "。")
        if result.by_rank:
            text += f"两届评估城市数不同（{result.before_size} 与 {result.after_size} 个），名次变化仅供参考。"
        first = result.rows[0]
        text += f"来源：{first[1].table}；{first[2].table}"
        return text, [x for _, b, a, _ in result.rows for x in (b.value_text, a.value_text)]

    def _gains_of_sign(self, node: q.Gains, f: Frame, label: str, moved: list[str], total: int, before, after) -> Reply:
        what = "名次" if node.by_rank else "得分"
        word = ("上升" if node.by_rank else "提高") if node.sign > 0 else "下降"
        head = f"{label} {what}{word}的城市（两届都参评的 {total} 个中）共 {len(moved)} 个"
        if node.count or not moved:
            return Reply(head + "。", "ok", node.family, facts=[str(len(moved))], context=self._context(f))
        shown = moved[:20]
        body = "；".join(f"{self._name(e)} 第{before[e].rank}→第{after[e].rank}名" if node.by_rank
                        else f"{self._name(e)} {before[e].value_text}→{after[e].value_text}" for e in shown)
        more = f"……（只列出变化最大的 {len(shown)} 个）" if len(moved) > len(shown) else ""
        facts = [str(len(moved))] + [self._name(e) for e in shown]
        return Reply(f"{head}：{body}{more}。", "ok", node.family, facts=facts, context=self._context(f, shown[:2]))

    def _edition_indicator(self, report: str, ask: q.Ask) -> str | None:
        """The asked indicator as this edition names it (智慧管理 in 2015 is 智慧治理 in 2016), or its total."""
        if not ask.indicators:
            return self.store.total_indicator(report)
        return next((name for name in ask.indicators if self.store.indicator(report, name)), None)

    def _gain_groups(self, ask: q.Ask) -> list[tuple[str, str]]:
        """The provinces and groups the question names (江苏进步最大的城市), in its order."""
        provinces = [self.store.entity(e).province for e in ask.entities if self.store.entity(e).kind == "province"]
        return [("province", p) for p in provinces] + [g for g in ask.groups if g[0] in ("province", "region", "tier",
                                                                                          "cluster")]

    def _gain_filter(self, groups: list[tuple[str, str]]) -> set[str] | None:
        """The cities of those groups, or None for all."""
        if not groups:
            return None
        keep: set[str] = set()
        for gtype, name in groups:
            ids = self._group_ids(gtype, name)
            keep |= ids | {e.id for e in self.store.entities() if gtype == "province" and e.province == name}
        return keep
