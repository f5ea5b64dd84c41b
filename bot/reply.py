"""What an answer is: the Reply every front end renders, the report labels and a number formatter."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlu.context import Context
from store.catalogue import HISTORY_YEARS, LABEL, SCOPE, SMART  # noqa: F401  (re-exported for the answer families)

HINT = "可以这样问：「无锡2015智慧管理排名」「数字经济前十」「南京是数字经济几线城市」「2015年华东地区平均分」。"



@dataclass
class Reply:
    text: str
    status: str  # ok | no_data | clarify | out_of_scope
    intent: str
    facts: list[str] = field(default_factory=list)
    suggestions: list[tuple[str, str]] = field(default_factory=list)  # (button label, follow-up question)
    candidates: list[tuple[str, str]] = field(default_factory=list)  # (entity id, label) for clarify
    ambiguous: str | None = None  # the name the candidates are for
    chart: dict | None = None  # bot.charts: {"title", "labels", "values", "texts" (as printed), "kind" …}
    context: Context | None = None
    query: str = ""  # the question as understood (nlu.query node, shown)
    explain: list[str] = field(default_factory=list)  # how the question was read, in words (--explain, 🔍)
    corrections: list[tuple[str, str]] = field(default_factory=list)  # (typed, understood): typos corrected


_PARTIAL_RE = re.compile(r"前\d+名")


def partial_table(table: str | None) -> str | None:
    """「前100名」 when a source table lists only its top places (地市政府网站评估结果（前100名）), else None."""
    found = _PARTIAL_RE.search(table or "")
    return found[0] if found else None


def quote_clause(sentence: str, value: str) -> str:
    """The clause of a sentence that holds the value, trimmed for a phone screen."""
    clauses = re.split(r"(?<=[，。；,;])", sentence)
    for c in clauses:
        if value in c:
            return c.strip("，。；,; ")[:80]
    return sentence[:80]


def within(value, low, high, low_inclusive, high_inclusive) -> bool:
    """Whether a value lies within a filter's bounds (None: no bound on that side)."""
    if value is None:
        return False
    if low is not None and (value < low or (value == low and not low_inclusive)):
        return False
    return not (high is not None and (value > high or (value == high and not high_inclusive)))


def fmt_number(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if abs(x - round(x, 2)) < 1e-9 else f"{x:.2f}"


def bound_text(low, high, low_inclusive, high_inclusive, full_marks) -> str:
    """A filter's condition as a phrase ending in 的: 「70 分及以上的」「为 0 的」「拿满分（5）的」."""
    if full_marks:
        return f"拿满分（{fmt_number(low)}）的"
    if low is not None and low == high:
        return f"为 {fmt_number(low)} 的"
    parts = []
    if low is not None:
        parts.append(f"{fmt_number(low)} 分{'及以上' if low_inclusive else '以上（不含）'}")
    if high is not None:
        parts.append(f"{fmt_number(high)} 分{'及以下' if high_inclusive else '以下（不含）'}")
    return "、".join(parts) + "的" if parts else ""
