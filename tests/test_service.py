"""The bot as a service, at small scale: chat state in SQLite (durable, bounded, recovers from damage)."""
from __future__ import annotations

import sqlite3
import time

import pytest

from bot import chat_state
from bot.chat_state import ChatState, StateError


# --- chat state ----------------------------------------------------------------------------
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
