"""The query language: what a question asks, as a small tree of typed nodes.

nlu builds a tree (`nlu.compose`), bot evaluates it (`bot.interpret`).  Leaves
name one operation on one subject (a city's rank, a group's mean, a top list);
inner nodes compose them:

    广东哪些城市进了数字经济前30   Members(InGroup(Top(de2020, 数字经济指数, 30), province 广东))
    2016年减分项为零的城市有几个   Count(Where(Cities(2016), 减分项 = 0))
    合肥在政府网站和数字经济里各排第几  Each(Rank(合肥, gw2020), Rank(合肥, de2020))

A node's `family` is the contract's `intent` (the outermost operation decides).
`show()` is the one-line reading tests assert and `--explain` prints.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass
class Ask:
    """What a leaf is about, as the question put it (report choice happens when it is evaluated)."""

    entities: list[str] = field(default_factory=list)  # entity ids, in question order
    years: list[int] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)  # report keys named by keyword (smart = any smart-city report)
    indicators: list[str] = field(default_factory=list)  # indicator names asked (candidates of one surface)
    total: bool = False
    groups: list[tuple[str, str]] = field(default_factory=list)  # (group_type, name): a scope or a filter

    def show(self, names) -> str:
        parts = [names(e) for e in self.entities]
        parts += [str(y) for y in self.years] + self.reports
        parts += ["/".join(self.indicators[:2])] if self.indicators else (["总分"] if self.total else [])
        parts += [f"{t}:{names(n) if t == 'parent' else n}" for t, n in self.groups]
        return " ".join(parts)


def walk(node):
    """The node and every node below it, outermost first."""
    yield node
    for child in node.children():
        yield from walk(child)


@dataclass
class Node:
    """A query node; subclasses set `family` (the contract's intent)."""

    family = "unknown"

    def children(self) -> list[Node]:
        return [getattr(self, f.name) for f in fields(self) if isinstance(getattr(self, f.name), Node)] + [
            x for f in fields(self) if isinstance(getattr(self, f.name), list) for x in getattr(self, f.name)
            if isinstance(x, Node)]

    def show(self, names=str) -> str:
        args = []
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Node):
                args.append(value.show(names))
            elif isinstance(value, Ask):
                args.append(value.show(names))
            elif isinstance(value, list) and value and isinstance(value[0], Node):
                args += [v.show(names) for v in value]
            elif value not in (None, False, "", [], ()):
                args.append(f"{f.name}={value}" if not isinstance(value, str) else value)
        return f"{type(self).__name__}({', '.join(a for a in args if a)})"


# --- about one subject ----------------------------------------------------------------------
@dataclass
class About(Node):
    """A node whose subject is what the question asked (`ask`)."""

    ask: Ask = field(default_factory=Ask)


@dataclass
class Rank(About):
    """A city's rank (and score) on an indicator: 无锡2015智慧管理排名."""

    family = "rank"


@dataclass
class Value(About):
    """A city's score on an indicator: 大连2015年加分项."""

    family = "lookup"


@dataclass
class Profile(About):
    """Every indicator of a city (under one indicator when `ask.indicators` names it): 上海2015年各项得分;
    `pick` best or worst: the strongest or weakest of them (长沙2015年哪项最强)."""

    family = "profile"
    pick: str = ""


@dataclass
class Tier(About):
    """Which tier a city is in: 南京是数字经济几线城市."""

    family = "tier"


@dataclass
class Change(About):
    """A city across editions: 北京历届排名, 广州15年到16年排名变化."""

    family = "trend"


@dataclass
class Gains(About):
    """Cities ranked by how much they changed between two editions: 2016年比2015年总分提高最多的城市 (`bottom`:
    fell the most); `by_rank` ranks by places gained instead of points."""

    family = "trend"
    n: int = 5
    bottom: bool = False
    by_rank: bool = False
    sign: int = 0  # 1: every city that rose, -1: every city that fell (下降了的城市有哪些), 0: the n that moved most
    count: bool = False  # with sign: how many (下降的城市有几个)


@dataclass
class Compare(About):
    """Two or more cities on one indicator: 杭州和宁波智慧经济哪个强; `diff` when the question asks how much."""

    family = "compare"
    diff: bool = False
    place: int | None = None  # 和第八名差多少 / 比第一名低多少: the city against whoever stands at that place


# --- sets of cities ---------------------------------------------------------------------------
@dataclass
class OnSet(Node):
    """A node that operates on a set of cities (`of`)."""

    of: Node = field(default_factory=lambda: Cities())


@dataclass
class Cities(About):
    """Every city a report ranks (in a scope, when `ask.groups` names one)."""

    family = "top"


@dataclass
class InGroup(OnSet):
    """The members of a set that belong to a province, region, cluster, tier or admin level, or (parent)
    the districts and counties of a city."""

    family = "filter"
    group: tuple[str, str] = ("", "")
    also: tuple[str, ...] = ()  # other groups of the same type, any of which will do (一线和新一线城市: either tier)

    def show(self, names=str) -> str:
        shown = [names(g) if self.group[0] == "parent" else g for g in (self.group[1], *self.also)]
        return f"InGroup({self.of.show(names)}, {self.group[0]}:{'/'.join(shown)})"


@dataclass
class Outside(OnSet):
    """The members of a set outside a group, or other than one place (不算直辖市, 除了深圳以外)."""

    family = "filter"
    group: tuple[str, str] = ("", "")
    also: tuple[str, ...] = ()  # other groups or places of the same type, left out too

    def show(self, names=str) -> str:
        shown = [names(g) if self.group[0] in ("entity", "parent") else g for g in (self.group[1], *self.also)]
        return f"Outside({self.of.show(names)}, {self.group[0]}:{'/'.join(shown)})"


@dataclass
class Where(OnSet):
    """The members of a set whose value lies within bounds (70分以上, 为0, 满分, 介于60和70之间)."""

    family = "filter"
    low: float | None = None
    high: float | None = None
    low_inclusive: bool = True
    high_inclusive: bool = True
    on: list[str] = field(default_factory=list)  # another indicator the bounds are on (数据开放指数不到0.5), if any

    def show(self, names=str) -> str:
        bounds = [self.on[0]] if self.on else []
        if self.low is not None and self.low == self.high:
            bounds.append(f"={self.low:g}")
        else:
            if self.low is not None:
                bounds.append(f"{'>=' if self.low_inclusive else '>'}{self.low:g}")
            if self.high is not None:
                bounds.append(f"{'<=' if self.high_inclusive else '<'}{self.high:g}")
        return f"Where({self.of.show(names)}, {' '.join(bounds) or '满分'})"


@dataclass
class Top(OnSet):
    """The first (or last) n of a set on an indicator: 2015年前十名, 数字经济倒数五名."""

    family = "top"
    n: int = 10
    bottom: bool = False


@dataclass
class Nth(OnSet):
    """Who stands k-th (from the top or bottom) as the table prints it: 数字经济第31名是谁; with `last`, every
    place from k to last (第50到55名)."""

    family = "top"
    k: int = 1
    bottom: bool = False
    last: int | None = None


@dataclass
class Members(OnSet):
    """Who is in a group: 长三角包括哪些城市, 2021年先锋城市有哪些; who passes a filter of a ranking
    (广东哪些城市进了前30) is a filter question."""

    @property
    def family(self) -> str:  # type: ignore[override]
        node, ranked = self.of, False
        while isinstance(node, OnSet):  # a ranking's filter, or a city's districts on a ranking list: filter
            ranked = ranked or isinstance(node, (Top, Nth, Where, Outside)) or getattr(node, "group", ("",))[0] == "parent"
            node = node.of
        return "filter" if ranked else "meta"


@dataclass
class Count(OnSet):
    """How many members a set has: 2016年减分项为0的城市有几个."""

    @property
    def family(self) -> str:  # type: ignore[override]
        """A count of a narrowed set is a filter question; of a report's whole table or category, report info."""
        return "filter" if isinstance(self.of, OnSet) else "meta"


@dataclass
class Both(Node):
    """The cities in every one of several sets: 2015年和2016年都进了前十的城市, 既是领军又是数字经济一线的城市."""

    family = "filter"
    sets: list[Node] = field(default_factory=list)


@dataclass
class Mean(About):
    """A group's average (the printed figure and the one computed from members): 2015年华东地区平均分."""

    family = "region_avg"
    minus: Node | None = None  # 比全国高多少: the other mean the difference is taken against
    ranked: bool = False  # 浙江平均分排第几: also the group's place among the groups of its kind
    of: Node | None = None  # 它们平均多少分 after a list: the mean of that set's members, computed


@dataclass
class GroupMeans(About):
    """Every group of a kind (province, region, cluster, admin level, tier) with its mean, best first:
    2015年各省平均分排名; Top / Nth over it pick from the ranking."""

    family = "region_avg"
    kind: str = "province"


# --- composition -----------------------------------------------------------------------------
@dataclass
class Each(Node):
    """The same question for several subjects (各/分别/和): answered item by item in one block."""

    items: list[Node] = field(default_factory=list)

    @property
    def family(self) -> str:  # type: ignore[override]
        return self.items[0].family if self.items else "unknown"


# --- about the reports, and small talk ----------------------------------------------------------
@dataclass
class Meta(Node):
    """About the reports themselves: kind is one of META_KINDS."""

    family = "meta"
    kind: str = "indicators"
    ask: Ask = field(default_factory=Ask)


@dataclass
class SmallTalk(Node):
    """Greetings, thanks, help, who are you: a short friendly reply with examples."""

    family = "unknown"
    kind: str = "hello"


@dataclass
class Unclear(Node):
    """Nothing to answer: empty, over-long or not understood (kind says which)."""

    family = "unknown"
    kind: str = "unknown"


META_KINDS = ("indicators", "contains", "weight", "maxscore", "count", "cities", "reports", "rename", "tiers",
              "standard", "changes", "method", "member_of", "publisher")
