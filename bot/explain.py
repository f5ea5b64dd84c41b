"""How a question was read, in one or two lines of plain Chinese (`--explain`, the 🔍 button).

    理解为：排名｜地点：无锡｜报告：2015 智慧城市评估（第五届）｜指标：智慧管理
    沿用上一句：城市、年份；按「杭州」理解「杭洲」；查询 Rank(无锡 2015 智慧管理/智慧治理)

`Slots` is what the parsed question named before the chat's context filled it in, so the
second line can say which parts came from the previous question.
"""
from __future__ import annotations

from dataclasses import dataclass

from bot.reply import LABEL
from nlu.frame import Frame

OPERATION = {"rank": "排名", "lookup": "得分", "compare": "对比", "region_avg": "平均分", "top": "榜单",
             "filter": "筛选", "profile": "各项得分", "trend": "历届变化", "tier": "梯队/几线", "meta": "报告信息",
             "unknown": "未识别"}


@dataclass(frozen=True)
class Slots:
    """What a frame names: compared before and after the chat's context is applied."""

    entities: tuple[str, ...]
    years: tuple[int, ...]
    reports: tuple[str, ...]
    indicators: tuple[str, ...]
    intent: str | None
    groups: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, f: Frame) -> Slots:
        return cls(tuple(f.entity_ids), tuple(f.years), tuple(f.report_keys),
                   tuple(s for s, _ in f.indicators), f.intent, tuple(f.groups))


def corrections(f: Frame, name, known) -> list[tuple[str, str]]:
    """(typed, understood) for every name read as a typo or a homophone (杭洲 → 杭州, wuxi → 无锡) and every
    indicator typed wrong (智慧管里 → 智慧管理); `known(surface)` says whether a word is in the lexicon."""
    pairs = list(f.corrections)
    found = [(m.surface, name(m.candidates[0])) for m in f.mentions if m.how in ("typo", "pinyin") and len(m.candidates) == 1]
    found += [(typed, names[0]) for typed, names in f.indicators if names and not known(typed)]
    for typed, meant in found:
        if meant != typed and typed in f.text and (typed, meant) not in pairs:  # typed now, not carried over
            pairs.append((typed, meant))
    return pairs


def lines(f: Frame, before: Slots, reports: list[str], query: str, name,
          fixed: list[tuple[str, str]]) -> list[str]:
    """The one or two lines; `reports` are the keys the question could be about, `query` the node shown."""
    first = [f"理解为：{OPERATION.get(f.intent or 'unknown', f.intent)}"]
    places = [name(e) for e in f.entity_ids] + [m.surface + "（有歧义）" for m in f.ambiguous]
    if places:
        first.append("地点：" + "、".join(places))
    if f.groups:
        first.append("范围：" + "、".join(g for _, g in f.groups))
    if f.years or f.report_keys:
        first.append("报告：" + ("、".join(LABEL[k] for k in reports) if reports else "无"))
    elif f.intent not in (None, "unknown"):
        first.append("报告：未指定（" + ("有它数据的各份报告" if f.entity_ids else "默认最新一份") + "）")
    if f.indicators:
        first.append("指标：" + "、".join(names[0] if names else s for s, names in f.indicators))
    elif f.total:
        first.append("指标：总分")
    second = []
    after = Slots.of(f)
    carried = [word for word, was, now in (("城市", before.entities, after.entities), ("年份", before.years, after.years),
                                           ("报告", before.reports, after.reports),
                                           ("指标", before.indicators, after.indicators),
                                           ("问法", before.intent, after.intent), ("范围", before.groups, after.groups))
               if now and was != now]
    if carried:
        second.append("沿用上一句：" + "、".join(carried))
    second += [f"按「{meant}」理解「{typed}」" for typed, meant in fixed]
    if query:
        second.append(f"查询 {query}")
    return ["｜".join(first)] + (["；".join(second)] if second else [])
