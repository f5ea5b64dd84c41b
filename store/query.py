"""Read-only queries over the score store; the only door the rest of the code uses.

Every function returns plain dataclasses; no SQL leaves this module and every
statement is parameterised.  Ranks: the printed rank of the table that ranks the
indicator; where a report prints none (2016, or a city missing from a ranking
table), a competition rank computed from the values, marked `computed`.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "scores.db"


class StoreError(Exception):
    """The database cannot be opened or built."""


@dataclass(frozen=True)
class Report:
    key: str
    title: str
    publisher: str
    year: int
    edition: str | None
    scale: str
    max_score: str | None
    entity_count: int
    subject: str
    source_file: str


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    full_name: str
    kind: str
    parent_id: str | None
    province: str
    region: str


@dataclass(frozen=True)
class Indicator:
    report: str
    name: str
    level: int
    parent: str | None
    max_score: str | None
    weight: str | None
    description: str | None
    ord: int


@dataclass
class Value:
    report: str
    entity_id: str
    entity: str  # canonical name
    indicator: str
    scope: str
    value: float | None
    value_text: str
    rank: int | None
    rank_kind: str | None  # printed | computed | None
    rate_text: str | None
    table: str
    line: int
    year: int
    measure: str = "score"
    ties: list[str] = field(default_factory=list)  # other entities sharing the rank
    total: int = 0  # how many the table ranks


@dataclass(frozen=True)
class Member:
    entity_id: str
    entity: str
    position: int | None
    line: int | None


@dataclass(frozen=True)
class Stat:
    subject: str
    indicator: str
    kind: str
    value: float | None
    value_text: str
    sentence: str
    line: int


@dataclass
class GroupMean:
    printed: Stat | None
    computed: float | None
    count: int
    members: list[Value]


def _memo(method):
    """Cache a query method per store: the database is read-only, so answers never change."""
    cache_name = "_memo_" + method.__name__

    def wrapper(self, *args, **kwargs):
        cache = self.__dict__.setdefault(cache_name, {})
        key = (args, tuple(sorted(kwargs.items())))
        if key not in cache:
            cache[key] = method(self, *args, **kwargs)
        return cache[key]

    wrapper.__name__ = method.__name__
    wrapper.__doc__ = method.__doc__
    return wrapper


class Store:
    """A read-only connection to the score store."""

    def __init__(self, path: Path | str = DEFAULT_DB):
        self.path = Path(path)
        try:
            self.conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("select 1 from reports limit 1").fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the score database {self.path}: {exc}") from exc
        self._entities = {r["id"]: Entity(**dict(r)) for r in self._q("select * from entities")}
        self._reports = {r["key"]: Report(**dict(r)) for r in self._q("select * from reports order by year desc")}

    def _q(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    # --- catalogue ---------------------------------------------------------
    def reports(self) -> list[Report]:
        """All reports, most recent first."""
        return list(self._reports.values())

    def report(self, key: str) -> Report:
        return self._reports[key]

    @_memo
    def indicators(self, report: str) -> list[Indicator]:
        rows = self._q("select * from indicators where report = ? order by ord", (report,))
        return [Indicator(**dict(r)) for r in rows]

    def total_indicator(self, report: str) -> str:
        """The report's overall indicator: 总分, 数字经济指数 or 发展水平指数."""
        return next(i.name for i in self.indicators(report) if i.level == 0)

    @_memo
    def indicator(self, report: str, name: str) -> Indicator | None:
        rows = self._q("select * from indicators where report = ? and name = ?", (report, name))
        return Indicator(**dict(rows[0])) if rows else None

    @_memo
    def indicator_synonyms(self) -> list[tuple[str, str, str]]:
        """(report, synonym, indicator) for names a report's indicator is also known by."""
        return [tuple(r) for r in self._q("select report, synonym, indicator from indicator_synonyms")]

    def entity(self, entity_id: str) -> Entity:
        return self._entities[entity_id]

    def entities(self) -> list[Entity]:
        return list(self._entities.values())

    def aliases(self) -> list[tuple[str, str, str]]:
        """(alias, entity_id, source) for every name an entity is printed or known by."""
        return [tuple(r) for r in self._q("select alias, entity_id, source from aliases")]

    @_memo
    def reports_with(self, entity_id: str) -> list[str]:
        """Keys of the reports that hold any number or membership for the entity (for a province, also
        a printed provincial figure such as 2015's 参考平均分), most recent first."""
        entity = self._entities[entity_id]
        rows = self._q("select distinct report from scores where entity_id = ? union "
                       "select distinct report from members where entity_id = ? union "
                       "select distinct report from stats where subject = ? and ? = 'province'",
                       (entity_id, entity_id, "province:" + entity.province, entity.kind))
        keys = {r["report"] for r in rows}
        return [k for k in self._reports if k in keys]

    @_memo
    def scopes(self, report: str, entity_id: str, indicator: str) -> list[str]:
        """Ranking scopes in which the report ranks the entity on the indicator (全部 first)."""
        rows = self._q("select distinct scope from scores where report = ? and entity_id = ? and indicator = ? "
                       "and measure = 'score' and scope != '附件1' order by min(id) over (partition by scope)",
                       (report, entity_id, indicator))
        return [r["scope"] for r in rows]

    @_memo
    def ranking_scopes(self, report: str, indicator: str) -> list[str]:
        """Every scope the report ranks the indicator in, in the report's order (全部 first where it exists)."""
        rows = self._q("select scope, min(id) as first from scores where report = ? and indicator = ? "
                       "and measure = 'score' and scope != '附件1' group by scope order by first", (report, indicator))
        scopes = [r["scope"] for r in rows if r["scope"] != "前十"]
        return sorted(scopes, key=lambda s: s != "全部")

    def anomalies(self) -> list[dict]:
        return [dict(r) for r in self._q("select report, source_file, line, what from anomalies order by report, line")]

    def counts(self) -> dict[str, int]:
        names = [r["name"] for r in self._q("select name from sqlite_master where type = 'table'")]
        return {n: self._q(f'select count(*) from "{n}"')[0][0] for n in names}

    # --- values and ranks ----------------------------------------------------
    def _value(self, r: sqlite3.Row) -> Value:
        return Value(report=r["report"], entity_id=r["entity_id"], entity=self._entities[r["entity_id"]].name,
                     indicator=r["indicator"], scope=r["scope"], value=r["value"], value_text=r["value_text"],
                     rank=r["rank"], rank_kind=r["rank_kind"], rate_text=r["rate_text"], table=r["source_table"],
                     line=r["source_line"], year=r["year"], measure=r["measure"])

    def _annex_rows(self, report: str, indicator: str, year: int, measure: str) -> list[sqlite3.Row]:
        """2015's 附件1: every city's score on every indicator, unranked."""
        return self._q("select * from scores where report = ? and indicator = ? and scope = '附件1' "
                       "and year = ? and measure = ?", (report, indicator, year, measure))

    @_memo
    def table(self, report: str, indicator: str, scope: str = "全部", year: int | None = None,
              measure: str = "score") -> list[Value]:
        """The ranking of one indicator in one scope, best first, with ties and totals filled in.

        Uses the table that prints ranks for the indicator; entities missing from it
        but present in another table of the report are added with a computed rank.
        """
        year = year or self._reports[report].year
        rows = self._q("select * from scores where report = ? and indicator = ? and scope = ? and year = ? "
                       "and measure = ?", (report, indicator, scope, year, measure))
        if not rows and scope == "全部":
            rows = self._annex_rows(report, indicator, year, measure)
        by_table: dict[str, list[sqlite3.Row]] = {}
        for r in rows:
            by_table.setdefault(r["source_table"], []).append(r)
        if not by_table:
            return []
        main = max(by_table.values(), key=lambda t: (sum(1 for r in t if r["rank_kind"] == "printed"), len(t)))
        values = [self._value(r) for r in main]
        have = {v.entity_id for v in values}
        extra = {}
        for t in by_table.values():
            for r in t:
                if r["entity_id"] not in have and r["entity_id"] not in extra:
                    extra[r["entity_id"]] = self._value(r)
        if not extra and scope == "全部":
            for r in self._annex_rows(report, indicator, year, measure):
                if r["entity_id"] not in have:
                    extra[r["entity_id"]] = self._value(r)
        for v in extra.values():  # rank a missing entity by its value among the table's values
            v.rank = 1 + sum(1 for w in values if w.value is not None and v.value is not None and w.value > v.value)
            v.rank_kind = "computed"
        values += extra.values()
        values.sort(key=lambda v: (v.rank if v.rank is not None else 10**6, -(v.value or 0)))
        total = len(values)
        by_rank: dict[int, list[str]] = {}
        for v in values:
            if v.rank is not None:
                by_rank.setdefault(v.rank, []).append(v.entity)
        for v in values:
            v.total = total
            v.ties = [n for n in by_rank.get(v.rank, []) if n != v.entity] if v.rank is not None else []
        return values

    def value(self, report: str, entity_id: str, indicator: str, scope: str | None = None,
              year: int | None = None, measure: str = "score") -> Value | None:
        """The entity's value (with rank and ties) in its first ranking scope, or the one named."""
        scopes = [scope] if scope else (self.scopes(report, entity_id, indicator) or ["全部"])
        for sc in scopes:
            for v in self.table(report, indicator, sc, year, measure):
                if v.entity_id == entity_id:
                    return v
        return None

    def values_in_scopes(self, report: str, entity_id: str, indicator: str) -> list[Value]:
        """One Value per scope that ranks the entity (成都: 副省级城市 and 省会城市)."""
        out = []
        for sc in self.scopes(report, entity_id, indicator):
            v = self.value(report, entity_id, indicator, sc)
            if v:
                out.append(v)
        return out

    def across(self, entity_id: str, indicator: str | None = None) -> list[Value]:
        """The entity's overall value (or the named indicator, where a report has it) in every report, newest first."""
        out = []
        for key in self.reports_with(entity_id):
            names = [i.name for i in self.indicators(key)]
            v = self.value(key, entity_id, indicator if indicator in names else self.total_indicator(key))
            if v:
                out.append(v)
        return out

    def profile(self, report: str, entity_id: str) -> list[Value]:
        """Every indicator of the report for one entity, in the report's indicator order."""
        out = []
        for ind in self.indicators(report):
            v = self.value(report, entity_id, ind.name)
            if v:
                out.append(v)
        return out

    def top(self, report: str, indicator: str, n: int, scope: str = "全部", bottom: bool = False) -> list[Value]:
        """The first (or last) n, extended to everyone tied with the n-th."""
        table = [v for v in self.table(report, indicator, scope) if v.value is not None]
        if bottom:
            table = sorted(table, key=lambda v: (v.value, v.entity))
        if n <= 0 or not table:
            return []
        cut = table[: n]
        last = cut[-1]
        key = (lambda v: v.value) if bottom else (lambda v: v.rank)
        cut += [v for v in table[n:] if key(v) == key(last)]
        return cut

    def at_position(self, report: str, indicator: str, k: int, scope: str = "全部", bottom: bool = False) -> list[Value]:
        """Who stands k-th (from the top, or from the bottom): everyone sharing that place."""
        table = [v for v in self.table(report, indicator, scope) if v.value is not None]
        if bottom:
            table = sorted(table, key=lambda v: (v.value, v.entity))
        if not 1 <= k <= len(table):
            return []
        target = table[k - 1]
        if bottom:
            return [v for v in table if v.value == target.value]
        return [v for v in table if v.rank == target.rank]

    def filter(self, report: str, indicator: str, low: float | None, high: float | None,
               scope: str = "全部", low_inclusive: bool = True, high_inclusive: bool = True) -> list[Value]:
        """Entities whose value lies within the bounds (either may be open)."""
        out = []
        for v in self.table(report, indicator, scope):
            if v.value is None:
                continue
            if low is not None and (v.value < low or (v.value == low and not low_inclusive)):
                continue
            if high is not None and (v.value > high or (v.value == high and not high_inclusive)):
                continue
            out.append(v)
        return out

    # --- groups and statistics --------------------------------------------------
    def groups(self, report: str, group_type: str | None = None) -> list[tuple[str, str]]:
        """(group_type, group_name) pairs the report assigns members to."""
        sql = "select distinct group_type, group_name from members where report = ?"
        params: tuple = (report,)
        if group_type:
            sql += " and group_type = ?"
            params += (group_type,)
        return [(r["group_type"], r["group_name"]) for r in self._q(sql + " order by min(id) over "
                                                                        "(partition by group_type, group_name)", params)]

    @_memo
    def members(self, report: str, group_type: str, group_name: str) -> list[Member]:
        rows = self._q("select entity_id, position, source_line from members where report = ? and group_type = ? "
                       "and group_name = ? order by id", (report, group_type, group_name))
        seen, out = set(), []
        for r in rows:
            if r["entity_id"] not in seen:
                seen.add(r["entity_id"])
                out.append(Member(r["entity_id"], self._entities[r["entity_id"]].name, r["position"], r["source_line"]))
        return out

    @_memo
    def memberships(self, entity_id: str, report: str | None = None) -> list[tuple[str, str, str, int | None]]:
        """(report, group_type, group_name, position) for every group the entity is listed in."""
        sql = "select report, group_type, group_name, position from members where entity_id = ?"
        params: tuple = (entity_id,)
        if report:
            sql += " and report = ?"
            params += (report,)
        return [tuple(r) for r in self._q(sql + " order by id", params)]

    @_memo
    def stats(self, report: str, subject: str | None = None, indicator: str | None = None,
              kind: str | None = None) -> list[Stat]:
        """Figures the report prints in its text, with the sentence they come from."""
        sql = "select subject, indicator, kind, value, value_text, sentence, source_line as line from stats where report = ?"
        params: list = [report]
        for col, val in (("subject", subject), ("indicator", indicator), ("kind", kind)):
            if val is not None:
                sql += f" and {col} = ?"
                params.append(val)
        return [Stat(**dict(r)) for r in self._q(sql + " order by id", tuple(params))]

    def group_entities(self, report: str, group_type: str, group_name: str) -> list[str]:
        """Entity ids in a group: the report's own list, else by province / region of the entities it scores."""
        parts = re.split(r"[与及]", group_name)  # 华北与东北, 直辖市及计划单列市: the union of both lists
        listed = [m for part in parts for m in self.members(report, group_type, part)]
        if listed:
            return list(dict.fromkeys(m.entity_id for m in listed))
        scored = {r["entity_id"] for r in self._q("select distinct entity_id from scores where report = ? and year = ? "
                                                  "and scope != '前十'", (report, self._reports[report].year))}
        names = set(group_name.split("与"))
        out = []
        for eid in scored:
            e = self._entities[eid]
            if e.kind == "province":
                continue
            if (group_type == "province" and e.province == group_name) or (group_type == "region" and e.region in names):
                out.append(eid)
        return out

    def group_mean(self, report: str, indicator: str, group_type: str, group_name: str,
                   scope: str = "全部") -> GroupMean:
        """The report's printed average for the group, and the mean computed from its members' values."""
        printed = None
        if group_type == "all":  # a whole ranking table: all cities, or a category such as 市辖区
            subjects = ["全部"] if scope == "全部" else [scope]
        else:
            subjects = [f"{group_type}:{group_name}", group_name]
        for subject in subjects:
            for kind in ("mean", "weighted_mean"):
                found = self.stats(report, subject, indicator, kind)
                if found and printed is None:
                    printed = found[0]
        table = self.table(report, indicator, scope)
        if group_type == "all":
            members = table
        else:
            ids = set(self.group_entities(report, group_type, group_name))
            members = [v for v in table if v.entity_id in ids]
        nums = [v.value for v in members if v.value is not None]
        computed = round(sum(nums) / len(nums), 2) if nums else None
        return GroupMean(printed, computed, len(nums), members)


@lru_cache(maxsize=4)
def open_store(path: str | None = None, build_if_missing: bool = True) -> Store:
    """The store at `path` (default data/scores.db), built first if it does not exist yet."""
    db = Path(path) if path else DEFAULT_DB
    if not db.exists():
        if not build_if_missing:
            raise StoreError(f"no score database at {db}; run: python -m store build")
        from store.build import build  # the build needs sqlite-utils and cpca; answering does not

        try:
            build(db)
        except Exception as exc:  # a broken raw file must not become a traceback for the user
            raise StoreError(f"building the score database failed: {exc}") from exc
    return Store(db)
