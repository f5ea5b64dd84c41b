"""Benchmark of question answering on the development questions (prints figures; not a test).

    python scripts/bench_answers.py [questions.jsonl]

Prints the median and 99th-percentile time per question after warm-up, questions
per second, jieba's tokenisation alone on the same questions, cold start (a new
process to its first answer) and peak memory.
"""
from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT = ROOT.parent / "shared" / "eval" / "dev_questions.jsonl"


def cold_start() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bot", "ask", "无锡2015智慧管理排名"], cwd=ROOT, check=True,
                   capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    items = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    cold = min(cold_start() for _ in range(3))
    from bot.cli import make_engine

    engine = make_engine()
    questions = [(it["chat"], it.get("q") or it.get("text")) for it in items]
    for _, q in questions:  # warm-up
        engine.answer(q)
    times = []
    ctx = {}
    for _ in range(5):
        for chat, q in questions:
            start = time.perf_counter()
            reply = engine.answer(q, ctx.get(chat))
            times.append(time.perf_counter() - start)
            ctx[chat] = reply.context
    tok = engine.lex.tokenizer
    start = time.perf_counter()
    for _ in range(5):
        for _, q in questions:
            tok.lcut(q)
    jieba_s = (time.perf_counter() - start) / (5 * len(questions))
    times.sort()
    median = statistics.median(times)
    p99 = times[int(0.99 * (len(times) - 1))]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"questions: {len(questions)} × 5 runs")
    print(f"median per question: {median * 1000:.2f} ms; p99: {p99 * 1000:.2f} ms; {1 / statistics.mean(times):.0f} questions/s")
    print(f"jieba tokenisation alone: {jieba_s * 1000:.3f} ms per question (answer/tokenise = {median / jieba_s:.1f}×)")
    print(f"cold start (process start to first answer): {cold:.2f} s")
    print(f"peak memory: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
