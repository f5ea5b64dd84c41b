"""Conversation context: follow-ups reuse what the last answer was about.

「那杭州呢」 keeps the report, indicator and intent and swaps the city;
「它的智慧经济呢」 keeps the city; 「2016年呢」 the city and indicator; 「前十呢」
the report and indicator; 「和宁波比呢」 compares the last city with 宁波.
A question that names everything it needs starts afresh.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from nlu.frame import Frame, Mention

NEEDS_ENTITY = {"rank", "lookup", "compare", "profile", "trend"}
GROUP_INTENTS = {"region_avg", "tier", "top", "filter"}  # intents a bare group name (「华南呢」「先锋呢」) can continue


@dataclass
class Context:
    """What the previous answer in a chat was about (set by the answer engine)."""

    intent: str | None = None
    entities: list[str] = field(default_factory=list)  # the cities the answer was about
    focus: list[str] = field(default_factory=list)  # what "它" now means (the answer's subject or result)
    years: list[int] = field(default_factory=list)
    report_keys: list[str] = field(default_factory=list)
    indicators: list[tuple[str, list[str]]] = field(default_factory=list)
    total: bool = False
    groups: list[tuple[str, str]] = field(default_factory=list)
    n: int | None = None
    position: int | None = None
    bottom: bool = False

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}

    @classmethod
    def from_dict(cls, data: dict | None) -> Context | None:
        if not data:
            return None
        ctx = cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})
        ctx.groups = [tuple(g) for g in ctx.groups]
        ctx.indicators = [(s, list(c)) for s, c in ctx.indicators]
        return ctx


def _entity_mentions(ids: list[str]) -> list[Mention]:
    return [Mention("", -1, -1, [i], "context") for i in ids]


def apply(frame: Frame, ctx: Context | None) -> Frame:
    """Fill what a follow-up leaves out from the previous turn; leave complete questions alone."""
    if ctx is None or frame.problem:
        return frame
    has_names = bool(frame.mentions) or bool(frame.unknown_places)
    has_slots = has_names or frame.years or frame.indicators or frame.total or frame.groups or frame.report_keys \
        or frame.n or frame.position or frame.pronoun
    if not has_slots:  # "hello", "谢谢": nothing to carry over
        return frame
    missing_entity = not has_names and (frame.pronoun or frame.intent in NEEDS_ENTITY)
    follow = frame.follow_up or missing_entity or frame.intent is None
    if not follow:
        return frame
    if frame.intent is None or frame.weak_intent:
        if frame.n or frame.position:
            frame.intent = "top"
        elif ctx.intent and (has_names or not frame.groups or ctx.intent in GROUP_INTENTS
                             or (ctx.focus and all(g[0] in ("admin_level", "region") for g in frame.groups))):
            frame.intent = ctx.intent  # 「在副省级城市里呢」 after a city's rank: the same city in that scope
        elif frame.intent is None and has_names:
            frame.intent = "rank"
    if frame.intent == "compare" and len(frame.mentions) == 1 and ctx.focus:
        frame.mentions = _entity_mentions([e for e in ctx.focus if e not in frame.mentions[0].candidates][:1]) + frame.mentions
    elif not has_names and (frame.pronoun or frame.intent in NEEDS_ENTITY or frame.intent == "tier" and not frame.groups):
        frame.mentions = _entity_mentions(ctx.focus if frame.pronoun or frame.intent != "compare" else ctx.entities)
    if not frame.years and not frame.report_keys:
        frame.years = list(ctx.years)
        frame.report_keys = list(ctx.report_keys)
    if not frame.indicators and not frame.total and frame.intent != "tier":
        frame.indicators = [(s, list(c)) for s, c in ctx.indicators]
        frame.total = ctx.total
    if not frame.groups and frame.intent in ("region_avg", "top", "filter") and not has_names:
        frame.groups = list(ctx.groups)
    if frame.intent == "top" and frame.n is None and frame.position is None:
        frame.n, frame.position, frame.bottom = ctx.n, ctx.position, ctx.bottom
    return frame
