"""Command-line front ends of the answer engine: one question, JSON Lines, console.

    python -m bot ask "无锡2015智慧管理排名"
    python -m bot ask --jsonl < questions.jsonl     {"chat", "text"} → {"chat", "text", "intent", "status", "answer"}
    python -m bot console                            an interactive session with follow-ups
"""
from __future__ import annotations

import json
import sys
from typing import TextIO

from bot.engine import Engine
from bot.reply import Reply
from nlu.context import Context
from store.query import open_store


def make_engine(db: str | None = None) -> Engine:
    return Engine(open_store(db))


def ask_one(engine: Engine, question: str, out: TextIO = sys.stdout) -> int:
    reply = engine.answer(question)
    print(reply.text, file=out)
    return 0


def record(chat: object, text: str, reply: Reply) -> dict:
    return {"chat": chat, "text": text, "intent": reply.intent, "status": reply.status, "answer": reply.text}


def ask_jsonl(engine: Engine, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    """One JSON line per input line, in order; lines sharing a chat id are one conversation."""
    contexts: dict[str, Context | None] = {}
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
        reply = engine.answer(text, contexts.get(str(chat)))
        contexts[str(chat)] = reply.context
        out.write(json.dumps(record(chat, text, reply), ensure_ascii=False) + "\n")
        out.flush()
    return 0


def console(engine: Engine, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    """Read questions until EOF or 「退出」; answers keep the conversation's context."""
    ctx: Context | None = None
    print("城市评估问答（本地控制台）。直接输入问题，输入「退出」结束。", file=out)
    for line in stdin:
        text = line.strip()
        if text in ("退出", "exit", "quit"):
            break
        if not text:
            continue
        reply = engine.answer(text, ctx)
        ctx = reply.context
        print(reply.text, file=out)
        if reply.suggestions:
            print("  可以接着问：" + " / ".join(q for _, q in reply.suggestions), file=out)
        out.flush()
    return 0
