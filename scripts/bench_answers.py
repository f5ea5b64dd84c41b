"""Benchmark of question answering (prints figures; not a test).

    python scripts/bench_answers.py [--runs 7] [--no-bot]

In one process and one run:
- every sweep question (scripts/sweep.py: each stored value by its own names, four
  phrasings) and the public sets ../shared/eval/dev_questions.jsonl and
  dev_questions_b.jsonl (their follow-ups with their chat's context), answered by
  `Engine.answer` as `ask --jsonl` answers (no follow-up buttons) in a new engine: first
  sight (the first time in the process), then cached (the same questions again);
  p50/p90/p99/max of each, garbage collection included; and the public sets once more with
  the follow-up buttons Telegram shows (each button's question is answered to check it);
- jieba's `lcut` (the engine's tokenizer) on the same texts, each timed right after the cached
  answer to it (so both see the same load on a shared machine), and the ratios answer/jieba at
  each percentile (the issue's targets: first sight p50 ≤ 5×, p99 ≤ 15×, cached p50 ≤ 3×);
  the engine is made as the front ends that wait for questions make it (make_engine(warm=True));
- the 10 slowest first-sight answers;
- start-up of the engine in this process, cold start of `python -m bot ask "无锡2015智慧管理排名"`
  (median of --runs new processes, with their peak RSS) as this environment runs Python, and,
  when it sets PYTHONDONTWRITEBYTECODE (every start then compiles the project's modules), also
  with bytecode caches, as an installed Python has them (kept under a private temporary
  PYTHONPYCACHEPREFIX, written by one start first); the peak RSS of `ask --jsonl` over the
  public sets; and the time from starting `python -m bot` to its first answer on the fake Bot
  API of tests/fake_telegram.py (the question is waiting when the bot starts; median of three);
- this process's peak RSS.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EVAL = ROOT.parent / "shared" / "eval"
PUBLIC = [EVAL / "dev_questions.jsonl", EVAL / "dev_questions_b.jsonl"]
COLD_QUESTION = "无锡2015智慧管理排名"
TOKEN = "123456:" + "B" * 35


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    return values[min(len(values) - 1, max(0, round(share * len(values) + 0.5) - 1))]


def summary(times: list[float]) -> dict[str, float]:
    s = sorted(times)
    return {"p50": percentile(s, 0.50), "p90": percentile(s, 0.90), "p99": percentile(s, 0.99), "max": s[-1]}


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f}"


def questions(sweep: bool = True) -> list[tuple[str | None, str]]:
    """(chat or None, text): the public sets in file order, then the sweep."""
    out: list[tuple[str | None, str]] = []
    for path in PUBLIC:
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    item = json.loads(line)
                    out.append((item["chat"], item.get("q") or item.get("text")))
    if not sweep:
        return out
    from scripts.sweep import name_of, phrasings, targets
    from store.query import open_store

    store = open_store()  # a separate store: the engine under test opens its own
    unique = Counter(e.name for e in store.entities())
    for report, entity_id, indicator, _value in targets(store):
        out.extend((None, q) for q in phrasings(store, report, name_of(store, entity_id, unique), indicator))
    return out


def answer_all(engine, items: list[tuple[str | None, str]], follow_ups: bool = False,
               lcut=None) -> tuple[list[float], list[float]]:
    """Time each answer; a chat's questions carry its context, as in `ask --jsonl` (which computes
    no follow-up buttons, chart or explanation; `follow_ups` adds them, as Telegram does).  With `lcut`, jieba's time on
    the same text is taken right after each answer, so both see the same load on a shared machine."""
    times, jieba_times, contexts = [], [], {}
    clock = time.perf_counter
    for chat, text in items:
        start = clock()
        reply = engine.answer(text, contexts.get(chat) if chat else None, follow_ups=follow_ups, extras=follow_ups)
        times.append(clock() - start)
        if lcut is not None:
            start = clock()
            lcut(text)
            jieba_times.append(clock() - start)
        if chat:
            contexts[chat] = reply.context
    return times, jieba_times


def child(args: list[str], stdin: bytes | None = None, env: dict | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one new process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env)
    if stdin is not None:
        proc.stdin.write(stdin)
    proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(args)} exited {proc.returncode}")
    return wall, usage.ru_maxrss / 1024


def cold_starts(runs: int, env: dict | None = None) -> tuple[list[float], list[float]]:
    """(sorted walls, peak RSS) of `runs` new `ask` processes."""
    got = [child([sys.executable, "-m", "bot", "ask", COLD_QUESTION], env=env) for _ in range(runs)]
    return sorted(w for w, _ in got), [r for _, r in got]


def first_bot_answer() -> float | None:
    """Seconds from starting `python -m bot` (Telegram mode, fake Bot API) to its first sendMessage."""
    try:
        from tests.fake_telegram import FakeTelegram
    except ImportError:
        return None
    with tempfile.TemporaryDirectory() as tmp, FakeTelegram() as tg:
        tg.text(COLD_QUESTION, chat_id=7, user_id=7)
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": tg.base_url,
               "CITYQ_STATE_FILE": str(Path(tmp) / "state.db"), "CITYQ_LOG_LEVEL": "WARNING"}
        start = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "bot"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            tg.wait_for(lambda calls: any(m == "sendMessage" for m, _ in calls), timeout=60)
            return next(t for (m, _), t in zip(tg.calls, tg.stamps) if m == "sendMessage") - start
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help="new processes for the cold start (median)")
    ap.add_argument("--no-bot", action="store_true", help="skip the Telegram first-answer figure")
    args = ap.parse_args()

    # New processes first, while this one is small: a child's peak RSS (wait4) counts the parent's
    # pages it was forked with, so measured after the run below it would read this process's size.
    public = [(c, t) for c, t in questions(sweep=False)]
    walls, rss = cold_starts(args.runs)
    baseline = statistics.median(child([sys.executable, "-c", "pass"])[0] for _ in range(args.runs))
    print(f"cold start `python -m bot ask \"{COLD_QUESTION}\"`: median {walls[len(walls) // 2]:.3f} s "
          f"(min {walls[0]:.3f}, max {walls[-1]:.3f}; {args.runs} runs; python -c pass: {baseline:.3f} s)")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        with tempfile.TemporaryDirectory() as pycache:
            env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
            env["PYTHONPYCACHEPREFIX"] = pycache
            cold_starts(1, env)  # writes the bytecode caches
            cached, _ = cold_starts(args.runs, env)
        print(f"  the same with bytecode caches (this environment sets PYTHONDONTWRITEBYTECODE): median "
              f"{cached[len(cached) // 2]:.3f} s (min {cached[0]:.3f}, max {cached[-1]:.3f})")
    print(f"peak RSS of ask: {max(rss):.0f} MB")
    payload = "".join(json.dumps({"chat": c, "text": t}, ensure_ascii=False) + "\n" for c, t in public)
    _, jsonl_rss = child([sys.executable, "-m", "bot", "ask", "--jsonl"], stdin=payload.encode("utf-8"))
    print(f"peak RSS of ask --jsonl over the public sets: {jsonl_rss:.0f} MB")
    if not args.no_bot:
        got = [first_bot_answer() for _ in range(3)]
        print("bot's first answer after process start: " + (
            "skipped (no tests/fake_telegram.py)" if None in got else
            f"median {statistics.median(got):.3f} s (min {min(got):.3f}, max {max(got):.3f}; three starts; "
            "Telegram mode, fake Bot API)"))
    items = questions()
    start = time.perf_counter()
    from bot.cli import make_engine

    engine = make_engine(warm=True)  # as every front end that waits for questions makes it
    startup = time.perf_counter() - start
    lcut = engine.lex.tokenizer.lcut
    first, _ = answer_all(engine, items)
    for _, text in items:  # jieba warmed up like the cached answers
        lcut(text)
    cached, jieba_times = answer_all(engine, items, lcut=lcut)
    with_buttons, _ = answer_all(engine, [(c, t) for c, t in items if c is not None], follow_ups=True)
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    figures = {"first sight": summary(first), "cached": summary(cached), "jieba lcut": summary(jieba_times)}
    print(f"questions: {len(items)} ({len(items) - sum(1 for c, _ in items if c is None)} public, "
          f"{sum(1 for c, _ in items if c is None)} sweep); engine start-up in this process, warm as the front "
          f"ends make it, {startup * 1000:.0f} ms")
    print(f"{'ms':<12} {'p50':>8} {'p90':>8} {'p99':>8} {'max':>8}  mean")
    for name, fig, times in (("first sight", figures["first sight"], first), ("cached", figures["cached"], cached),
                             ("jieba lcut", figures["jieba lcut"], jieba_times)):
        print(f"{name:<12} " + " ".join(f"{ms(fig[k]):>8}" for k in ("p50", "p90", "p99", "max"))
              + f"  {ms(statistics.fmean(times))}")
    jieba = figures["jieba lcut"]
    for name in ("first sight", "cached"):
        fig = figures[name]
        print(f"{name + ' / jieba':<20} " + "  ".join(f"{k} {fig[k] / jieba[k]:.1f}×" for k in ("p50", "p90", "p99")))
    over = sum(1 for t in first + cached if t > 0.010)
    print(f"answers over 10 ms: {over} of {len(first) + len(cached)}")
    if with_buttons:
        fig = summary(with_buttons)
        print(f"with follow-up buttons (as Telegram answers), the {len(with_buttons)} public questions: "
              + " ".join(f"{k} {ms(fig[k])}" for k in ("p50", "p90", "p99", "max")) + " ms")
    print("10 slowest first-sight answers:")
    for i in sorted(range(len(items)), key=lambda i: first[i], reverse=True)[:10]:
        print(f"  {ms(first[i]):>8} ms (cached {ms(cached[i])})  {items[i][1]}")

    print(f"peak RSS of this benchmark process: {own_peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
