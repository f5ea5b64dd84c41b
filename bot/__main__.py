"""Entry point: `python -m bot` runs the Telegram bot when TELEGRAM_BOT_TOKEN is set,
otherwise a local console; `ask` and `console` are the command-line front ends."""
from __future__ import annotations

import argparse
import os
import sys

from store.query import StoreError


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bot", description="城市评估问答")
    ap.add_argument("--db", default=os.environ.get("CITYQ_DB"), help="score database (default data/scores.db)")
    sub = ap.add_subparsers(dest="cmd")
    ask = sub.add_parser("ask", help="answer one question, or JSON Lines with --jsonl")
    ask.add_argument("question", nargs="?")
    ask.add_argument("--jsonl", action="store_true")
    sub.add_parser("console", help="interactive session")
    sub.add_parser("telegram", help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    args = ap.parse_args(argv)
    try:
        from bot import cli

        if args.cmd == "ask":
            engine = cli.make_engine(args.db)
            if args.jsonl:
                return cli.ask_jsonl(engine)
            if not args.question:
                ap.error("ask needs a question, or --jsonl")
            return cli.ask_one(engine, args.question)
        if args.cmd == "console" or (args.cmd is None and not os.environ.get("TELEGRAM_BOT_TOKEN")):
            return cli.console(cli.make_engine(args.db))
        from bot.telegram_app import run

        return run(args.db)
    except StoreError as exc:
        print(f"错误：数据库无法打开 / error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
