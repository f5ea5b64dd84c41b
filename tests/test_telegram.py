"""The Telegram front end: rendering, settings, charts, and the real Application
end to end against a fake Bot API server on 127.0.0.1."""
from __future__ import annotations

import asyncio
import json
import warnings

import pytest

from bot import charts, render
from bot.reply import Reply
from bot.settings import Settings, SettingsError, load
from bot.telegram_app import ALLOWED_UPDATES, build_application, webhook_options
from tests.fake_telegram import FakeTelegram

TOKEN = "123456:" + "A" * 35


# --- rendering ------------------------------------------------------------------------
def test_html_is_escaped_and_source_in_italics():
    html = render.to_html(Reply("a<b>&c 排名第1。来源：图表 6 <总排名表>", "ok", "rank"))
    assert "a&lt;b&gt;&amp;c" in html and "<i>来源：图表 6 &lt;总排名表&gt;</i>" in html


@pytest.mark.parametrize("text", ["短", "一行\n" * 3000, "长" * 9000, "<i>" + "斜" * 5000 + "</i>"])
def test_split_keeps_every_piece_under_the_limit(text):
    pieces = render.split(text)
    assert all(len(p) <= render.TELEGRAM_LIMIT for p in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")


def test_inline_titles_are_short_and_name_the_place(engine):
    from bot.telegram_app import _inline_results

    titles = {q: [r.title for r in _inline_results(engine, q)] for q in ("吉林排名", "上海2015年各项得分", "无锡排名")}
    assert titles["吉林排名"] == ["吉林省 · 2 项评估", "吉林市 · 2 项评估"]  # one per candidate, the name once
    assert titles["上海2015年各项得分"] == ["上海 · 2015 · 总分 80.05/105，排名第2"]
    assert titles["无锡排名"][-1] == "2015 · 无锡总分 80.20/105，排名第1" and len(titles["无锡排名"]) == 5  # one per report
    assert all(len(t) <= 30 for ts in titles.values() for t in ts)


def test_callback_data_over_64_bytes_is_refused():
    assert render.callback("pick", "12", "x440300坪山区")
    with pytest.raises(ValueError):
        render.callback("pick", "1", "名" * 30)


class _HugeIds:
    """A state store whose button set ids are as long as they will ever get."""

    async def add_buttons(self, chat_id, payload):
        return 10 ** 15


async def test_every_clarify_and_suggestion_button_fits(engine):
    from bot.telegram_app import _buttons

    seen = 0
    for q in ("吉林排名", "海南排名", "龙城数字经济排名", "无锡2015智慧管理排名", "南山区数字经济排名"):
        for row in await _buttons(engine.answer(q), _HugeIds(), -10 ** 13, q):
            for _, data in row:
                seen += 1
                assert len(data.encode("utf-8")) <= 64
    assert seen >= 8


def test_about_names_each_publisher_once(store):
    from bot.telegram_app import publishers

    text = publishers(store)
    assert text.count("中国软件评测中心") == 1 and text.count("国脉互联") == 1 and "中国软件评测中心（2020、2021）" in text


# --- settings -----------------------------------------------------------------------------
@pytest.mark.parametrize("env, message", [
    ({}, "not set"), ({"TELEGRAM_BOT_TOKEN": "abc"}, "malformed"), ({"TELEGRAM_BOT_TOKEN": "12:short"}, "malformed"),
    ({"TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_PORT": "x"}, "not a number"),
])
def test_bad_settings(env, message):
    with pytest.raises(SettingsError, match=message):
        load(env)


def test_settings_from_file_and_environment(tmp_path):
    f = tmp_path / "bot.env"
    f.write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nWEBHOOK_URL=https://example.org/hook\nWEBHOOK_PORT=9000\n")
    s = load({"CITYQ_ENV_FILE": str(f), "WEBHOOK_PORT": "9100", "TELEGRAM_BASE_URL": "http://127.0.0.1:8081/bot"})
    assert (s.token, s.webhook_url, s.webhook_port) == (TOKEN, "https://example.org/hook", 9100)
    assert s.base_file_url == "http://127.0.0.1:8081/file/bot"


def test_malformed_token_is_one_line_and_nonzero(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run([sys.executable, "-m", "bot"], cwd=root, capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "TELEGRAM_BOT_TOKEN": "not-a-token"})
    assert proc.returncode == 2 and "malformed" in proc.stderr and "Traceback" not in proc.stderr


def test_unreachable_bot_api_is_one_line_and_nonzero(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {"PATH": "/usr/bin:/bin", "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": "http://127.0.0.1:9/bot",
           "CITYQ_STATE_FILE": str(tmp_path / "state.db"), "HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "bot"], cwd=root, capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 2 and "cannot reach" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


# --- charts ---------------------------------------------------------------------------------
def test_chart_font_covers_every_character_a_label_can_contain(store, engine):
    from bot.reply import LABEL

    text = "".join(e.name + e.full_name for e in store.entities())
    text += "".join(i.name for r in store.reports() for i in store.indicators(r.key))
    text += "".join(LABEL.values()) + "0123456789.-%（）()·前名倒数"
    missing = {ch for ch in set(text) if not ch.isspace()} - charts.covered_characters()
    assert not missing


def test_chart_renders_chinese_without_missing_glyphs(engine):
    chart = engine.answer("2015年泉州 福州 厦门 智慧基础设施对比").chart
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)"
        png = charts.render(chart)
    assert png.startswith(b"\x89PNG") and len(png) > 5000


# --- end to end ------------------------------------------------------------------------------
def _markup(params: dict) -> list[list[dict]]:
    return json.loads(params.get("reply_markup") or '{"inline_keyboard": []}')["inline_keyboard"]


async def _wait(tg: FakeTelegram, predicate):
    return await asyncio.to_thread(tg.wait_for, predicate)


async def _run(tg, settings, engine, script, **build):
    app = build_application(settings, engine, **build)
    try:
        async with app:
            await app.post_init(app)
            await app.start()
            await app.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=ALLOWED_UPDATES)
            try:
                await script(app)
            finally:
                await app.updater.stop()
                await app.stop()
    finally:
        await app.post_shutdown(app)


async def test_end_to_end_conversation(tmp_path, engine):
    with FakeTelegram() as tg:
        settings = Settings(token=TOKEN, base_url=tg.base_url, base_file_url=tg.base_url.replace("/bot", "/file/bot"),
                            state_file=tmp_path / "state.db")

        async def script(app):
            await _wait(tg, lambda calls: any(m == "setMyCommands" for m, _ in calls))

            mark = len(tg.calls)
            tg.text("/start")
            (greeting,) = await _wait(tg, lambda c, m=mark: tg.sent_after(m, "sendMessage"))
            assert "你好" in greeting["text"] and len(_markup(greeting)) == 3

            mark = len(tg.calls)
            tg.text("无锡2015智慧管理排名")
            (answer,) = await _wait(tg, lambda c, m=mark: tg.sent_after(m, "sendMessage"))
            assert "15.73" in answer["text"] and answer["parse_mode"] == "HTML"
            rows = _markup(answer)
            assert [[b["text"] for b in row] for row in rows] == [["2016年", "智慧管理前十"], ["和合肥比"],
                                                                  ["👍", "👎", "🔍 我的理解"]]

            mark = len(tg.calls)  # a follow-up button asks its own question, not the one it sits on
            tg.push(callback_query={"id": "cb0", "from": {"id": 7, "is_bot": False, "first_name": "测试"},
                                    "chat_instance": "ci", "data": rows[0][0]["callback_data"],
                                    "message": {"message_id": 2, "date": 0, "chat": {"id": 7, "type": "private"},
                                                "text": answer["text"]}})
            (tapped,) = await _wait(tg, lambda c, m=mark: tg.sent_after(m, "sendMessage"))
            assert "2016" in tapped["text"] and "智慧治理" in tapped["text"] and tapped["text"] != answer["text"]

            mark = len(tg.calls)
            tg.text("那杭州呢")  # the tapped question is now the one followed up
            (follow,) = await _wait(tg, lambda c, m=mark: tg.sent_after(m, "sendMessage"))
            assert "杭州智慧治理 16.6" in follow["text"]

            mark = len(tg.calls)  # a new chat: no earlier question to settle which 吉林 is meant
            tg.text("吉林排名", chat_id=8, user_id=8)
            (ask,) = await _wait(tg, lambda c, m=mark: tg.sent_after(m, "sendMessage"))
            buttons = {b["text"]: b["callback_data"] for row in _markup(ask) for b in row}
            assert set(buttons) == {"吉林市", "吉林省"}
            assert all(len(d.encode()) <= 64 for d in buttons.values())

            mark = len(tg.calls)
            tg.push(callback_query={"id": "cb1", "from": {"id": 8, "is_bot": False, "first_name": "测试"},
                                    "chat_instance": "ci", "data": buttons["吉林省"],
                                    "message": {"message_id": 1, "date": 0, "chat": {"id": 8, "type": "private"},
                                                "text": ask["text"]}})
            picked = await _wait(tg, lambda c, m=mark: tg.sent_after(m, "sendMessage"))
            assert "吉林省" in picked[0]["text"] and "政府网站" in picked[0]["text"]
            (edited,) = tg.sent_after(mark, "editMessageText")
            assert edited["text"].startswith(ask["text"]) and edited["text"].endswith("吉林省")  # the question stays
            assert tg.sent_after(mark, "answerCallbackQuery")

            mark = len(tg.calls)
            tg.push(callback_query={"id": "cb2", "from": {"id": 7, "is_bot": False, "first_name": "测试"},
                                    "chat_instance": "ci", "data": "pick|999|220000",
                                    "message": {"message_id": 1, "date": 0, "chat": {"id": 7, "type": "private"}}})
            (stale,) = await _wait(tg, lambda c: tg.sent_after(mark, "answerCallbackQuery"))
            assert "过期" in stale["text"]

            mark = len(tg.calls)
            tg.push(inline_query={"id": "iq1", "from": {"id": 7, "is_bot": False, "first_name": "测试"},
                                  "query": "无锡2015排名", "offset": ""})
            (inline,) = await _wait(tg, lambda c, m=mark: tg.sent_after(m, "answerInlineQuery"))
            assert "80.20" in inline["results"]

            mark = len(tg.calls)
            tg.text("2015年前十名")
            (photo,) = await _wait(tg, lambda c: tg.sent_after(mark, "sendPhoto"))
            assert photo["photo"].startswith(b"\x89PNG")

            mark = len(tg.calls)
            tg.text("无锡数字经济排名", chat_id=-100, user_id=8)  # a group message not for the bot
            tg.text("@cityq_test_bot 无锡数字经济排名", chat_id=-100, user_id=8)
            (group,) = await _wait(tg, lambda c, m=mark: tg.sent_after(m, "sendMessage"))
            assert group["chat_id"] == "-100" and "80.6" in group["text"]

            mark = len(tg.calls)
            tg.text("无" * 600)
            (refusal,) = await _wait(tg, lambda c, m=mark: tg.sent_after(m, "sendMessage"))
            assert "太长" in refusal["text"]

            mark = len(tg.calls)
            tg.text("无锡2015智慧管理排名", chat_id=9, user_id=9)
            await _wait(tg, lambda c, m=mark: tg.sent_after(m, "sendMessage"))

        await _run(tg, settings, engine, script)

        async def after_restart(app):  # chat 9's context was persisted to the state file
            mark = len(tg.calls)
            tg.text("那杭州呢", chat_id=9, user_id=9)
            (again,) = await _wait(tg, lambda c, m=mark: tg.sent_after(m, "sendMessage"))
            assert "16.83" in again["text"]

        await _run(tg, settings, engine, after_restart)


def _tap(tg, data: str, chat_id: int = 31, message: dict | None = None) -> None:
    tg.push(callback_query={"id": f"cb{len(tg.calls)}", "from": {"id": chat_id, "is_bot": False, "first_name": "测试"},
                            "chat_instance": "ci", "data": data,
                            "message": message or {"message_id": 1, "date": 0, "chat": {"id": chat_id, "type": "private"},
                                                   "text": "…"}})


async def test_feedback_explain_photo_caption_groups_inline_and_non_text(tmp_path, engine, misses_log):
    from bot import misses

    with FakeTelegram() as tg:
        settings = Settings(token=TOKEN, base_url=tg.base_url, base_file_url=tg.base_url.replace("/bot", "/file/bot"),
                            state_file=tmp_path / "state.db")

        async def script(app):
            mark = len(tg.calls)
            tg.text("无锡2015智慧管理排名", chat_id=31, user_id=31)
            (answer,) = await _wait(tg, lambda c, m=mark: tg.sent_after(m, "sendMessage"))
            feedback = {b["text"]: b["callback_data"] for b in _markup(answer)[-1]}

            mark = len(tg.calls)  # 🔍: how the question was read
            _tap(tg, feedback["🔍 我的理解"])
            (why,) = await _wait(tg, lambda c, m=mark: tg.sent_after(m, "sendMessage"))
            assert "我的理解" in why["text"] and "地点：无锡" in why["text"] and "Rank(无锡 2015" in why["text"]

            mark = len(tg.calls)  # 👎: into the misses log, with how it was read
            _tap(tg, feedback["👎"])
            (toast,) = await _wait(tg, lambda c: tg.sent_after(mark, "answerCallbackQuery"))
            assert "记下" in toast["text"]
            (logged,) = misses.top(5, path=misses_log)
            assert (logged.text, logged.reasons) == ("无锡2015智慧管理排名", ["thumbs_down"]) and "无锡" in logged.summary

            for question in ("吉林排名", "纽约排名", "今天天气怎么样"):  # clarify, no_data, out_of_scope are logged
                mark = len(tg.calls)  # in a chat of their own: the conversation above would settle which 吉林
                tg.text(question, chat_id=32, user_id=32)
                await _wait(tg, lambda c, m=mark: tg.sent_after(m, "sendMessage"))
            reasons = {m.text: m.reasons for m in misses.top(10, path=misses_log)}
            assert reasons["吉林排名"] == ["clarify"] and reasons["纽约排名"] == ["no_data"]
            assert reasons["今天天气怎么样"] == ["out_of_scope"]

            mark = len(tg.calls)  # a chart with a short answer: one photo, the answer as its caption, the buttons
            tg.text("2015年前十名", chat_id=31, user_id=31)
            (photo,) = await _wait(tg, lambda c: tg.sent_after(mark, "sendPhoto"))
            assert "无锡 80.20" in photo["caption"] and photo["parse_mode"] == "HTML" and _markup(photo)
            assert not tg.sent_after(mark, "sendMessage")

            mark = len(tg.calls)  # in a group, the answer threads to the message that asked
            tg.text("@cityq_test_bot 无锡数字经济排名", chat_id=-300, user_id=32)
            asked_id = tg.updates[-1]["message"]["message_id"]
            (group,) = await _wait(tg, lambda c, m=mark: tg.sent_after(m, "sendMessage"))
            assert json.loads(group["reply_parameters"])["message_id"] == asked_id

            sticker = {"file_id": "s1", "file_unique_id": "u1", "type": "regular", "width": 512, "height": 512,
                       "is_animated": False, "is_video": False}
            for extra, expected in (({"sticker": sticker}, "文字"), ({"text": "/foo"}, "没有 /foo 这个命令")):
                mark = len(tg.calls)
                message = {"message_id": 90 + len(tg.calls), "date": 0, "chat": {"id": 31, "type": "private"},
                           "from": {"id": 31, "is_bot": False, "first_name": "测试"}, **extra}
                if "text" in extra:
                    message["entities"] = [{"type": "bot_command", "offset": 0, "length": 4}]
                tg.push(message=message)
                (hint,) = await _wait(tg, lambda c, m=mark: tg.sent_after(m, "sendMessage"))
                assert expected in hint["text"]

            for typed, expected in (("无锡数字经济排名", "80.6"), ("不对", "已记下「无锡数字经济排名」"),
                                    ("你理解错了！", "已记下「无锡数字经济排名」"), ("那苏州呢", "75.2")):
                mark = len(tg.calls)  # 「不对」: the question before is logged as corrected, once; the chat goes on
                tg.text(typed, chat_id=33, user_id=33)
                (said,) = await _wait(tg, lambda c, m=mark: tg.sent_after(m, "sendMessage"))
                assert expected in said["text"], said["text"]
            (corrected,) = [m for m in misses.top(10, path=misses_log) if m.text == "无锡数字经济排名"]
            assert (corrected.count, corrected.reasons) == (1, ["corrected"]) and "无锡" in corrected.summary

            for query, titles in (("吉林排名", ["吉林市 ·", "吉林省 ·"]), ("", ["无锡2015智慧管理排名", "数字经济前十"])):
                mark = len(tg.calls)
                tg.push(inline_query={"id": f"iq{mark}", "from": {"id": 31, "is_bot": False, "first_name": "测试"},
                                      "query": query, "offset": ""})
                (inline,) = await _wait(tg, lambda c, m=mark: tg.sent_after(m, "answerInlineQuery"))
                got = [r["title"] for r in json.loads(inline["results"])]
                assert all(any(t.startswith(x) for t in got) for x in titles), got
                assert all(len(t) <= 40 for t in got) and "看不懂" not in inline["results"]

        await _run(tg, settings, engine, script)


class _BrokenEngine:
    """An engine whose every answer fails, to exercise the error handler."""

    store = None

    def answer(self, text, ctx=None):
        raise RuntimeError("boom")


async def test_throttle_group_reply_and_error_handler(tmp_path, engine):
    with FakeTelegram() as tg:
        settings = Settings(token=TOKEN, base_url=tg.base_url, base_file_url=tg.base_url.replace("/bot", "/file/bot"),
                            state_file=tmp_path / "state.db", per_user_per_minute=2)

        async def throttled(app):
            mark = len(tg.calls)
            for q in ("无锡数字经济排名", "苏州数字经济排名", "常州数字经济排名", "南通数字经济排名"):
                tg.text(q, chat_id=11, user_id=11)
            sent = await _wait(tg, lambda c: len(tg.sent_after(mark, "sendMessage")) >= 3 and tg.sent_after(mark, "sendMessage"))
            texts = [p["text"] for p in sent]
            assert sum("数字经济指数" in t for t in texts) == 2 and any("太快" in t for t in texts)

            mark = len(tg.calls)  # in a group, a reply to the bot's own message is addressed to it
            bot_message = {"message_id": 5, "date": 0, "chat": {"id": -200, "type": "group"},
                           "from": {"id": 4242, "is_bot": True, "first_name": "bot"}, "text": "…"}
            tg.text("宁波数字经济排名", chat_id=-200, user_id=12, reply_to_message=bot_message)
            (group,) = await _wait(tg, lambda c, m=mark: tg.sent_after(m, "sendMessage"))
            assert "78.2" in group["text"]

        await _run(tg, settings, engine, throttled)

        async def broken(app):
            mark = len(tg.calls)
            tg.text("无锡排名", chat_id=13, user_id=13)
            (sorry,) = await _wait(tg, lambda c, m=mark: tg.sent_after(m, "sendMessage"))
            assert "出错" in sorry["text"]

        await _run(tg, settings, _BrokenEngine(), broken)


async def test_webhook_mode_receives_updates(tmp_path, engine):
    import socket

    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with FakeTelegram() as tg:
        settings = Settings(token=TOKEN, base_url=tg.base_url, base_file_url=tg.base_url.replace("/bot", "/file/bot"),
                            state_file=tmp_path / "state.db", webhook_url=f"http://127.0.0.1:{port}/telegram",
                            webhook_listen="127.0.0.1", webhook_port=port)  # no WEBHOOK_SECRET: one is made up
        app = build_application(settings, engine)
        async with app:
            await app.start()
            await app.updater.start_webhook(**webhook_options(settings))
            try:
                (hook,) = await _wait(tg, lambda c: [p for m, p in c if m == "setWebhook"])
                secret = hook["secret_token"]
                assert hook["url"].endswith("/telegram") and len(secret) >= 32
                assert json.loads(hook["allowed_updates"]) == ALLOWED_UPDATES
                update = {"update_id": 1, "message": {"message_id": 1, "date": 0, "text": "无锡数字经济排名",
                                                      "chat": {"id": 21, "type": "private"},
                                                      "from": {"id": 21, "is_bot": False, "first_name": "测试"}}}
                async with httpx.AsyncClient() as client:
                    refused = await client.post(f"http://127.0.0.1:{port}/telegram", json=update)
                    assert refused.status_code == 403  # no secret: not from Telegram
                    forged = await client.post(f"http://127.0.0.1:{port}/telegram", json=update,
                                               headers={"X-Telegram-Bot-Api-Secret-Token": "guess"})
                    assert forged.status_code == 403
                    ok = await client.post(f"http://127.0.0.1:{port}/telegram", json=update,
                                           headers={"X-Telegram-Bot-Api-Secret-Token": secret})
                    assert ok.status_code == 200
                (sent,) = await _wait(tg, lambda c: [p for m, p in c if m == "sendMessage"])
                assert "80.6" in sent["text"]
            finally:
                await app.updater.stop()
                await app.stop()
        await app.post_shutdown(app)
