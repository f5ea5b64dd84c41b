"""Command-line front ends of the answer engine: one question, JSON Lines, console.

    python -m bot ask "无锡2015智慧管理排名" [--explain]
    python -m bot ask --jsonl [--explain] [--timing] [--log-misses] < questions.jsonl
        {"chat", "text"} → {"chat", "text", "intent", "status", "answer"[, "explain"][, "ms"]}
    python -m bot console [--explain]                an interactive session with follow-ups
"""
from __future__ import annotations

import gc
import json
import os
import signal
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TextIO

from bot import misses
from bot.engine import Engine
from bot.reply import Reply
from nlu.context import Context
from nlu.rules import help_examples
from store.query import open_store

MAX_CHATS = 10_000  # conversations `ask --jsonl` remembers; the least recently used is forgotten first
PROMPT = "问> "
BANNER = "城市评估问答（本地控制台）。直接输入问题；/help 看示例，/explain 显示理解过程，quit 或 Ctrl-D 退出。"
FAREWELL = "再见！"
QUIT = {"退出", "exit", "quit", "/quit", "/exit", "q", "再见", "拜拜", "bye"}
HELP = {"/help", "help", "/帮助", "帮助", "?", "？"}
EXPLAIN = {"/explain", "/理解"}
BAD = {"/bad", "/不对", "👎"}
HELP_EXAMPLES = help_examples()  # one per kind of question: the rules' own first examples
HISTORY_LENGTH = 1000


WARM_UP = "无锡2015智慧管理排名"


def make_engine(db: str | None = None, warm: bool = False) -> Engine:
    """The engine on the store.  `warm` (front ends that wait for questions): one question answered at
    start-up, so the first user's does not pay for compiling the patterns and first table reads
    (30–50 ms), and what is otherwise loaded on first use read now: every ranking table (40 ms), and
    what typo and pinyin look-ups need (pypinyin, the names' readings, rapidfuzz: 80–120 ms); a single
    `ask` skips all that.  Then everything made so far (store
    tables, lexicon, modules) is moved out of the garbage collector's reach: a full collection over
    those ~150k objects took 25–48 ms and landed on a random question; they live as long as the
    process anyway.  Collection, paused while `python -m bot` starts, resumes."""
    engine = Engine(open_store(db))
    if warm:
        engine.store.warm()
        engine.lex.warm()
        engine.answer(WARM_UP)
    gc.freeze()
    gc.enable()  # `python -m bot` starts with collection paused (bot/__main__.py)
    return engine


# --- rendering a reply as lines of text -----------------------------------------------------
def explain_lines(reply: Reply) -> list[str]:
    """The engine's account of how it read the question (`reply.explain`), as lines; [] if none."""
    explain = getattr(reply, "explain", None)
    if not explain:
        return []
    if isinstance(explain, str):
        return [x for x in explain.splitlines() if x.strip()]
    return [str(x) for x in explain]


def corrections_line(reply: Reply) -> str | None:
    """「按「杭州」理解「杭洲」」 for the typos the engine corrected."""
    pairs = getattr(reply, "corrections", None) or []
    return "，".join(f"按「{meant}」理解「{typed}」" for typed, meant in pairs) or None


def suggestions_line(reply: Reply, asked: str) -> str | None:
    """「可以接着问：…」 with the suggested follow-ups that are not the question just asked."""
    for typed, meant in getattr(reply, "corrections", None) or []:
        asked = asked.replace(typed, meant)  # 杭洲排名 asked is 杭州排名 suggested
    seen = {misses.normalise(asked)}
    shown = []
    for _, question in reply.suggestions:
        if misses.normalise(question) not in seen:
            seen.add(misses.normalise(question))
            shown.append(question)
    return "可以接着问：" + " / ".join(shown) if shown else None


def render(reply: Reply, asked: str, explain: bool = False) -> list[str]:
    """What the console prints for a reply: corrections, the answer, how it was read, follow-ups."""
    lines = [x for x in [corrections_line(reply)] if x] + [reply.text]
    if explain:
        lines += ["  · " + x for x in explain_lines(reply) or [f"意图 {reply.intent}，状态 {reply.status}"]]
    follow = suggestions_line(reply, asked)
    return lines + (["  " + follow] if follow else [])


def help_text() -> str:
    lines = ["可以这样问（每类一个例子）："]
    lines += [f"  {kind}：{example}" for kind, example in HELP_EXAMPLES]
    lines += ["追问会沿用上一句的城市、年份和指标，例如「那杭州呢」「2016年呢」。",
              "/explain 开关理解过程显示，/不对 标记上一条回答理解错了，quit 或 Ctrl-D 退出。"]
    return "\n".join(lines)


# --- ask --------------------------------------------------------------------------------------
def ask_one(engine: Engine, question: str, out: TextIO = sys.stdout, *, explain: bool = False,
            misses_path: str | os.PathLike | None = None) -> int:
    reply = engine.answer(question, follow_ups=False)  # none is printed: checking them answered 3 more questions
    print(reply.text, file=out)
    if explain:
        for line in explain_lines(reply):
            print("  · " + line, file=out)
    misses.record_reply(question, reply, path=misses_path)
    return 0


def record(chat: object, text: str, reply: Reply) -> dict:
    """The fixed `--jsonl` fields, in order; options only ever add fields after them."""
    return {"chat": chat, "text": text, "intent": reply.intent, "status": reply.status, "answer": reply.text}


def ask_jsonl(engine: Engine, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout, *, explain: bool = False,
              timing: bool = False, log_misses: bool = False, misses_path: str | os.PathLike | None = None,
              max_chats: int = MAX_CHATS) -> int:
    """One JSON line per input line, in order; lines sharing a chat id are one conversation.

    At most `max_chats` conversations are remembered (least recently used forgotten first).
    `explain` adds "explain" (a list of lines), `timing` adds "ms" (engine time for that answer).
    """
    contexts: OrderedDict[str, Context | None] = OrderedDict()
    for line in stdin:
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            chat, text = item.get("chat"), item.get("text")
        except (json.JSONDecodeError, AttributeError):
            chat, text = None, line.rstrip("\n")
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        start = time.perf_counter()
        reply = engine.answer(text, contexts.pop(str(chat), None), follow_ups=False, extras=explain)  # no buttons, charts
        ms = (time.perf_counter() - start) * 1000
        contexts[str(chat)] = reply.context
        if len(contexts) > max_chats:
            contexts.popitem(last=False)
        row = record(chat, text, reply)
        if explain:
            row["explain"] = explain_lines(reply)
        if timing:
            row["ms"] = round(ms, 3)
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        out.flush()
        if log_misses:
            misses.record_reply(text, reply, path=misses_path)
    return 0


# --- console ----------------------------------------------------------------------------------
def history_path(environ: Mapping[str, str] = os.environ) -> Path | None:
    """$XDG_STATE_HOME/cityq/history, else ~/.local/state/cityq/history; None without a home."""
    state = environ.get("XDG_STATE_HOME", "")
    if not os.path.isabs(state):  # the XDG spec says to ignore a relative path
        try:
            state = str(Path.home() / ".local" / "state")
        except RuntimeError:
            return None
    return Path(state) / "cityq" / "history"


def _line_editing(path: Path | None, err: TextIO) -> Callable[[], None]:
    """Turn on readline (arrows, history) where the platform has it; returns what saves the history."""
    try:
        import readline
    except ImportError:  # e.g. Windows without pyreadline: plain input() still works
        return lambda: None
    readline.set_history_length(HISTORY_LENGTH)
    if path is None:
        return lambda: None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if path.exists():
            readline.read_history_file(str(path))
    except OSError as exc:
        print(f"（输入历史不可用：{path}：{exc.strerror or exc}）", file=err)
        return lambda: None

    def save() -> None:
        try:
            readline.write_history_file(str(path))
            os.chmod(path, 0o600)
        except OSError as exc:
            print(f"（输入历史未能保存：{path}：{exc.strerror or exc}）", file=err)

    return save


def console(engine: Engine, stdin: TextIO | None = None, out: TextIO | None = None, *, explain: bool = False,
            interactive: bool | None = None, history: Path | None = None,
            misses_path: str | os.PathLike | None = None) -> int:
    """Read questions until EOF, quit or Ctrl-C; answers keep the conversation's context.

    On a terminal (`interactive`): a 「问> 」 prompt, line editing and a history file.  Piped,
    only the answers are printed.  Out-of-scope and clarify answers go to the misses log.
    """
    stdin = sys.stdin if stdin is None else stdin
    out = sys.stdout if out is None else out
    if interactive is None:
        interactive = stdin is sys.stdin and out is sys.stdout and stdin.isatty()
    save_history = _line_editing(history or history_path(), sys.stderr) if interactive else (lambda: None)
    if interactive and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C ends the session even when the
        # console was started from a shell that ignores SIGINT for background jobs (Python then skips its handler)

    def read() -> str:
        if interactive:
            return input(PROMPT)
        line = stdin.readline()
        if not line:
            raise EOFError
        return line

    ctx: Context | None = None
    last: tuple[str, Reply | None] | None = None  # the last question and its answer (None once marked)
    print(BANNER, file=out)
    try:
        while True:
            try:
                text = read().strip()
            except EOFError:
                if interactive:
                    print(file=out)  # Ctrl-D leaves the cursor after the prompt
                break
            if text in QUIT:
                break
            if not text:
                continue
            if text in HELP:
                print(help_text(), file=out)
            elif text in EXPLAIN:
                explain = not explain
                print("已打开理解过程显示。" if explain else "已关闭理解过程显示。", file=out)
            elif text in BAD:
                if last is None or last[1] is None:
                    print("还没有回答可以标记。" if last is None else f"「{last[0]}」已经记下了，谢谢。", file=out)
                else:
                    asked, reply = last
                    misses.record(asked, reply.status, reply.intent, getattr(reply, "explain", None),
                                  "thumbs_down", path=misses_path)
                    last = (asked, None)
                    print(f"已记下「{asked}」理解有误，谢谢。", file=out)
            elif misses.is_correction(text) and last is not None:  # 「不对」: the question before was misread
                asked, reply = last
                if reply is not None:
                    misses.record(asked, reply.status, reply.intent, getattr(reply, "explain", None), "corrected",
                                  path=misses_path)
                    last = (asked, None)  # a second 「不对」 is not logged twice
                print(f"抱歉，理解错了。已记下「{asked}」，换个说法再问一次试试；/explain 可以看我是怎么读的。", file=out)
            elif text.startswith("/"):
                print(f"没有 {text} 这个命令；输入 /help 看能问什么。", file=out)
            else:
                reply = engine.answer(text, ctx)
                ctx, last = reply.context, (text, reply)
                print("\n".join(render(reply, text, explain)), file=out)
                misses.record_reply(text, reply, path=misses_path)
            out.flush()
    except KeyboardInterrupt:
        print(file=out)  # Ctrl-C: end the line ^C was typed on, so the shell prompt starts afresh
    finally:
        save_history()
    print(FAREWELL, file=out)
    return 0
