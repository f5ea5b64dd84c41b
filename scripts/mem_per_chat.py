"""Memory the bot keeps per chat, measured with tracemalloc (prints figures; not a test).

    python scripts/mem_per_chat.py [--chats 2000] [--frames 3] [--rate 200]

Runs the real Application in this process against the fake Bot API of tests/fake_telegram.py on
127.0.0.1, asks one question in each of `--chats` new chats (Telegram's 30/s limit lifted to
`--rate`), and compares tracemalloc snapshots taken after a gc before and after: bytes kept per
chat by the bot (the fake server's own records left out) and the lines that keep most of them.
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.botapi import RetryingLimiter  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.telegram_app import ALLOWED_UPDATES, build_application  # noqa: E402
from store.query import open_store  # noqa: E402
from tests.fake_telegram import FakeTelegram  # noqa: E402

TOKEN = "123456:" + "M" * 35
QUESTIONS = ["无锡2015智慧管理排名", "杭州数字经济排名", "南京是数字经济几线城市"]
NOT_THE_BOT = [tracemalloc.Filter(False, f"*/{name}", all_frames=True) for name in ("fake_telegram.py", "socketserver.py")]


async def measure(chats: int, frames: int, rate: float, state: Path) -> None:
    engine = Engine(open_store(ROOT / "data" / "scores.db"))
    with FakeTelegram() as tg:
        settings = Settings(token=TOKEN, base_url=tg.base_url, base_file_url=tg.base_url.replace("/bot", "/file/bot"),
                            state_file=state)
        app = build_application(settings, engine, limiter=RetryingLimiter(overall_max_rate=rate))
        async with app:
            await app.start()
            await app.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=ALLOWED_UPDATES)
            for question in QUESTIONS:  # warm up: what every chat shares is loaded before the first snapshot
                tg.text(question, chat_id=1, user_id=1)
            await asyncio.to_thread(tg.wait_for, lambda c: len(tg.sent_after(0, "sendMessage")) >= 3, 60)
            gc.collect()
            tracemalloc.start(frames)
            before, mark, started = tracemalloc.take_snapshot(), len(tg.calls), time.monotonic()
            for i in range(chats):
                tg.text(QUESTIONS[i % 3], chat_id=100_000 + i, user_id=100_000 + i)
            await asyncio.to_thread(tg.wait_for, lambda c: len(tg.sent_after(mark, "sendMessage")) >= chats, 3600)
            elapsed = time.monotonic() - started
            await app.updater.stop()
            await app.stop()  # every update finished
            gc.collect()
            after = tracemalloc.take_snapshot()
            tracemalloc.stop()
        await app.post_shutdown(app)
    diff = after.filter_traces(NOT_THE_BOT).compare_to(before.filter_traces(NOT_THE_BOT), "traceback")
    print(f"{chats} chats answered in {elapsed:.0f} s; the bot keeps {sum(d.size_diff for d in diff) / chats:.0f} B per chat")
    for d in diff[:5]:
        frame = d.traceback[0]
        print(f"  {d.size_diff / chats:6.0f} B/chat  {d.count_diff:6d} blocks  {frame.filename}:{frame.lineno}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--chats", type=int, default=2000)
    ap.add_argument("--frames", type=int, default=3, help="frames kept per allocation (more is slower)")
    ap.add_argument("--rate", type=float, default=200.0, help="messages per second allowed to the fake server")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="cityq-mem-") as tmp:
        asyncio.run(measure(args.chats, args.frames, args.rate, Path(tmp) / "state.db"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
