"""The misunderstandings log: questions the bot could not place, so the rules can learn from them.

A local SQLite file (data/misses.db, or CITYQ_MISSES_DB; "off" turns it off) keeps, per miss,
the question, a one-line summary of how it was read, the status and the reason: out_of_scope,
clarify, no_data (Telegram only), thumbs_down (a user marked the answer 👎) or corrected (the user
corrected the bot).
Never a user or chat id.  Writing never fails loudly: an unwritable log is warned about once
and then skipped, so no front end ever stops answering because of it.

    python -m bot misses [--limit N]      the most frequent misses, grouped by normalised text
"""
from __future__ import annotations

import logging
import os
import re
import sqlite3
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = ROOT / "data" / "misses.db"
ENV = "CITYQ_MISSES_DB"
LOGGED_STATUSES = ("out_of_scope", "clarify")
TELEGRAM_STATUSES = ("out_of_scope", "clarify", "no_data")  # Telegram also logs clear questions it had no data for
REASONS = {"out_of_scope": "超出范围", "clarify": "需要澄清", "no_data": "没有数据", "thumbs_down": "用户点踩", "corrected": "用户更正"}
MAX_TEXT = 500
# What a user says when the answer before missed the point: the question before is logged as corrected.
CORRECTIONS = frozenset({"不对", "不对不对", "错了", "答错了", "理解错了", "你理解错了", "搞错了", "你搞错了", "不是这个意思",
                         "不是这个", "不是我要的", "不是问这个", "我不是问这个", "答非所问"})

log = logging.getLogger(__name__)
_warned: set[str] = set()

SCHEMA = """CREATE TABLE IF NOT EXISTS misses (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, text TEXT NOT NULL, norm TEXT NOT NULL,
    status TEXT, intent TEXT, summary TEXT, reason TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS misses_norm ON misses (norm);"""


@dataclass(frozen=True)
class Miss:
    text: str  # the latest wording of the group
    count: int
    reasons: list[str]
    summary: str  # how the latest one was read
    last: str  # UTC time of the latest one


def location(path: str | os.PathLike | None = None) -> Path | None:
    """Where the log lives: `path`, else CITYQ_MISSES_DB, else data/misses.db; None when turned off."""
    chosen = str(path) if path is not None else os.environ.get(ENV, "").strip()
    if chosen.lower() in ("off", "none", "0", "false", "no"):
        return None
    return Path(chosen) if chosen else DEFAULT_PATH


def normalise(text: str) -> str:
    """The grouping key: full-width → half-width, no case, no spaces, no trailing punctuation."""
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\s?!.。？！~～]+$", "", re.sub(r"\s+", "", text))


def is_correction(text: str) -> bool:
    """Whether `text` says the previous answer was wrong (「不对」「你理解错了！」), rather than asking something."""
    return re.sub(r"[，,。！!啊呀吧]+$", "", normalise(text)) in CORRECTIONS


def summary(explain: object, intent: str | None, status: str | None) -> str:
    """One line: the engine's explanation if it gave one, else intent/status."""
    if isinstance(explain, (list, tuple)):
        explain = "；".join(str(x).strip() for x in explain if str(x).strip())
    line = " ".join(str(explain or "").split())
    return line[:300] if line else f"{intent or '?'}/{status or '?'}"


def record(text: str, status: str | None, intent: str | None, explain: object = None, reason: str | None = None,
           *, path: str | os.PathLike | None = None) -> bool:
    """Log one miss; True if it was written.  Never raises for an unwritable or broken log."""
    where = location(path)
    text = (text or "").strip()[:MAX_TEXT]
    if where is None or not text:
        return False
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        with _connect(where) as db:
            db.executescript(SCHEMA)
            db.execute("INSERT INTO misses (at, text, norm, status, intent, summary, reason) VALUES (?,?,?,?,?,?,?)",
                       (datetime.now(UTC).isoformat(timespec="seconds"), text, normalise(text), status, intent,
                        summary(explain, intent, status), reason or status or "unknown"))
        return True
    except (OSError, sqlite3.Error) as exc:
        if str(where) not in _warned:
            _warned.add(str(where))
            log.warning("misses log %s is not writable, not logging misses: %s", where, exc)
        return False


def record_reply(text: str, reply: object, *, path: str | os.PathLike | None = None) -> bool:
    """Log `reply` to `text` if it is a miss by itself (out_of_scope or clarify)."""
    status = getattr(reply, "status", None)
    if status not in LOGGED_STATUSES:
        return False
    return record(text, status, getattr(reply, "intent", None), getattr(reply, "explain", None), status, path=path)


def top(n: int = 20, *, path: str | os.PathLike | None = None) -> list[Miss]:
    """The `n` most frequent misses, grouped by normalised text, most frequent (then latest) first."""
    where = location(path)
    if where is None or not where.exists():
        return []
    query = """SELECT m.text, g.n, g.reasons, m.summary, m.at FROM
        (SELECT norm, COUNT(*) AS n, GROUP_CONCAT(DISTINCT reason) AS reasons, MAX(id) AS last
         FROM misses GROUP BY norm) AS g JOIN misses AS m ON m.id = g.last
        ORDER BY g.n DESC, g.last DESC LIMIT ?"""
    try:
        with _connect(where, readonly=True) as db:
            rows = db.execute(query, (n,)).fetchall()
    except sqlite3.Error as exc:
        log.warning("misses log %s cannot be read: %s", where, exc)
        return []
    return [Miss(text, count, sorted(reasons.split(",")), summ, at) for text, count, reasons, summ, at in rows]


def report(n: int = 20, *, path: str | os.PathLike | None = None) -> str:
    """`python -m bot misses`: the most frequent misses as text, one group a line."""
    where = location(path)
    if where is None:
        return f"误解记录已关闭（{ENV}=off）。"
    rows = top(n, path=path)
    if not rows:
        return f"还没有误解记录（{where}）。"
    lines = [f"最常见的误解（{where}，共 {len(rows)} 组）："]
    for m in rows:
        why = "、".join(REASONS.get(r, r) for r in m.reasons)
        lines.append(f"{m.count:>4}×  {m.text}  〔{why}〕  {m.summary}")
    return "\n".join(lines)


@contextmanager
def _connect(where: Path, readonly: bool = False) -> Iterator[sqlite3.Connection]:
    """A connection that commits on success and is always closed."""
    db = (sqlite3.connect(f"{where.resolve().as_uri()}?mode=ro", uri=True, timeout=2) if readonly
          else sqlite3.connect(where, timeout=2))
    try:
        with db:
            yield db
    finally:
        db.close()
