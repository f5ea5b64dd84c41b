"""Charts an answer earns beyond its text (the chart dicts bot/charts.py draws):

  - a city's rank across editions (「北京历届排名」): 2011–2014 from the top-ten history,
    2015 as printed, 2016 computed from the scores (hollow point), gaps where it was not listed;
  - the small table a city was ranked in, the city highlighted (「杭州在省会城市中排第几」).
"""
from __future__ import annotations

from bot.reply import LABEL
from nlu import query as q
from nlu.frame import Frame
from store.catalogue import EDITIONS, HISTORY_REPORT, HISTORY_YEARS, TIERS_ONLY

SMALL_TABLE = 30  # rows a ranked bar chart shows whole on a phone


def for_answer(engine, node: q.Node, f: Frame) -> dict | None:
    if isinstance(node, q.Change) and len(f.entity_ids) == 1 and not f.indicators:
        return rank_history(engine, f.entity_ids[0], set(f.years) if len(set(f.years)) >= 2 else None)
    if isinstance(node, q.Rank) and len(f.entity_ids) == 1:
        return ranked_table(engine, f, f.entity_ids[0])
    return None


def rank_history(engine, entity_id: str, years: set[int] | None = None) -> dict | None:
    """The overall rank per edition, 2011–2016; None when fewer than two editions rank the city."""
    store = engine.store
    history = {int(g): pos for _r, t, g, pos in store.memberships(entity_id, HISTORY_REPORT) if t == "top10"}
    edition_of = {store.report(key).year: key for key in EDITIONS}
    labels, values, computed = [], [], []
    for year in range(min(HISTORY_YEARS), max(edition_of) + 1):
        if years and year not in years:
            continue
        if year in HISTORY_YEARS:
            rank, was_computed = history.get(year), False
        else:
            key = edition_of.get(year)
            v = store.value(key, entity_id, engine._total(key)) if key else None
            rank, was_computed = (v.rank, v.rank_kind == "computed") if v else (None, False)
        labels.append(str(year))
        values.append(rank)
        computed.append(was_computed)
    while labels and values[0] is None:  # start at the first edition that lists the city
        labels, values, computed = labels[1:], values[1:], computed[1:]
    while labels and values[-1] is None:  # and end at the last (浦东新区: 2011–2014 only)
        labels, values, computed = labels[:-1], values[:-1], computed[:-1]
    if sum(v is not None for v in values) < 2:
        return None
    gaps = [int(y) for y, v in zip(labels, values) if v is None]
    notes = []
    if any(y in HISTORY_YEARS for y in gaps):
        notes.append("空缺：2011–2014 年只公布前十名，该年未进前十")
    if any(y not in HISTORY_YEARS for y in gaps):
        notes.append("、".join(str(y) for y in gaps if y not in HISTORY_YEARS) + " 年的评估没有该地")
    tier = next(filter(None, (engine._tier_line(k, entity_id) for k in TIERS_ONLY)), None)
    if tier and (not years or 2021 in years):
        notes.append(f"2021 年只公布梯队：{tier}")
    return {"kind": "ranks", "title": f"{engine._name(entity_id)} 智慧城市评估总排名", "labels": labels,
            "values": values, "computed": computed, "texts": [f"第{v}名" if v else "" for v in values],
            "note": "；".join(notes) or None}


def ranked_table(engine, f: Frame, entity_id: str) -> dict | None:
    """The whole ranking the question named a scope for (省会城市, 华东 …), the city in orange; small tables only."""
    keys, problem = engine._reports(f)
    keys = [k for k in keys if k in engine.store.reports_with(entity_id) and engine.catalogue(k).per_city_numbers]
    if problem or not keys:
        return None
    report = keys[0]
    scope = engine._scope(f, report)
    if scope is None:
        return None
    indicator, _ = engine._indicator(f, report)
    table = [v for v in engine.store.table(report, indicator, scope) if v.value is not None]
    ids = [v.entity_id for v in table]
    if entity_id not in ids or len(table) > SMALL_TABLE:
        return None
    return {"title": f"{LABEL[report]}·{scope} {indicator}", "labels": [engine._name(i) for i in ids],
            "values": [v.value for v in table], "texts": [v.value_text for v in table],
            "highlight": ids.index(entity_id), "xlabel": indicator}
