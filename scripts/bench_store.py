"""Benchmark of the score store: build time and 10,000 mixed queries (prints figures; not a test).

    python scripts/bench_store.py
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from store.build import build  # noqa: E402
from store.query import Store  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "scores.db"
        start = time.perf_counter()
        counts = build(db)
        build_s = time.perf_counter() - start
        store = Store(db)
        rng = random.Random(7)
        cities = [(r.key, e) for r in store.reports() if r.key != "sc2021"
                  for e in {v.entity_id for v in store.table(r.key, store.indicators(r.key)[0].name,
                                                              "全部" if r.key != "gw2020" else "地市")}]
        inds = {r.key: [i.name for i in store.indicators(r.key)] for r in store.reports()}
        ops = []
        for _ in range(10_000):
            report, entity = rng.choice(cities)
            kind = rng.random()
            ind = rng.choice(inds[report])
            if kind < 0.5:
                ops.append(lambda r=report, e=entity, i=ind: store.value(r, e, i))
            elif kind < 0.7:
                ops.append(lambda r=report, i=ind: store.top(r, i, 10))
            elif kind < 0.85:
                ops.append(lambda r=report, e=entity: store.profile(r, e))
            else:
                ops.append(lambda r=report, i=ind: store.group_mean(r, i, "region", "华东"))
        start = time.perf_counter()
        for op in ops:
            op()
        query_s = time.perf_counter() - start
    print(f"rows: {counts}")
    print(f"build: {build_s:.2f} s")
    print(f"10,000 mixed queries: {query_s:.2f} s ({query_s / 10:.3f} ms per query)")


if __name__ == "__main__":
    main()
