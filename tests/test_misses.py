"""The misunderstandings log: what it keeps, how it groups, that it never stops an answer."""
from __future__ import annotations

import io
import json
import logging
import sqlite3

from bot import misses
from bot.__main__ import main
from bot.cli import ask_jsonl, ask_one
from bot.reply import Reply


def test_record_and_top_group_by_normalised_text(tmp_path):
    db = tmp_path / "m.db"
    for text in ["无锡房价", " 无锡 房价？", "无锡房价!", "ＷＵＸＩ房价"]:
        assert misses.record(text, "out_of_scope", "out_of_scope", None, "out_of_scope", path=db)
    misses.record("吉林排名", "clarify", "rank", ["城市：吉林（市或省）", "意图：排名"], "clarify", path=db)
    misses.record("wuxi房价", "ok", "lookup", None, "thumbs_down", path=db)
    rows = misses.top(10, path=db)
    assert [(r.count, r.reasons) for r in rows] == [(3, ["out_of_scope"]), (2, ["out_of_scope", "thumbs_down"]),
                                                     (1, ["clarify"])]
    assert rows[0].text == "无锡房价!"  # the latest wording of the group
    assert rows[1].summary == "lookup/ok"  # intent/status when the engine gave no explanation
    assert rows[2].summary == "城市：吉林（市或省）；意图：排名"
    assert misses.top(1, path=db) == rows[:1]


def test_no_user_or_chat_ids_are_stored(tmp_path):
    db = tmp_path / "m.db"
    misses.record("无锡房价", "out_of_scope", "out_of_scope", None, "out_of_scope", path=db)
    with sqlite3.connect(db) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(misses)")]
    assert not any("user" in c or "chat" in c for c in columns)
    assert set(columns) == {"id", "at", "text", "norm", "status", "intent", "summary", "reason"}


def test_unwritable_log_warns_once_and_answers_go_on(tmp_path, caplog, engine):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    db = blocker / "misses.db"
    with caplog.at_level(logging.WARNING, logger="bot.misses"):
        assert not misses.record("无锡房价", "out_of_scope", "x", None, "out_of_scope", path=db)
        assert not misses.record("无锡房价", "out_of_scope", "x", None, "out_of_scope", path=db)
        out = io.StringIO()
        assert ask_one(engine, "今天天气怎么样", out, misses_path=db) == 0
    assert out.getvalue().strip()
    assert len([r for r in caplog.records if "not writable" in r.message]) == 1
    broken = tmp_path / "broken.db"
    broken.write_text("not a database")
    assert not misses.record("x", "clarify", "rank", None, "clarify", path=broken)
    assert misses.top(5, path=broken) == []


def test_env_chooses_the_file_and_off_turns_it_off(tmp_path, monkeypatch):
    monkeypatch.setenv(misses.ENV, str(tmp_path / "env.db"))
    assert misses.location() == tmp_path / "env.db"
    monkeypatch.setenv(misses.ENV, "off")
    assert misses.location() is None
    assert not misses.record("无锡房价", "out_of_scope", "x", None, "out_of_scope")
    assert misses.top() == []
    monkeypatch.delenv(misses.ENV)
    assert misses.location() == misses.DEFAULT_PATH


def test_only_misses_are_recorded_by_reply(tmp_path):
    db = tmp_path / "m.db"
    for status in ["ok", "no_data", "clarify", "out_of_scope"]:
        misses.record_reply(f"问题{status}", Reply("…", status, "rank"), path=db)
    assert sorted(m.text for m in misses.top(10, path=db)) == ["问题clarify", "问题out_of_scope"]
    misses.record_reply("好问题", Reply("…", "ok", "rank"), path=tmp_path / "never.db")
    assert not (tmp_path / "never.db").exists()  # nothing to log, no file


def test_ask_logs_misses_and_jsonl_only_when_asked(engine, tmp_path):
    db = tmp_path / "m.db"
    ask_one(engine, "今天天气怎么样", io.StringIO(), misses_path=db)
    ask_one(engine, "无锡2015智慧管理排名", io.StringIO(), misses_path=db)
    assert [m.text for m in misses.top(10, path=db)] == ["今天天气怎么样"]
    lines = "".join(json.dumps({"chat": 1, "text": t}, ensure_ascii=False) + "\n" for t in ["你好呀", "无锡排名"])
    ask_jsonl(engine, io.StringIO(lines), io.StringIO(), misses_path=db)
    assert len(misses.top(10, path=db)) == 1
    ask_jsonl(engine, io.StringIO(lines), io.StringIO(), misses_path=db, log_misses=True)
    assert [m.text for m in misses.top(10, path=db)] == ["你好呀", "今天天气怎么样"]


def test_misses_command_prints_groups_most_frequent_first(tmp_path, monkeypatch, capsys):
    db = tmp_path / "m.db"
    monkeypatch.setenv(misses.ENV, str(db))
    assert main(["misses"]) == 0
    assert "还没有误解记录" in capsys.readouterr().out
    for text in ["无锡房价", "无锡房价", "吉林排名", "北京人口"]:
        misses.record(text, "out_of_scope", "out_of_scope", None, "out_of_scope")
    assert main(["misses", "--limit", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and "2×  无锡房价" in lines[1] and "超出范围" in lines[1]
    assert "北京人口" in lines[2]  # of the two single ones, the latest
