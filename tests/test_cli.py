"""The `python -m bot ask --jsonl` contract and the console."""
from __future__ import annotations

import io
import json
import os
import re
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


def _jsonl(engine, rows: list[dict], **kwargs) -> list[dict]:
    out = io.StringIO()
    ask_jsonl(engine, io.StringIO("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in rows)), out, **kwargs)
    return [json.loads(x) for x in out.getvalue().splitlines()]


def test_jsonl_options_add_fields_after_the_contract(engine):
    got = _jsonl(engine, [{"chat": 1, "text": "无锡2015智慧管理排名"}], explain=True, timing=True)[0]
    assert list(got) == ["chat", "text", "intent", "status", "answer", "explain", "ms"]
    assert isinstance(got["explain"], list) and all(isinstance(x, str) for x in got["explain"])
    assert isinstance(got["ms"], float) and got["ms"] > 0 and round(got["ms"], 3) == got["ms"]
    assert list(_jsonl(engine, [{"chat": 1, "text": "无锡排名"}], timing=True)[0]) == [
        "chat", "text", "intent", "status", "answer", "ms"]


def test_jsonl_forgets_the_least_recently_used_chat_beyond_the_limit(engine):
    from bot.cli import MAX_CHATS

    assert MAX_CHATS == 10_000
    q = "无锡2015智慧管理排名"
    got = _jsonl(engine, [{"chat": "a", "text": q}, {"chat": "b", "text": q}, {"chat": "a", "text": "那杭州呢"},
                          {"chat": "c", "text": q}, {"chat": "a", "text": "那杭州呢"}, {"chat": "b", "text": "那杭州呢"}],
                 max_chats=2)
    assert "16.83" in got[2]["answer"] and "16.83" in got[4]["answer"]  # a stayed: it was used after b
    assert "16.83" not in got[5]["answer"]  # b was the least recently used when c came


def test_ask_explain_prints_the_engines_reading_under_the_answer(tmp_path):
    from bot.cli import ask_one
    from bot.reply import Reply

    class Explaining:
        def answer(self, text, ctx=None, **options):
            reply = Reply("答案", "ok", "rank")
            reply.explain = "城市：无锡\n意图：排名"
            return reply

    out = io.StringIO()
    ask_one(Explaining(), "无锡排名", out, explain=True, misses_path=tmp_path / "m.db")
    assert out.getvalue() == "答案\n  · 城市：无锡\n  · 意图：排名\n"


def test_closed_pipe_ends_quietly(db_path, tmp_path):
    """`python -m bot ask 无锡排名 | head -1`: the reader leaves before the answer is written."""
    env = {**os.environ, "CITYQ_MISSES_DB": "off"}
    proc = subprocess.Popen([sys.executable, "-m", "bot", "--db", str(db_path), "ask", "无锡排名"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    proc.stdout.close()  # before the engine has loaded, so every write meets a closed pipe
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 1 and err == ""


def test_help_names_the_program_the_bare_run_and_every_setting(monkeypatch):
    from bot import __main__ as entry

    text = entry.parser().format_help()
    assert text.startswith("usage: python -m bot")
    assert "TELEGRAM_BOT_TOKEN" in text and "本地控制台" in text
    settings = (ROOT / "bot" / "settings.py").read_text(encoding="utf-8")
    for name in set(re.findall(r'"((?:TELEGRAM|WEBHOOK|CITYQ)_[A-Z_]+)"', settings)) | {"CITYQ_MISSES_DB"}:
        assert name in text, name
    monkeypatch.setattr(sys, "argv", ["/usr/local/bin/cityq", "--help"])
    assert entry.parser().format_usage().startswith("usage: cityq ")


def _help(main, argv: list[str], capsys) -> str:
    try:
        main(argv)
    except SystemExit as exc:
        assert exc.code == 0
    return capsys.readouterr().out


def test_store_help_describes_every_verb_with_an_example(capsys):
    from store.__main__ import main

    verbs = ["build", "counts", "value", "top", "across", "anomalies"]
    listing = _help(main, ["--help"], capsys)
    for verb in verbs:  # each verb on its own line with a description after it
        assert re.search(rf"^    {verb}\s+\S", listing, re.M), verb
        assert "Example:\n  python -m store " in _help(main, [verb, "--help"], capsys)


def test_the_engine_says_how_it_read_a_question_and_what_it_corrected(engine):
    got = _jsonl(engine, [{"chat": 1, "text": "杭洲2015智慧管里排名"}, {"chat": 1, "text": "那南京呢"}], explain=True)
    first, follow = (g["explain"] for g in got)
    assert first[0] == "理解为：排名｜地点：杭州｜报告：2015 智慧城市评估（第五届）｜指标：智慧管理"
    assert "按「杭州」理解「杭洲」" in first[1] and "按「智慧管理」理解「智慧管里」" in first[1]
    assert follow[1].startswith("沿用上一句：年份、指标；查询") and "地点：南京" in follow[0]  # no correction repeated
    out = io.StringIO()
    console(engine, io.StringIO("杭洲排名\n"), out)
    assert "按「杭州」理解「杭洲」" in out.getvalue()
