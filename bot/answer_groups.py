"""Groups ranked by their means: 各省平均分排名, 哪个地区平均分最高, 省份平均分倒数第一, 浙江平均分排第几.

A group's figure is the report's printed average (or GDP-weighted score) when it
prints one, else the simple mean of its members' values in the report's table;
the answer says which.  The place is the printed one when the report ranks the
groups itself (2015's provincial table), else computed from the figures.
"""
from __future__ import annotations

from dataclasses import dataclass

from bot.choose import EngineBase
from bot.reply import LABEL, Reply, fmt_number
from nlu import query as q
from nlu.frame import Frame

KIND_LABEL = {"province": "省份", "region": "地区", "cluster": "城市群", "circle": "经济圈", "admin_level": "行政级别",
              "tier": "梯队"}


@dataclass
class GroupFigure:
    name: str
    value: float
    value_text: str
    printed: bool  # the report prints this figure (else: computed from its members)
    members: int
    rank: int = 0
    source: str = ""  # the table's caption, or 报告正文 for a figure stated in the text
    weighted: bool = False  # a GDP-weighted score (de2020's city clusters), not a simple mean


class GroupAnswers(EngineBase):
    """Ranks the groups of one kind by mean and answers Top / Nth / Rank over them."""

    def _group_type(self, kind: str, report: str) -> str:
        return self.catalogue(report).circle_type or kind if kind == "cluster" else kind

    def group_figures(self, report: str, indicator: str, group_type: str) -> list[GroupFigure]:
        """The groups of one kind in a report with their figures, best first, ranks filled in."""
        names = self._group_names(report, indicator, group_type)
        out = []
        for name in names:
            mean = self.store.group_mean(report, indicator, group_type, name)
            if mean.printed and mean.printed.value is not None:
                caption = mean.printed.sentence.split("：")[0]
                out.append(GroupFigure(name, mean.printed.value, mean.printed.value_text, True, mean.count,
                                       source=caption if caption.startswith("图表") else "报告正文",
                                       weighted=mean.printed.kind == "weighted_mean"))
            elif mean.computed is not None:
                out.append(GroupFigure(name, mean.computed, fmt_number(mean.computed), False, mean.count,
                                       source=mean.members[0].table if mean.members else ""))
        printed_rank = {name: self.store.stats(report, f"{group_type}:{name}", indicator, "rank") for name in names}
        if out and all(printed_rank.get(g.name) for g in out):
            for g in out:
                g.rank = int(printed_rank[g.name][0].value)
            return sorted(out, key=lambda g: g.rank)
        out.sort(key=lambda g: -g.value)
        for i, g in enumerate(out):
            g.rank = out[i - 1].rank if i and g.value == out[i - 1].value else i + 1
        return out

    def _group_names(self, report: str, indicator: str, group_type: str) -> list[str]:
        """The groups the report prints figures for on this indicator when it covers at least three,
        else those it prints for its overall score, else all it has."""
        return self.store.group_names(report, group_type, indicator)

    def _ranked_groups(self, node: q.GroupMeans, f: Frame):
        """(report, indicator, group type, figures) or a Reply saying why there are none."""
        keys, problem = self._reports(f)
        if problem:
            return Reply(problem, "no_data", "region_avg", facts=[str(y) for y in f.years])
        for report in keys:
            gtype = self._group_type(node.kind, report)
            indicator, _note = self._indicator(f, report)
            figures = self.group_figures(report, indicator, gtype)
            if len(figures) >= 2:
                return report, indicator, gtype, figures
        kind = KIND_LABEL.get(node.kind, node.kind)
        return Reply(f"{'、'.join(LABEL[k] for k in keys[:2])}没有按{kind}给出的平均分，各城市的数据也不足以按{kind}计算。",
                     "no_data", "region_avg", context=self._context(f))

    def _group_ranking(self, node: q.Node, f: Frame) -> Reply:
        base = node.of if isinstance(node, (q.Top, q.Nth)) else node
        got = self._ranked_groups(base, f)
        if isinstance(got, Reply):
            got.intent = node.family
            return got
        report, indicator, gtype, figures = got
        measure = " GDP 加权得分" if all(g.weighted for g in figures) else "平均分"
        what = f"{LABEL[report]}·各{KIND_LABEL[gtype]}{'' if indicator == self._total(report) else indicator}{measure}"
        seq = list(reversed(figures)) if getattr(node, "bottom", False) else figures
        if isinstance(node, q.Nth):
            target = seq[node.k - 1].rank if 1 <= node.k <= len(seq) else None
            shown = [g for g in figures if g.rank == target]
            if not shown:
                return Reply(f"{what}只有 {len(figures)} 个，没有{'倒数' if node.bottom else ''}第{node.k}。", "no_data",
                             node.family, context=self._context(f))
            head = f"{what}{'倒数' if node.bottom else ''}第{node.k}"
            body = "、".join(f"{g.name} {g.value_text}（第{g.rank}名" + (f"，{g.members} 个城市）" if g.members else "）")
                             for g in shown)
        else:
            n = node.n if isinstance(node, q.Top) else len(seq)
            shown = [g for g in seq if g in seq[:n] or g.rank == seq[min(n, len(seq)) - 1].rank]
            head = what + (f"{'倒数' if getattr(node, 'bottom', False) else '前'}{n}" if n < len(seq) else "")
            body = "；".join(f"{g.rank}. {g.name} {g.value_text}" for g in shown)
        text = f"{head}：{body}。{_provenance(figures)}"
        facts = [g.value_text for g in shown] + [g.name for g in shown]
        return Reply(text, "ok", node.family, facts=facts, context=self._context(f, []))

    def _group_place(self, f: Frame, reply: Reply) -> Reply:
        """浙江平均分排第几: the mean's answer, then the group's place among the groups of its kind."""
        keys, problem = self._reports(f)
        if problem or reply.status != "ok":
            return reply
        report = keys[0]
        gtype, gname, label = self._group_of(f, report)
        if gtype == "all":
            return reply
        indicator, _note = self._indicator(f, report)
        figures = self.group_figures(report, indicator, gtype)
        hit = next((g for g in figures if g.name == gname), None)
        if hit is None:
            return reply
        how = "报告所排" if self.store.stats(report, f"{gtype}:{gname}", indicator, "rank") else "按平均分排"
        reply.text += f"\n在 {len(figures)} 个{KIND_LABEL[gtype]}中排第{hit.rank}（{how}）。"
        reply.facts.append(str(hit.rank))
        return reply


def _provenance(figures: list[GroupFigure]) -> str:
    printed = [g for g in figures if g.printed]
    if len(printed) == len(figures):
        return f"均为报告所印。来源：{printed[0].source}"
    if not printed:
        return "报告未印这些平均分，按各城市得分计算（简单平均）。"
    names = "、".join(g.name for g in printed)
    return f"{names}为报告所印，其余按各城市得分计算（简单平均）。"
