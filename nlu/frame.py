"""The parsed question: intent and slots, the only thing nlu hands to bot."""
from __future__ import annotations

from dataclasses import dataclass, field

from nlu.rules import asks_of

INTENTS = ("rank", "lookup", "compare", "region_avg", "top", "filter", "profile", "trend", "tier", "meta", "unknown")


@dataclass
class Mention:
    """A name found in the question and what it may mean."""

    surface: str
    start: int
    end: int
    candidates: list[str]  # entity ids; more than one = ambiguous
    how: str = "exact"  # exact | nickname | pinyin | typo


@dataclass
class Frame:
    text: str  # as typed
    norm: str = ""  # normalised
    intent: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    unknown_places: list[str] = field(default_factory=list)  # names no report holds (纽约, 喀什地区)
    years: list[int] = field(default_factory=list)
    report_keys: list[str] = field(default_factory=list)  # named by keyword: gw2020, de2020, sc2021, smart
    indicators: list[tuple[str, list[str]]] = field(default_factory=list)  # (surface, candidate names)
    total: bool = False  # asked for the overall score / rank
    groups: list[tuple[str, str]] = field(default_factory=list)  # (group_type, name)
    group_kinds: list[str] = field(default_factory=list)  # 各省 / 哪个地区 / 城市群: a kind of group as a whole
    n: int | None = None  # top-N size
    position: int | None = None  # "第4名", "倒数第二"
    position_last: int | None = None  # "第50到55名": the last place of a range starting at `position`
    more: int | None = None  # "再往后几名" (0: as many as before) / "再往后五名" (5): the places after the last list
    positions: list[int] = field(default_factory=list)  # 第一和第三名: several places, each asked
    step: bool = False  # 下一个 / 上一名: `more` is one place after (1) or before (-1) the place just shown
    bottom: bool = False
    low: float | None = None  # filter bounds
    high: float | None = None
    low_inclusive: bool = True
    high_inclusive: bool = True
    full_marks: bool = False  # 满分 / 拿满: the indicator's maximum as the bound
    by_rate: bool = False  # 得分率超过50%: the bounds are on the printed 得分率, not the score
    unknown_indicator: str | None = None  # 智慧交通: shaped like an indicator, but no report has it
    difference: bool = False  # "差多少", "高多少"
    meta: str | None = None  # count | indicators | contains | rename | tiers | cities | reports | weight
    follow_up: bool = False  # "那杭州呢", "它的…", "…呢"
    pronoun: bool = False  # 它 / 该市 with nothing named
    leftover: str = ""  # words not understood (for "上海房价多少")
    problem: str | None = None  # empty | too_long | garbage
    weak_intent: bool = False  # intent guessed from slots alone (a follow-up may keep the previous one)
    words: str = ""  # the question with names and years masked: what rules read
    builds: str | None = None  # the query node the matching rule builds (nlu.query class name)
    rule: str | None = None  # name of the rule that matched (nlu.rules)
    plural: bool = False  # 它俩 / 两个 / 两者: the previous answer's cities
    corrections: list[tuple[str, str]] = field(default_factory=list)  # (typed, understood) for typo matches
    excluded: list[tuple[str, str]] = field(default_factory=list)  # 不算直辖市 / 除了深圳: groups or ("entity", id) left out
    conditions: list = field(default_factory=list)  # 总分85以上但数据开放指数不到0.5: [(indicator names or [] for the
    # total, low, high, low_inclusive, high_inclusive)], one per indicator that carries a bound of its own
    alternatives: list[str] = field(default_factory=list)  # candidates a reply to a clarify left (for 另一个呢)
    alternative_parents: list[str] = field(default_factory=list)
    and_last: bool = False  # 前五名和最后一名: the top n and the last place
    mean_of_set: bool = False  # 它们平均多少分: the mean of the last list's members
    within: tuple | None = None  # 其中…: (n, bottom, groups) of the previous answer's top list, the set asked about

    @property
    def asks(self) -> frozenset[str]:
        """What the words ask besides the operation: level, number, rate, rank, tier, share, inside
        (nlu.rules.ASKS); the answer families read these, never the words."""
        return asks_of(self.words)

    @property
    def entity_ids(self) -> list[str]:
        return [m.candidates[0] for m in self.mentions if len(m.candidates) == 1]

    @property
    def ambiguous(self) -> list[Mention]:
        return [m for m in self.mentions if len(m.candidates) > 1]
