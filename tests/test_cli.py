"""The `python -m bot ask --jsonl` contract and the console."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from bot.cli import ask_jsonl, console

ROOT = Path(__file__).resolve().parent.parent


def test_jsonl_one_line_per_input_in_order_with_conversations(engine):
    lines = [{"chat": "a", "text": "无锡2015智慧管理排名"}, {"chat": "b", "text": "数字经济前三"},
             {"chat": "a", "text": "那杭州呢"}, {"chat": "b", "text": "hello"}]
    out = io.StringIO()
    ask_jsonl(engine, io.StringIO("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines)), out)
    got = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [g["chat"] for g in got] == ["a", "b", "a", "b"]
    assert all(set(g) == {"chat", "text", "intent", "status", "answer"} for g in got)
    assert "16.83" in got[2]["answer"]  # chat a's follow-up, not disturbed by chat b
    assert got[3]["status"] == "out_of_scope"


def test_jsonl_survives_broken_lines(engine):
    out = io.StringIO()
    ask_jsonl(engine, io.StringIO('not json\n{"chat": 1, "text": null}\n{"chat": 2}\n'), out)
    got = [json.loads(x) for x in out.getvalue().splitlines()]
    assert len(got) == 3 and all(g["status"] == "out_of_scope" for g in got)


def test_console_keeps_context(engine):
    out = io.StringIO()
    console(engine, io.StringIO("无锡2015智慧管理排名\n那杭州呢\n退出\n"), out)
    assert "16.83" in out.getvalue()


def test_unreadable_database_is_one_line_and_nonzero(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_text("not a database")
    proc = subprocess.run([sys.executable, "-m", "bot", "--db", str(bad), "ask", "无锡排名"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
