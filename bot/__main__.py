"""Entry point: `python -m bot` runs the Telegram bot when TELEGRAM_BOT_TOKEN is set,
otherwise a local console; `ask`, `console`, `telegram` and `misses` choose explicitly."""
from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

# No garbage collection while the process starts: importing the modules and reading the store make
# hundreds of thousands of objects and no garbage, and the 150-odd collections meanwhile were 40-50 ms
# of a start.  bot.cli.make_engine freezes what start-up made and resumes collection.  Only when run as
# `python -m bot`: a module that imports this one (a test, the `cityq` script) keeps collection as it was.
if __name__ == "__main__":
    gc.disable()

from store.query import StoreError  # noqa: E402

DESCRIPTION = """城市评估问答：用中文问中国城市在五份评估报告里的排名和得分。

直接运行（不带子命令）时：设置了 TELEGRAM_BOT_TOKEN 就运行 Telegram 机器人，否则打开本地控制台。"""

ENVIRONMENT = """环境变量（也可写在 CITYQ_ENV_FILE 指定的 KEY=VALUE 文件里，环境变量优先）：
  TELEGRAM_BOT_TOKEN         机器人令牌（找 @BotFather 申请）；不设则 `%(prog)s` 打开本地控制台
  TELEGRAM_BASE_URL          自建 Bot API 服务器，如 http://127.0.0.1:8081/bot
  TELEGRAM_BASE_FILE_URL     该服务器的文件地址（默认由 TELEGRAM_BASE_URL 推出）
  WEBHOOK_URL                Telegram 推送更新的 HTTPS 地址；不设则用长轮询
  WEBHOOK_LISTEN / WEBHOOK_PORT / WEBHOOK_PATH
                             webhook 监听的地址、端口、路径（0.0.0.0 / 8443 / telegram）
  WEBHOOK_SECRET             Telegram 每次推送须带的密钥（不设则每次启动随机生成）
  CITYQ_STATE_FILE           各会话上下文的 SQLite 文件
  CITYQ_STATE_MAX_IDLE_DAYS  会话闲置多少天后清除（30）
  CITYQ_LOG_LEVEL            日志级别（INFO）
  CITYQ_DB                   得分数据库（data/scores.db，缺失时自动构建）；同 --db
  CITYQ_PER_USER_PER_MINUTE  每人每分钟可问的次数（20）
  CITYQ_ENV_FILE             可选的 KEY=VALUE 设置文件
  CITYQ_MISSES_DB            误解记录（data/misses.db）；off 表示不记录
  XDG_STATE_HOME             控制台输入历史放在 $XDG_STATE_HOME/cityq/history（默认 ~/.local/state）

例子：
  %(prog)s ask 无锡2015智慧管理排名
  %(prog)s ask --jsonl --timing < questions.jsonl
  %(prog)s console --explain
  %(prog)s misses --limit 20"""


def _prog() -> str:
    """`cityq` when run as the installed script, `python -m bot` when run as a module."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return "python -m bot" if name in ("", "__main__.py", "-c", "-m") else name


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog=_prog(), description=DESCRIPTION, epilog=ENVIRONMENT,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default=os.environ.get("CITYQ_DB"), help="得分数据库（默认 data/scores.db）")
    sub = ap.add_subparsers(dest="cmd", title="子命令", metavar="{ask,console,telegram,misses}")
    ask = sub.add_parser("ask", help="回答一个问题，或用 --jsonl 批量回答",
                         description="回答一个问题；--jsonl 从标准输入逐行读 {\"chat\", \"text\"}，"
                                     "逐行输出 {\"chat\", \"text\", \"intent\", \"status\", \"answer\"}。")
    ask.add_argument("question", nargs="?", help="问题，如「无锡2015智慧管理排名」")
    ask.add_argument("--jsonl", action="store_true", help="JSON Lines 输入输出；同一 chat 的各行是一段对话")
    ask.add_argument("--explain", action="store_true", help="附上引擎如何理解问题（--jsonl 时加 \"explain\" 字段）")
    ask.add_argument("--timing", action="store_true", help="与 --jsonl 同用：加 \"ms\" 字段，即回答这一行用的毫秒数")
    ask.add_argument("--log-misses", action="store_true",
                     help="与 --jsonl 同用：把超出范围、需要澄清的问题记入误解记录（单个问题总会记录）")
    con = sub.add_parser("console", help="本地交互控制台，支持追问",
                         description="本地交互控制台：有提示符、行编辑和输入历史；/help 看示例。")
    con.add_argument("--explain", action="store_true", help="每个回答下显示引擎如何理解问题（控制台里 /explain 开关）")
    sub.add_parser("telegram", help="运行 Telegram 机器人（需要 TELEGRAM_BOT_TOKEN）")
    mis = sub.add_parser("misses", help="列出最常见的误解（超出范围、需要澄清、被点踩的问题）")
    mis.add_argument("--limit", type=int, default=20, metavar="N", help="最多列出 N 组（默认 20）")
    return ap


def main(argv: list[str] | None = None) -> int:
    ap = parser()
    args = ap.parse_args(argv)
    try:
        return _run(ap, args)
    except StoreError as exc:
        print(f"错误：数据库无法打开 / error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`… | head -1`): stop quietly.  Python's documented recipe: point
        # stdout at devnull so the interpreter's final flush does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def _run(ap: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from bot import cli

    if args.cmd == "misses":
        from bot import misses

        print(misses.report(args.limit))
        return 0
    if args.cmd == "ask":
        if args.timing and not args.jsonl:
            ap.error("--timing 只能与 --jsonl 同用")
        if args.jsonl:
            code = cli.ask_jsonl(cli.make_engine(args.db, warm=True), explain=args.explain, timing=args.timing,
                                 log_misses=args.log_misses)
        elif not args.question:
            ap.error("ask 需要一个问题，或 --jsonl")
        else:
            code = cli.ask_one(cli.make_engine(args.db), args.question, explain=args.explain)
        sys.stdout.flush()  # a closed pipe shows up here, inside the handler, not at exit
        return code
    if args.cmd == "console" or (args.cmd is None and not os.environ.get("TELEGRAM_BOT_TOKEN")):
        return cli.console(cli.make_engine(args.db, warm=True), explain=getattr(args, "explain", False))
    _import_httpcore_without_trio()
    _import_telegram_ext_without_tornado()
    from bot.telegram_app import run

    return run(args.db)


def _import_httpcore_without_trio() -> None:
    """httpcore (under httpx, under python-telegram-bot) imports trio when it is installed, 0.1–0.15 s
    of the bot's start, only to run on trio's event loop, which this bot never does (it runs asyncio)
    and which httpcore does without: import it with trio absent, as nlu.lexicon imports jieba without
    pkg_resources.  A process that imported trio already keeps it."""
    if "trio" in sys.modules or "httpcore" in sys.modules:
        return
    sys.modules["trio"] = None  # `import trio` raises ImportError while this is here
    try:
        import httpcore  # noqa: F401
    finally:
        if sys.modules.get("trio", 0) is None:
            del sys.modules["trio"]


def _import_telegram_ext_without_tornado() -> None:
    """telegram.ext imports tornado (60–80 ms of the bot's start) for its webhook server alone, and
    does without it when the import fails: import it so, and let bot.webhook, which the webhook mode
    imports, give the Updater its server back.  Long polling, the default, never needs tornado."""
    if "tornado" in sys.modules or "telegram.ext" in sys.modules:
        return
    sys.modules["tornado"] = None  # `import tornado…` raises ImportError while this is here
    try:
        import telegram.ext  # noqa: F401
    finally:
        if sys.modules.get("tornado", 0) is None:
            del sys.modules["tornado"]


if __name__ == "__main__":
    sys.exit(main())
