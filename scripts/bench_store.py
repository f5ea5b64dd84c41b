"""Benchmark of the score store: build time, fsyncs per build, 10,000 mixed queries (prints figures; not a test).

    python scripts/bench_store.py [--busy]

--busy times the builds while another process writes and fsyncs 64 KiB blocks to the same
disk (a busy disk: each of the former build's 1,040 syncs then waits behind the writer's).

Build time is the wall time of store.build.build() (best and worst of three, imports excluded),
and of the whole `python -m store build` command (three new processes, imports included); open
is Store() on the built file (the small tables; a ranking table is read the first time it is
asked for), and open + warm() reads every table, as a front end that waits for questions does;
queries run on the last one opened, warmed.
The fsync count comes from `strace -f -c` around a build in a child process: every fsync and
fdatasync the process makes, SQLite's included (Python cannot see those); without strace on
the machine it says so instead of guessing.
"""
from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from store.build import build  # noqa: E402
from store.query import Store  # noqa: E402


def syscalls_during_build(db: Path) -> dict[str, int] | None:
    """Calls to fsync, fdatasync and the write family while one build runs, counted by strace."""
    if not shutil.which("strace"):
        return None
    with tempfile.NamedTemporaryFile("r", suffix=".strace") as out:
        code = f"from store.build import build; build({str(db)!r})"
        subprocess.run(["strace", "-f", "-c", "-o", out.name, "-e", "trace=fsync,fdatasync,write,pwrite64",
                        sys.executable, "-c", code], cwd=ROOT, check=True)
        text = out.read()
    return {m[2]: int(m[1]) for m in re.finditer(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)$", text, re.M)}


# Writes and syncs 64 KiB blocks to argv[1] until killed, at most 120 s.
SYNCING_WRITER = """
import os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT, 0o600)
end = time.monotonic() + 120
while time.monotonic() < end:
    os.write(fd, bytes(65536))
    os.fsync(fd)
"""


def main() -> None:
    busy = "--busy" in sys.argv[1:]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "scores.db"
        writer = subprocess.Popen([sys.executable, "-c", SYNCING_WRITER, str(Path(tmp) / "busy")]) if busy else None
        times = []
        try:
            for _ in range(3):
                start = time.perf_counter()
                counts = build(db)
                times.append(time.perf_counter() - start)
        finally:
            if writer:
                writer.kill()
                writer.wait()
        commands = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "store", "--db", str(Path(tmp) / "command.db"), "build"], cwd=ROOT,
                           check=True, capture_output=True)
            commands.append(time.perf_counter() - start)
        calls = syscalls_during_build(Path(tmp) / "traced.db")
        opens, warms, store = [], [], None
        for _ in range(5):
            store = None  # freeing the previous one is not part of opening
            start = time.perf_counter()
            store = Store(db)
            opens.append(time.perf_counter() - start)
            store.warm()
            warms.append(time.perf_counter() - start)
        rng = random.Random(7)
        cities = [(r.key, e) for r in store.reports() if r.key != "sc2021"
                  for e in dict.fromkeys(v.entity_id for v in store.table(r.key, store.indicators(r.key)[0].name,
                                                                  "全部" if r.key != "gw2020" else "地市"))]
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
    print(f"build: {min(times):.2f}–{max(times):.2f} s wall (three builds{', beside a syncing writer' if busy else ''})")
    print(f"`python -m store build`, the whole command: {min(commands):.2f}–{max(commands):.2f} s wall (three runs)")
    if calls is None:
        print("fsync per build: not counted (no strace on this machine)")
    else:
        print(f"fsync per build: {calls.get('fsync', 0)} fsync + {calls.get('fdatasync', 0)} fdatasync; "
              f"writes: {calls.get('pwrite64', 0)} pwrite64 + {calls.get('write', 0)} write (strace -f -c)")
    print(f"open (small tables; a ranking table on first use): {min(opens) * 1000:.0f}–{max(opens) * 1000:.0f} ms; "
          f"open + warm() (every table read): {min(warms) * 1000:.0f}–{max(warms) * 1000:.0f} ms (five opens)")
    print(f"10,000 mixed queries: {query_s:.2f} s ({query_s / 10:.3f} ms per query)")


if __name__ == "__main__":
    main()
