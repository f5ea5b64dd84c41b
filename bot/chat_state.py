"""Per-chat state in SQLite: each chat's conversation context and its pending button sets.

One row per chat (`chats`) and one per button set (`buttons`), stored as JSON (never pickle)
and written by single-row statements in WAL mode, each committed at once, on one worker thread:
the event loop never waits on the disk, and a kill loses nothing that was written before it.
Only the chats that send something are read, one row at a time.

Chats idle longer than `max_idle` seconds are evicted (at open and hourly), and a chat keeps at
most KEEP_SETS button sets, so the file stays bounded.  A damaged or foreign file (an old pickle,
say) is logged in one line, moved aside and replaced by a fresh database; a row that does not
decode is moved to `quarantine` and the chat starts afresh.  A location that cannot be written
raises StateError at open; a write that fails later is logged (rate-limited) and skipped.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bot.logs import RateLimitedLog

log = logging.getLogger("cityq.state")
warn = RateLimitedLog(log)
KEEP_SETS = 50
EVICT_EVERY = 3600.0
SQLITE_MAGIC = b"SQLite format 3\x00"
DAMAGED = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}
SCHEMA = """
CREATE TABLE IF NOT EXISTS chats (chat_id INTEGER PRIMARY KEY, context TEXT NOT NULL, seen REAL NOT NULL);
CREATE INDEX IF NOT EXISTS chats_seen ON chats(seen);
CREATE TABLE IF NOT EXISTS buttons (id INTEGER PRIMARY KEY AUTOINCREMENT, chat_id INTEGER NOT NULL,
                                    payload TEXT NOT NULL, created REAL NOT NULL);
CREATE INDEX IF NOT EXISTS buttons_chat ON buttons(chat_id, id);
CREATE INDEX IF NOT EXISTS buttons_created ON buttons(created);
CREATE TABLE IF NOT EXISTS quarantine (chat_id INTEGER, value TEXT, reason TEXT, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""
OWN_TABLES = {"chats", "buttons", "quarantine", "meta", "sqlite_sequence"}


class StateError(Exception):
    """The state location cannot be used (not writable, not creatable)."""


class Damaged(sqlite3.DatabaseError):
    """The integrity check found a problem."""


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    return isinstance(exc, Damaged) or getattr(exc, "sqlite_errorname", "") in DAMAGED


def _decode(text: str | None) -> dict | None:
    value = json.loads(text) if text is not None else None
    if value is not None and not isinstance(value, dict):
        raise ValueError(f"expected a JSON object, got {type(value).__name__}")
    return value


class ChatState:
    """The state store.  Open with `ChatState(path)` (raises StateError); use the async methods."""

    def __init__(self, path: Path | str, max_idle: float = 30 * 86400) -> None:
        self.path = Path(path)
        self.max_idle = max_idle
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chat-state")
        self._db: sqlite3.Connection | None = None
        self._last_evict = 0.0
        self._pool.submit(self._open).result()

    # --- opening and recovering (worker thread) --------------------------------------------
    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            old = self.path.with_suffix(".pickle")
            if old != self.path and old.exists():
                log.warning("old pickle state %s is ignored (chat state now lives in %s); delete it when you like",
                            old, self.path)
            if self.path.is_file() and self.path.stat().st_size and not self._looks_like_sqlite():
                self._move_aside("is not an SQLite database (an old pickle state file?)")
            try:
                self._connect()
            except sqlite3.DatabaseError as exc:
                if not _damaged(exc):
                    raise
                self._close()
                self._move_aside(f"is damaged ({exc})")
                self._connect()
        except (OSError, sqlite3.Error) as exc:
            self._close()
            raise StateError(f"chat state {self.path} cannot be written: {exc}") from exc

    def _looks_like_sqlite(self) -> bool:
        with self.path.open("rb") as f:
            return f.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC

    def _connect(self) -> None:
        if not self.path.exists():  # chats' contexts are theirs: the file (and SQLite's -wal/-shm, which copy its
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))  # mode) readable by the bot's user only
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db = db
        # Another program's database (CITYQ_STATE_FILE naming scores.db, say) is refused before
        # anything is written to it: it is intact, only not ours, so it is neither used nor moved.
        foreign = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} - OWN_TABLES
        if foreign:
            self._close()
            raise StateError(f"chat state {self.path} is another program's database (tables "
                             f"{', '.join(sorted(foreign)[:3])}{' …' if len(foreign) > 3 else ''}); "
                             "set CITYQ_STATE_FILE to a file of its own")
        db.execute("PRAGMA auto_vacuum=INCREMENTAL")  # takes effect on a new file: evicted pages are returned
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a process kill loses no commit
        db.execute("PRAGMA journal_size_limit=4194304")
        db.executescript(SCHEMA)
        problem = db.execute("PRAGMA quick_check").fetchone()[0]
        if problem != "ok":
            raise Damaged(problem)
        db.execute("INSERT OR REPLACE INTO meta VALUES ('opened', ?)", (str(time.time()),))  # proves it is writable
        self._evict()

    def _close(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
            self._db = None

    def _move_aside(self, why: str) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.bad-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            part = Path(f"{self.path}{suffix}")
            if part.exists():
                part.replace(Path(f"{target}{suffix}"))
        log.warning("chat state %s %s: moved to %s, starting with empty state", self.path, why, target)

    def _evict(self) -> None:
        cutoff = time.time() - self.max_idle
        db = self._db
        gone = db.execute("DELETE FROM chats WHERE seen < ?", (cutoff,)).rowcount
        gone += db.execute("DELETE FROM buttons WHERE created < ?", (cutoff,)).rowcount
        db.execute("DELETE FROM quarantine WHERE at < ?", (cutoff,))
        if gone:
            # executescript, not execute: this pragma frees one page per step, and execute steps once
            db.executescript("PRAGMA incremental_vacuum")
            log.info("chat state: evicted %d rows idle for more than %.0f days", gone, self.max_idle / 86400)
        self._last_evict = time.monotonic()

    # --- running a statement (worker thread) -------------------------------------------------
    def _guarded(self, fn, default=None):
        """Run fn(db); a damaged file is replaced by a fresh one, other errors are logged and skipped."""
        try:
            if self._db is None:
                self._connect()
            return fn(self._db)
        except sqlite3.DatabaseError as exc:
            if _damaged(exc):
                self._close()
                try:
                    self._move_aside(f"is damaged ({exc})")
                    self._connect()
                except (OSError, sqlite3.Error) as again:
                    self._close()
                    warn.warning("state", "chat state %s cannot be recreated: %s", self.path, again)
            else:
                warn.warning("state", "chat state %s: %s (the answer was sent; its context was not kept)",
                             self.path, exc)
            return default

    async def _run(self, fn, default=None):
        return await asyncio.get_running_loop().run_in_executor(self._pool, self._guarded, fn, default)

    def _quarantine(self, db: sqlite3.Connection, chat_id: int, value: str | None, reason: str) -> None:
        db.execute("INSERT INTO quarantine VALUES (?, ?, ?, ?)", (chat_id, value, reason, time.time()))
        warn.warning("bad row", "chat state: chat %s had unreadable state (%s); moved aside, starting afresh",
                     chat_id, reason)

    def _decoded(self, db: sqlite3.Connection, chat_id: int, row, drop: str, key: int) -> dict | None:
        """The row's JSON object; a row that does not decode is deleted (by `drop`) and quarantined."""
        if row is None:
            return None
        try:
            return _decode(row[0])
        except (ValueError, TypeError) as exc:
            db.execute(drop, (key,))
            self._quarantine(db, chat_id, row[0], str(exc))
            return None

    # --- the chat's context ---------------------------------------------------------------
    async def context(self, chat_id: int) -> dict | None:
        """The chat's saved context (a JSON object), or None."""
        def read(db):
            row = db.execute("SELECT context FROM chats WHERE chat_id = ?", (chat_id,)).fetchone()
            return self._decoded(db, chat_id, row, "DELETE FROM chats WHERE chat_id = ?", chat_id)
        return await self._run(read)

    async def save_context(self, chat_id: int, context: dict | None) -> None:
        """Keep the chat's context (None forgets it); committed before this returns."""
        text = None if context is None else json.dumps(context, ensure_ascii=False)

        def write(db):
            if text is None:
                db.execute("DELETE FROM chats WHERE chat_id = ?", (chat_id,))
            else:
                db.execute("INSERT INTO chats VALUES (?, ?, ?) ON CONFLICT(chat_id) DO UPDATE "
                           "SET context = excluded.context, seen = excluded.seen", (chat_id, text, time.time()))
            if time.monotonic() - self._last_evict > EVICT_EVERY:
                self._evict()
        await self._run(write)

    async def forget_context(self, chat_id: int, reason: str) -> None:
        """Move a context the engine could not use aside, so the chat starts afresh."""
        def move(db):
            row = db.execute("DELETE FROM chats WHERE chat_id = ? RETURNING context", (chat_id,)).fetchone()
            self._quarantine(db, chat_id, row[0] if row else None, reason)
        await self._run(move)

    # --- button sets ----------------------------------------------------------------------
    async def add_buttons(self, chat_id: int, payload: dict) -> int | None:
        """Keep one message's button payload; its id goes in the callback data (None if not kept)."""
        text = json.dumps(payload, ensure_ascii=False)

        def insert(db):
            set_id = db.execute("INSERT INTO buttons (chat_id, payload, created) VALUES (?, ?, ?)",
                                (chat_id, text, time.time())).lastrowid
            db.execute("DELETE FROM buttons WHERE chat_id = ? AND id NOT IN "
                       "(SELECT id FROM buttons WHERE chat_id = ? ORDER BY id DESC LIMIT ?)", (chat_id, chat_id, KEEP_SETS))
            return set_id
        return await self._run(insert)

    async def buttons(self, chat_id: int, set_id: int) -> dict | None:
        """The payload of a button set of this chat, or None when unknown, expired or unreadable."""
        def read(db):
            row = db.execute("SELECT payload FROM buttons WHERE id = ? AND chat_id = ?", (set_id, chat_id)).fetchone()
            return self._decoded(db, chat_id, row, "DELETE FROM buttons WHERE id = ?", set_id)
        return await self._run(read)

    async def drop_buttons(self, chat_id: int, set_id: int) -> None:
        """Forget a button set once it has been used."""
        await self._run(lambda db: db.execute("DELETE FROM buttons WHERE id = ? AND chat_id = ?", (set_id, chat_id)))

    # --- figures and closing ------------------------------------------------------------------
    async def counts(self) -> dict[str, int]:
        """Rows per table (for tests and the load script)."""
        def count(db):
            return {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("chats", "buttons", "quarantine")}
        return await self._run(count, {})

    def close(self) -> None:
        """Finish pending writes and close the database."""
        self._pool.submit(self._close).result()
        self._pool.shutdown()

