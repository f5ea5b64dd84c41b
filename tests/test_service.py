"""The bot as a service, at small scale: chat state in SQLite (durable, bounded, recovers from
damage), per-chat order with concurrency across chats, one throttle for every update kind, the
webhook secret, unparseable updates, send retries, no token in the logs, and startup checks.
Every wait is on the fake server's condition variable or an asyncio event, with a timeout."""
from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from bot import botapi, chat_order, chat_state, logs
from bot.botapi import RetryingLimiter
from bot.chat_order import LeanApplication, PerChatOrder
from bot.chat_state import ChatState, StateError
from bot.settings import Settings
from bot.telegram_app import ALLOWED_UPDATES, build_application, webhook_options
from bot.throttle import Throttle
from tests.fake_telegram import FakeTelegram, botapi_check
from tests.test_telegram import TOKEN, _run, _wait

ROOT = Path(__file__).resolve().parent.parent
USER = {"id": 7, "is_bot": False, "first_name": "测试"}


def _settings(tg: FakeTelegram, tmp_path: Path, **kw) -> Settings:
    return Settings(token=TOKEN, base_url=tg.base_url, base_file_url=tg.base_url.replace("/bot", "/file/bot"),
                    state_file=tmp_path / "state.db", **kw)


def _fast_retries() -> RetryingLimiter:
    return RetryingLimiter(attempts=3, backoff=0.01)


async def _ask(tg: FakeTelegram, text: str, chat_id: int = 7, user_id: int = 7, method: str = "sendMessage"):
    mark = len(tg.calls)
    tg.text(text, chat_id=chat_id, user_id=user_id)
    return (await _wait(tg, lambda c: tg.sent_after(mark, method)))[0]


# --- chat state ----------------------------------------------------------------------------
async def test_the_state_file_and_its_wal_are_readable_by_the_bots_user_only(tmp_path):
    state = ChatState(tmp_path / "s.db")
    await state.save_context(1, {"city": "无锡"})
    modes = {p.name: p.stat().st_mode & 0o777 for p in tmp_path.iterdir()}
    state.close()
    assert modes["s.db"] == 0o600 and modes.get("s.db-wal", 0o600) == 0o600, modes


async def test_state_round_trip_survives_reopen_and_keeps_few_button_sets(tmp_path):
    state = ChatState(tmp_path / "s.db")
    await state.save_context(1, {"city": "无锡", "any": [1, 2]})
    ids = [await state.add_buttons(1, {"kind": "ask", "asks": [str(i)]}) for i in range(chat_state.KEEP_SETS + 5)]
    state.close()
    state = ChatState(tmp_path / "s.db")
    assert await state.context(1) == {"city": "无锡", "any": [1, 2]}
    assert await state.buttons(1, ids[0]) is None and await state.buttons(1, ids[-1]) == {"kind": "ask", "asks": ["54"]}
    assert await state.buttons(2, ids[-1]) is None  # another chat's buttons are not ours
    assert (await state.counts())["buttons"] == chat_state.KEEP_SETS
    await state.save_context(1, None)
    assert await state.context(1) is None
    state.close()


async def test_idle_chats_are_evicted(tmp_path):
    state = ChatState(tmp_path / "s.db")
    for chat in (1, 2):
        await state.save_context(chat, {"n": chat})
    state.close()
    with sqlite3.connect(tmp_path / "s.db") as db:
        db.execute("UPDATE chats SET seen = ? WHERE chat_id = 1", (time.time() - 31 * 86400,))
    state = ChatState(tmp_path / "s.db", max_idle=30 * 86400)
    assert await state.context(1) is None and await state.context(2) == {"n": 2}
    state.close()


async def test_idle_chats_are_evicted_while_running_their_pages_returned_all_off_the_event_loop(tmp_path, monkeypatch):
    state = ChatState(tmp_path / "s.db", max_idle=60)
    threads = []
    state._db.set_trace_callback(lambda sql: threads.append(threading.current_thread().name))
    for chat in range(200):
        await state.save_context(chat, {"text": "x" * 500})
    with sqlite3.connect(tmp_path / "s.db") as db:  # all but chat 199 were last seen two minutes ago
        db.execute("UPDATE chats SET seen = seen - 120 WHERE chat_id < 199")
    db.close()
    pages = await state._run(lambda db: db.execute("PRAGMA page_count").fetchone()[0])
    monkeypatch.setattr(chat_state, "EVICT_EVERY", 0.0)  # the hourly eviction is due at the next write
    await state.save_context(500, {"n": 1})
    assert await state.counts() == {"chats": 2, "buttons": 0, "quarantine": 0}
    assert await state.context(199) == {"text": "x" * 500} and await state.context(5) is None
    after = await state._run(lambda db: db.execute("PRAGMA page_count").fetchone()[0])
    assert after < pages / 2 and await state._run(lambda db: db.execute("PRAGMA freelist_count").fetchone()[0]) == 0
    state.close()
    assert threads and all(name.startswith("chat-state") for name in threads)


@pytest.mark.parametrize("content", [b"\x80\x04\x95garbage pickle", b"not a database at all" * 100])
async def test_foreign_file_is_moved_aside_with_one_line(tmp_path, caplog, content):
    path = tmp_path / "s.db"
    path.write_bytes(content)
    state = ChatState(path)
    await state.save_context(1, {"a": 1})
    assert await state.context(1) == {"a": 1}
    state.close()
    (aside,) = tmp_path.glob("s.db.bad-*")
    assert aside.read_bytes() == content
    assert len([r for r in caplog.records if "moved to" in r.getMessage()]) == 1


async def test_damaged_database_is_moved_aside(tmp_path):
    path = tmp_path / "s.db"
    state = ChatState(path)
    for chat in range(300):
        await state.save_context(chat, {"text": "x" * 200})
    state.close()
    data = bytearray(path.read_bytes())
    data[4096 * 2: 4096 * 4] = b"\xff" * 8192  # scribble over table pages
    path.write_bytes(bytes(data))
    state = ChatState(path)
    await state.save_context(1, {"a": 1})
    assert await state.context(1) == {"a": 1}
    state.close()
    assert list(tmp_path.glob("s.db.bad-*"))


async def test_old_pickle_beside_the_state_is_named_once(tmp_path, caplog):
    (tmp_path / "s.pickle").write_bytes(b"\x80\x04old")
    ChatState(tmp_path / "s.db").close()
    assert [r.getMessage() for r in caplog.records if "old pickle" in r.getMessage()]


async def test_row_that_does_not_decode_is_quarantined(tmp_path):
    state = ChatState(tmp_path / "s.db")
    await state.save_context(1, {"a": 1})
    state.close()
    with sqlite3.connect(tmp_path / "s.db") as db:
        db.execute("UPDATE chats SET context = '[1, 2' WHERE chat_id = 1")
    state = ChatState(tmp_path / "s.db")
    assert await state.context(1) is None
    assert (await state.counts())["quarantine"] == 1 and (await state.counts())["chats"] == 0
    state.close()


def test_unwritable_state_location_raises(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(StateError, match="cannot be written"):
        ChatState(tmp_path / "file" / "s.db")


def test_another_programs_database_is_refused_untouched(tmp_path):
    path = tmp_path / "scores.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE scores (x)")
    db.close()
    before = path.read_bytes()
    with pytest.raises(StateError, match="another program's database .tables scores."):
        ChatState(path)
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["scores.db"]


def test_unwritable_state_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "file").write_text("x")
    env = {"PATH": "/usr/bin:/bin", "TELEGRAM_BOT_TOKEN": TOKEN, "HOME": str(tmp_path),
           "TELEGRAM_BASE_URL": "http://127.0.0.1:9/bot", "CITYQ_STATE_FILE": str(tmp_path / "file" / "s.db")}
    proc = subprocess.run([sys.executable, "-m", "bot"], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 2 and "cannot be written" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


async def test_context_is_committed_before_the_answer_is_sent(tmp_path, engine):
    with FakeTelegram() as tg:
        settings = _settings(tg, tmp_path)

        async def script(app):
            await _ask(tg, "无锡2015智慧管理排名", chat_id=31, user_id=31)
            with sqlite3.connect(settings.state_file) as db:  # another connection, as after a kill -9
                (row,) = db.execute("SELECT context FROM chats WHERE chat_id = 31").fetchall()
            assert json.loads(row[0])

        await _run(tg, settings, engine, script)


async def test_damaged_state_and_bad_rows_never_stop_answers(tmp_path, engine):
    with FakeTelegram() as tg:
        settings = _settings(tg, tmp_path)
        settings.state_file.write_bytes(b"garbage" * 100)

        async def script(app):
            assert "15.73" in (await _ask(tg, "无锡2015智慧管理排名"))["text"]
            with sqlite3.connect(settings.state_file) as db:  # a row of the wrong shape
                db.execute("UPDATE chats SET context = ? WHERE chat_id = 7", (json.dumps({"groups": 5}),))
            answer = await _ask(tg, "杭州2015智慧管理排名")
            assert "16.83" in answer["text"] and "出错" not in answer["text"]
            assert (await app.bot_data["state"].counts())["quarantine"] == 1
            assert "15.73" in (await _ask(tg, "那无锡呢"))["text"]  # follow-ups work again

        await _run(tg, settings, engine, script)
        assert list(tmp_path.glob("state.db.bad-*"))


# --- order and concurrency -------------------------------------------------------------------
async def test_one_chat_in_order_other_chats_concurrently(monkeypatch):
    from bot import chat_order

    monkeypatch.setattr(chat_order, "chat_key", lambda update: update)
    processor = PerChatOrder()
    release, events = asyncio.Event(), []

    async def handler(name, wait=False):
        events.append(f"{name} start")
        if wait:
            await asyncio.wait_for(release.wait(), 5)
        events.append(f"{name} end")

    first = asyncio.create_task(processor.process_update(1, handler("1a", wait=True)))
    second = asyncio.create_task(processor.process_update(1, handler("1b")))
    other = asyncio.create_task(processor.process_update(2, handler("2")))
    await asyncio.wait_for(other, 5)  # chat 2 finishes while chat 1's first update is still waiting
    assert events == ["1a start", "2 start", "2 end"]
    release.set()
    await asyncio.wait_for(asyncio.gather(first, second), 5)
    assert events[3:] == ["1a end", "1b start", "1b end"]


async def test_flood_wait_in_a_group_does_not_hold_up_private_chats(tmp_path, engine):
    with FakeTelegram() as tg:
        settings = _settings(tg, tmp_path)

        async def script(app):
            tg.fail("sendMessage", chat_id=-300, status=429, retry_after=1)
            mark = len(tg.calls)
            tg.text("@cityq_test_bot 无锡数字经济排名", chat_id=-300, user_id=30)
            await _wait(tg, lambda c: tg.failed)  # the group got a 429 and is waiting out retry_after
            private = await _ask(tg, "苏州数字经济排名", chat_id=32, user_id=32)
            assert "数字经济" in private["text"] and not [p for p in tg.sent_after(mark, "sendMessage")
                                                          if p["chat_id"] == "-300"]
            await _wait(tg, lambda c: [p for p in tg.sent_after(mark, "sendMessage") if p["chat_id"] == "-300"])

        await _run(tg, settings, engine, script)


async def test_a_group_at_its_per_minute_limit_does_not_hold_up_private_chats(tmp_path, engine, monkeypatch):
    monkeypatch.setattr(chat_order, "STOP_GRACE", 0.1)  # the group's waiting answer is dropped at the stop
    in_limiter = asyncio.Event()

    class Watched(RetryingLimiter):  # AIORateLimiter's own group limit, one message a minute
        async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
            if endpoint == "sendMessage" and str(data.get("chat_id")) == "-400" and "杭州" in data.get("text", ""):
                in_limiter.set()
            return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)

    with FakeTelegram() as tg:
        async def script(app):
            await _ask(tg, "@cityq_test_bot 无锡数字经济排名", chat_id=-400, user_id=40)  # the group's one for this minute
            mark = len(tg.calls)
            tg.text("@cityq_test_bot 杭州数字经济排名", chat_id=-400, user_id=41)
            await asyncio.wait_for(in_limiter.wait(), 10)  # its answer now waits for the group's next minute
            private = await _ask(tg, "苏州数字经济排名", chat_id=42, user_id=42)
            assert "数字经济" in private["text"]
            assert not [p for p in tg.sent_after(mark, "sendMessage") if p["chat_id"] == "-400"]

        await _run(tg, _settings(tg, tmp_path), engine, script,
                   limiter=Watched(group_max_rate=1, group_time_period=60))


async def test_charts_render_off_the_event_loop(tmp_path, engine, monkeypatch):
    from bot import charts

    threads, render = [], charts.render
    monkeypatch.setattr(charts, "render", lambda chart: threads.append(threading.current_thread().name) or render(chart))
    with FakeTelegram() as tg:
        async def script(app):
            await _ask(tg, "2015年前十名", method="sendPhoto")
            assert threads and threads[0].startswith("charts")

        await _run(tg, _settings(tg, tmp_path), engine, script)


async def test_no_chat_or_user_ids_are_kept_after_answering(tmp_path, engine):
    with FakeTelegram() as tg:
        apps = []

        async def script(app):
            apps.append(app)
            for chat in (51, 52):
                await _ask(tg, "无锡2015智慧管理排名", chat_id=chat, user_id=chat)

        await _run(tg, _settings(tg, tmp_path), engine, script)
    (app,) = apps  # stopped: every update finished
    assert not app._chat_ids_to_be_updated_in_persistence and not app._user_ids_to_be_updated_in_persistence
    assert not app.chat_data and not app.user_data and not app.update_processor._turns


async def test_polling_waits_while_the_backlog_is_full(tmp_path, engine, monkeypatch):
    monkeypatch.setattr(chat_order, "MAX_BACKLOG", 2)
    with FakeTelegram() as tg:
        async def script(app):
            tg.fail("sendMessage", chat_id=-61, status=429, retry_after=30)
            tg.fail("sendMessage", chat_id=-62, status=429, retry_after=30)
            for chat in (-61, -62):  # two groups in a flood wait fill the backlog
                tg.text("@cityq_test_bot 无锡数字经济排名", chat_id=chat, user_id=-chat)
            await _wait(tg, lambda c: len(tg.failed) == 2)
            polls = tg.polls
            tg.text("苏州数字经济排名", chat_id=63, user_id=63)
            with pytest.raises(AssertionError, match="timed out"):  # unblocked, polls come every 0.5 s at most
                await asyncio.to_thread(tg.wait_for, lambda c: tg.polls > polls + 1, 1.5)
            assert not tg.sent_after(0, "sendMessage")
            assert app.update_processor.drop_unfinished()  # room again: the next poll fetches the question
            assert "数字经济" in (await _wait(tg, lambda c: tg.sent_after(0, "sendMessage")))[0]["text"]

        await _run(tg, _settings(tg, tmp_path), engine, script)


async def test_a_stop_drops_what_is_not_finished_within_the_grace_and_keeps_what_was_answered(tmp_path, engine,
                                                                                          caplog, monkeypatch):
    monkeypatch.setattr(chat_order, "STOP_GRACE", 0.3)
    with FakeTelegram() as tg:
        settings = _settings(tg, tmp_path)
        app = build_application(settings, engine)
        async with app:
            await app.start()
            await app.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=ALLOWED_UPDATES)
            answered = await _ask(tg, "无锡2015智慧管理排名", chat_id=71, user_id=71)
            tg.fail("sendMessage", chat_id=-72, status=429, retry_after=30)  # a group in a 30 s flood wait
            tg.text("@cityq_test_bot 杭州2015智慧管理排名", chat_id=-72, user_id=72)
            await _wait(tg, lambda c: tg.failed)
            started = time.monotonic()
            await app.updater.stop()
            await app.stop()
            took = time.monotonic() - started
        await app.post_shutdown(app)
    assert took < 3.0 and "15.73" in answered["text"]
    (line,) = [r.getMessage() for r in caplog.records if "were dropped" in r.getMessage()]
    assert "1 updates" in line and "-72" in line
    with sqlite3.connect(settings.state_file) as db:  # both contexts were committed before their sends
        assert {row[0] for row in db.execute("SELECT chat_id FROM chats")} == {71, -72}


# --- throttle --------------------------------------------------------------------------------
def test_throttle_counts_a_minute_and_says_how_long():
    now = [0.0]
    throttle = Throttle(2, clock=lambda: now[0])
    assert throttle.check(1).allowed and throttle.check(1).allowed
    now[0] = 10.0
    first, second = throttle.check(1), throttle.check(1)
    assert (first.allowed, first.notify, first.wait) == (False, True, 50) and not second.notify
    assert throttle.check(2).allowed  # another user
    now[0] = 60.0
    assert throttle.check(1).allowed
    now[0] = 61.0
    assert throttle.check(1).allowed and throttle.check(1).notify  # a new burst gets a new notice


def test_throttle_forgets_users_idle_for_a_minute():
    now = [0.0]
    throttle = Throttle(2, clock=lambda: now[0])
    for user in range(1000):
        throttle.check(user)
    throttle.check(5)
    throttle.check(5)  # over the limit: a burst in progress
    now[0] = 30.0
    throttle.check(7)
    assert len(throttle) == 1000
    now[0] = 61.0
    assert throttle.check(9999).allowed and len(throttle) == 2  # users 7 and 9999: heard from in the last minute
    assert throttle.check(5).allowed  # user 5's burst was forgotten along with them


async def test_one_throttle_for_messages_taps_and_inline_queries(tmp_path, engine, caplog):
    caplog.set_level(logging.INFO, logger="cityq")
    with FakeTelegram() as tg:
        settings = _settings(tg, tmp_path, per_user_per_minute=2)

        async def script(app):
            answer = await _ask(tg, "无锡2015智慧管理排名")
            data = json.loads(answer["reply_markup"])["inline_keyboard"][0][0]["callback_data"]
            mark = len(tg.calls)
            tap = {"from": USER, "chat_instance": "ci", "data": data,
                   "message": {"message_id": 1, "date": 0, "chat": {"id": 7, "type": "private"}}}
            for i in range(4):
                tg.push(callback_query={"id": f"t{i}", **tap})
            await _wait(tg, lambda c: len(tg.sent_after(mark, "answerCallbackQuery")) == 4)
            for i in range(5):
                tg.push(inline_query={"id": f"i{i}", "from": USER, "query": "无锡2015排名", "offset": ""})
            tg.text("苏州数字经济排名")
            await _wait(tg, lambda c: len([r for r in caplog.records if "throttled user 7" in r.getMessage()]) == 9)
            assert len(tg.sent_after(mark, "sendMessage")) == 1  # the answer to the one allowed tap
            notices = [p.get("text") for p in tg.sent_after(mark, "answerCallbackQuery")]
            assert notices.count(None) == 3 and "秒后再问" in notices[1]  # every tap answered; one notice per burst
            assert not tg.sent_after(mark, "answerInlineQuery")

            other = {"id": 8, "is_bot": False, "first_name": "乙"}
            for i in range(4):
                tg.push(inline_query={"id": f"j{i}", "from": other, "query": "无锡2015排名", "offset": ""})
            await _wait(tg, lambda c: len([r for r in caplog.records if "throttled user 8" in r.getMessage()]) == 2)
            inline = await _wait(tg, lambda c: len(tg.sent_after(mark, "answerInlineQuery")) == 3
                                 and tg.sent_after(mark, "answerInlineQuery"))
            (notice,) = [p for p in inline if "button" in p]  # an over-limit inline query: the notice only
            assert "秒后再问" in json.loads(notice["button"])["text"] and notice["results"] == "[]"

        await _run(tg, settings, engine, script)


# --- webhook ---------------------------------------------------------------------------------
def test_webhook_secret_is_random_when_unset():
    settings = Settings(token=TOKEN, webhook_url="https://example.org/hook")
    first, second = webhook_options(settings)["secret_token"], webhook_options(settings)["secret_token"]
    assert first != second and len(first) >= 32
    assert webhook_options(Settings(token=TOKEN, webhook_secret="mine"))["secret_token"] == "mine"
    assert webhook_options(settings)["allowed_updates"] == ALLOWED_UPDATES


def test_run_subscribes_to_the_handled_kinds_and_redacts_a_random_webhook_secret(tmp_path, engine, monkeypatch):
    from bot import telegram_app

    seen = {}

    def run_polling(app, **kw):
        seen["polling"] = kw
        app.bot_data["state"].close()

    def run_webhook(app, **kw):
        seen["webhook"] = kw
        app.bot_data["state"].close()

    monkeypatch.setattr(telegram_app, "make_engine", lambda db, warm: engine)
    monkeypatch.setattr(telegram_app.logs, "configure", lambda secrets, level: seen.update(secrets=secrets))
    monkeypatch.setattr(telegram_app.gc, "freeze", lambda: None)
    monkeypatch.setattr(LeanApplication, "run_polling", run_polling)
    monkeypatch.setattr(LeanApplication, "run_webhook", run_webhook)
    for key in [k for k in os.environ if k.startswith(("TELEGRAM_", "WEBHOOK_", "CITYQ_"))]:
        monkeypatch.delenv(key)
    with FakeTelegram() as tg:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
        monkeypatch.setenv("TELEGRAM_BASE_URL", tg.base_url)
        monkeypatch.setenv("CITYQ_STATE_FILE", str(tmp_path / "s.db"))
        assert telegram_app.run() == 0
        assert seen["polling"]["allowed_updates"] == ["message", "edited_message", "callback_query", "inline_query"]
        monkeypatch.setenv("WEBHOOK_URL", "https://example.org/hook")
        assert telegram_app.run() == 0
    secret = seen["webhook"]["secret_token"]
    assert len(secret) >= 32 and seen["secrets"] == [TOKEN, secret]  # the log redacts both
    assert seen["webhook"]["allowed_updates"] == seen["polling"]["allowed_updates"]


async def test_unparseable_update_posted_to_the_webhook_is_confirmed_and_logged_once(tmp_path, engine, caplog,
                                                                                     monkeypatch):
    monkeypatch.setattr(botapi, "rare", logs.RateLimitedLog(botapi.log))  # not held back by another test's line
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/telegram"
    with FakeTelegram() as tg:
        settings = _settings(tg, tmp_path, webhook_url=url, webhook_listen="127.0.0.1", webhook_port=port)
        app = build_application(settings, engine)
        async with app:
            await app.start()
            await app.updater.start_webhook(**webhook_options(settings))
            try:
                (hook,) = [p for m, p in tg.calls if m == "setWebhook"]
                headers = {"X-Telegram-Bot-Api-Secret-Token": hook["secret_token"]}
                good = {"update_id": 3, "message": {"message_id": 1, "date": 0, "text": "无锡2015智慧管理排名",
                                                    "chat": {"id": 7, "type": "private"}, "from": USER}}
                async with httpx.AsyncClient() as client:
                    bad = [await client.post(url, json=update, headers=headers) for update in (
                        {"update_id": 1, "message": {"message_id": 1, "text": "no date, no chat"}},
                        {"update_id": 2, "message": "not even an object"})]
                    assert [r.status_code for r in bad] == [200, 200]  # confirmed: Telegram will not re-send them
                    assert (await client.post(url, json=good)).status_code == 403  # the secret is still checked
                    assert (await client.post(url, json=good, headers=headers)).status_code == 200
                (answer,) = await _wait(tg, lambda c: tg.sent_after(0, "sendMessage"))
                assert "15.73" in answer["text"]
            finally:
                await app.updater.stop()
                await app.stop()
        await app.post_shutdown(app)
    (line,) = [r.getMessage() for r in caplog.records if "cannot be parsed" in r.getMessage()]  # one line for both
    assert line.startswith("update 1 cannot be parsed")
    assert not [r for r in caplog.records if r.levelno >= logging.CRITICAL]  # PTB's dump of the update is dropped


# --- bad updates and failed sends -------------------------------------------------------------
async def test_unparseable_update_is_skipped_and_polling_goes_on(tmp_path, engine, caplog):
    with FakeTelegram() as tg:
        async def script(app):
            polls = tg.polls
            tg.push(message={"message_id": 1, "text": "no date, no chat"})
            tg.push(message="not even an object")
            answer = await _ask(tg, "无锡2015智慧管理排名")
            assert "15.73" in answer["text"] and tg.polls - polls < 10
            lines = [r for r in caplog.records if "cannot be parsed" in r.getMessage()]
            assert len(lines) == 1  # rate-limited: one line for both
            assert not [r for r in caplog.records if r.levelno >= logging.CRITICAL]

        await _run(tg, _settings(tg, tmp_path), engine, script)


@pytest.mark.parametrize("fault", [dict(status=500), dict(status=502), dict(drop=True), dict(status=429, retry_after=0)])
async def test_failed_sends_are_retried(tmp_path, engine, fault):
    with FakeTelegram() as tg:
        async def script(app):
            tg.fail("sendMessage", times=2, **fault)
            assert "15.73" in (await _ask(tg, "无锡2015智慧管理排名"))["text"]
            assert len(tg.failed) == 2

        await _run(tg, _settings(tg, tmp_path), engine, script, limiter=_fast_retries())


async def test_a_send_that_keeps_failing_is_given_up_with_a_log_line(tmp_path, engine, caplog):
    with FakeTelegram() as tg:
        async def script(app):
            tg.fail("sendMessage", times=3, status=500)
            tg.text("无锡2015智慧管理排名")
            await _wait(tg, lambda c: len(tg.failed) == 3)
            await _ask(tg, "苏州数字经济排名")  # the next question is answered normally
            (line,) = [r.getMessage() for r in caplog.records if "given up" in r.getMessage()]
            assert "sendMessage" in line and "3 attempts" in line

        await _run(tg, _settings(tg, tmp_path), engine, script, limiter=_fast_retries())


async def test_a_send_telegram_refuses_is_logged_once_not_as_an_uncaught_error(tmp_path, engine, caplog):
    with FakeTelegram() as tg:
        async def script(app):
            tg.fail("sendMessage", times=2, status=403)  # the answer, then the apology: Forbidden both times
            tg.text("无锡2015智慧管理排名")
            await _wait(tg, lambda c: len(tg.failed) == 2)
            await _ask(tg, "苏州数字经济排名")  # same chat: its turn comes after the error handler finished

        await _run(tg, _settings(tg, tmp_path), engine, script, limiter=_fast_retries())
    (line,) = [r.getMessage() for r in caplog.records if "error while handling update" in r.getMessage()]
    assert "Forbidden" in line
    assert not [r for r in caplog.records if "uncaught error" in r.getMessage()]


# --- hygiene ---------------------------------------------------------------------------------
async def test_no_token_in_the_log_at_debug_level(tmp_path, engine):
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    stream = io.StringIO()
    try:
        logs.configure([TOKEN], level=logging.DEBUG, stream=stream)
        with FakeTelegram() as tg:
            async def script(app):
                await _ask(tg, "无锡2015智慧管理排名")

            await _run(tg, _settings(tg, tmp_path), engine, script)
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
    text = stream.getvalue()
    assert "sendMessage" in text and "<redacted>" in text
    assert TOKEN.split(":")[1] not in text


def test_redaction_covers_url_quoted_tokens():
    record = logging.LogRecord("x", logging.INFO, "", 0, "url %s", (f"/bot{TOKEN.replace(':', '%3A')}/x",), None)
    assert TOKEN.split(":")[1] not in logs.RedactingFormatter([TOKEN]).format(record)


@pytest.mark.skipif(botapi_check is None, reason="../shared/telegram/botapi_check.py is absent")
def test_fake_server_checks_requests_against_the_spec():
    tg = FakeTelegram()
    with pytest.raises(AssertionError, match="html"), tg:
        httpx.post(f"{tg.base_url}{TOKEN}/sendMessage", json={"chat_id": 1, "text": "<b>x", "parse_mode": "HTML"})
