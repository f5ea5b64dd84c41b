"""Reply → what Telegram shows: escaped HTML in pieces under the 4096-character limit,
and inline keyboards whose callback data fits in 64 bytes (ids, never names)."""
from __future__ import annotations

import html
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.reply import Reply

TELEGRAM_LIMIT = 4096
CAPTION_LIMIT = 1024  # a photo's caption, counted as the user sees it
CALLBACK_LIMIT = 64


def to_html(reply: Reply) -> str:
    """The reply text, HTML-escaped; the source line in italics."""
    lines = []
    for line in reply.text.split("\n"):
        if "来源：" in line:
            head, _, src = line.partition("来源：")
            line = html.escape(head) + ("\n" if head.strip() else "") + f"<i>来源：{html.escape(src)}</i>"
        else:
            line = html.escape(line)
        lines.append(line)
    return "\n".join(lines)


def visible_length(html_text: str) -> int:
    """How many characters of `html_text` the user sees (tags dropped, entities read), as Telegram counts a caption."""
    return len(html.unescape(re.sub(r"<[^>]+>", "", html_text)))


def split(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Pieces of at most `limit` characters, cut at line ends where possible, never inside a tag."""
    pieces, current = [], ""
    for line in text.split("\n"):
        while len(line) > limit:  # one very long line: cut between characters outside tags
            cut = limit - len(current) - 1 if current else limit
            if cut <= 0:
                pieces.append(current)
                current = ""
                continue
            head, line = line[:cut], line[cut:]
            if "<" in head and head.rfind("<") > head.rfind(">"):
                line = head[head.rfind("<"):] + line
                head = head[: head.rfind("<")]
            pieces.append((current + "\n" + head) if current else head)
            current = ""
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces or [""]


def callback(*parts: str) -> str:
    data = "|".join(parts)
    if len(data.encode("utf-8")) > CALLBACK_LIMIT:
        raise ValueError(f"callback data over {CALLBACK_LIMIT} bytes: {data!r}")
    return data


def rows(buttons: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Buttons laid out for a phone: three a row when every label is short (≤ 5 characters), two when
    they fit (≤ 8), else one (a whole example question)."""
    longest = max((len(label) for label, _ in buttons), default=0)
    width = 3 if longest <= 5 else 2 if longest <= 8 else 1
    return [buttons[i:i + width] for i in range(0, len(buttons), width)]


def keyboard(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup | None:
    """[[(label, callback data)]] → an inline keyboard (None when empty)."""
    rows = [r for r in rows if r]
    if not rows:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(label[:40], callback_data=data) for label, data in row]
                                 for row in rows])


def short_title(reply: Reply, limit: int = 30) -> tuple[str, str]:
    """(title, description) of an answer for an inline result: 「2015 · 无锡总分 80.20/105，排名第1」 under
    「2015 智慧城市评估（第五届）」; a list is titled by what it lists, an overview by its heading."""
    lines = reply.text.split("\n")
    first = lines[0].split("来源：")[0].strip()
    label, colon, rest = first.partition("：")
    if not colon:
        label, rest = "", first
    rest = rest.rstrip("。").split("。")[0]
    if not rest:  # 「吉林省在 2 项评估中的结果（新的在前）：」 then bullets: 「吉林省 · 2 项评估」
        overview = re.match(r"(.+?)在 (\d+) 项评估中", label)
        title = f"{overview[1]} · {overview[2]} 项评估" if overview else label
        return _cut(title, limit), _cut(lines[1].lstrip("• ") if len(lines) > 1 else "", 2 * limit)
    if rest[:2] == "1.":
        return _cut(label, limit), _cut(rest, 2 * limit)
    name, dot, report = label.partition(" · ")  # a profile: 「上海 · 2015 智慧城市评估（第五届）」
    year = re.match(r"\d{4}", report if dot else label)
    clauses = [c for c in rest.split("，") if not c.startswith("共 ")][:2]
    head = (f"{name} · " if dot else "") + (f"{year[0]} · " if year else "")
    return _cut(head + "，".join(clauses), limit), _cut(label, 2 * limit)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
