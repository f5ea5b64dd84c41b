"""Reachability sweep: every stored value asked for by its own names, in four phrasings.

For each (report, entity, indicator) the store holds a score for, four questions are
generated from the store itself — score with the year, rank with the year, without
the year (the report named by its keyword where it has one), words separated by
spaces — and the answer must carry the value as printed.  Every average a report prints in its
text (regions, provinces, clusters, industries, Top10 means …) is asked for two ways as well.

    python scripts/sweep.py              # every value (about 8,000 × 4 questions), prints the figures
    python scripts/sweep.py --sample 50  # a fixed sample (what the test suite runs)
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.engine import Engine  # noqa: E402
from store.catalogue import REPORTS  # noqa: E402
from store.query import Store, open_store  # noqa: E402


def targets(store: Store) -> list[tuple[str, str, str, str]]:
    """(report, entity id, indicator, value as printed) for every value a report ranks a city by."""
    out = []
    for rep in store.reports():
        if not REPORTS[rep.key].per_city_numbers:
            continue
        for ind in store.indicators(rep.key):
            for scope in store.ranking_scopes(rep.key, ind.name) or ["全部"]:
                for v in store.table(rep.key, ind.name, scope):
                    out.append((rep.key, v.entity_id, ind.name, v.value_text))
    return list(dict.fromkeys(out))


def name_of(store: Store, entity_id: str, unique: Counter) -> str:
    e = store.entity(entity_id)
    if unique[e.name] <= 1 or not e.parent_id:
        return e.name if unique[e.name] <= 1 else e.full_name
    return store.entity(e.parent_id).name + e.name


def phrasings(store: Store, report: str, name: str, indicator: str) -> list[str]:
    year = store.report(report).year
    keyword = REPORTS[report].keyword
    with_year = f"{year}年{keyword}"
    shown = "" if indicator == keyword + "指数" else indicator
    return [f"{with_year}{name}{shown}得分", f"{name}{with_year}{shown}排名",
            f"{keyword or str(year) + '年'}{name}的{shown or '总分'}是多少",
            " ".join([spaced(name), str(year), spaced(keyword), spaced(shown or "总分"), "多少 分"]).replace("  ", " ")]


def spaced(words: str) -> str:
    """Words cut in two-character pieces, as a phone keyboard's segmenter leaves them: 城市 云平 台应 用情 况."""
    return " ".join(words[i : i + 2] for i in range(0, len(words), 2))


def printed_targets(store: Store) -> list[tuple[str, str, str, str]]:
    """(report, subject, indicator, value as printed) for every average the reports print in their text."""
    return [(rep.key, st.subject, st.indicator, st.value_text) for rep in store.reports()
            for st in store.stats(rep.key) if st.kind in ("mean", "weighted_mean")]


def printed_phrasings(store: Store, report: str, subject: str, indicator: str) -> list[str]:
    """Two ways to ask for a printed average: 2015年华东地区智慧经济平均分 · 2015年华东地区的智慧经济平均是多少."""
    kind, _, name = subject.partition(":")
    group = {"region": name + "地区", "circle": name + "经济圈"}.get(kind, name) if name else \
        {"全部": "", "Top10": "Top10城市"}.get(kind, kind)
    shown = "" if indicator == store.total_indicator(report) else indicator
    year = f"{store.report(report).year}年{REPORTS[report].keyword}"
    return [f"{year}{group}{shown}平均分", f"{year}{group}的{shown or '总分'}平均是多少"]


def run(sample: int | None = None, seed: int = 7, store: Store | None = None) -> dict:
    store = store or open_store()
    engine = Engine(store)
    unique = Counter(e.name for e in store.entities())
    items = targets(store)
    if sample:
        items = random.Random(seed).sample(items, sample)
    misses, asked = [], 0
    started = time.perf_counter()
    for report, entity_id, indicator, value_text in items:
        name = name_of(store, entity_id, unique)
        for question in phrasings(store, report, name, indicator):
            asked += 1
            reply = engine.answer(question, follow_ups=False)
            if value_text not in reply.text:
                misses.append((question, value_text, reply.text[:120]))
    printed = printed_targets(store)
    for report, subject, indicator, value_text in printed:  # every printed average too (a few hundred)
        for question in printed_phrasings(store, report, subject, indicator):
            asked += 1
            reply = engine.answer(question, follow_ups=False)
            if value_text not in reply.text:
                misses.append((question, value_text, reply.text[:120]))
    return {"values": len(items), "printed": len(printed), "questions": asked, "missed": len(misses), "misses": misses,
            "seconds": time.perf_counter() - started, "errors": engine.errors}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, default=None)
    ap.add_argument("--show", type=int, default=20, help="misses to print")
    args = ap.parse_args()
    got = run(args.sample)
    share = 100.0 * (got["questions"] - got["missed"]) / max(got["questions"], 1)
    print(f"{got['values']} values and {got['printed']} printed averages, {got['questions']} questions, {got['missed']} missed ({share:.1f}% reached), "
          f"{got['errors']} engine errors, {got['seconds']:.1f} s")
    for question, value, answer in got["misses"][: args.show]:
        print(f"  {question}  want {value}  got: {answer}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
