"""Read-only queries over the score store; the only door the rest of the code uses.

Every function returns plain dataclasses; no SQL leaves this module and every
statement is parameterised.  Ranks: the printed rank of the table that ranks the
indicator; where a report prints none (2016, or a city missing from a ranking
table), a competition rank computed from the values, marked `computed`.
"""
from __future__ import annotations

import gc
import hashlib
import json
import re
import sqlite3
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product
from pathlib import Path

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "scores.db"
# PRAGMA user_version the build writes.  0: before ranks were precomputed; 2: a rankings row per
# place; 3: ranking_tables.places and scopes as JSON (faster to read).
FORMAT = 6  # 4: the stated size of each indicator system (stats 指标体系); 5: tier lists against scores (anomalies);
# 6: a second indicator system for some tables (indicator_systems: 数字经济 县域)
TIE_SEP = "、"  # joins the names tied with a place in ranking_tables.places (no place name has it)
_TABLE_NAME_RE = re.compile(r"[a-z_]+")


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


class Store:
    """A read-only connection to the score store, its tables loaded once into dictionaries.

    The database never changes under a Store, so everything a question needs (about 15,000
    small rows) is read once; every query below is then a dictionary look-up.  Ranking
    tables (places, ranks and their kind, ties, totals) and scope lists come precomputed
    from the build (store.build.rankings, store.build.scope_lists).  The small tables are
    read at open; a ranking table's places and a (report, indicator)'s scopes per entity
    (JSON, 1.6 MB in all) the first time one is asked for, so a single question reads a few
    of them (`warm()` reads them all, for a process that answers many).
    """

    def __init__(self, path: Path | str = DEFAULT_DB):
        self.path = Path(path)
        try:
            self.conn = sqlite3.connect(_read_only_uri(self.path), uri=True, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("select 1 from reports limit 1").fetchall()
            built = self.conn.execute("pragma user_version").fetchone()[0]
            _forbid_writes(self.conn)
            if built != FORMAT:
                raise StoreError(f"the score database {self.path} was built by another version of the store "
                                 f"(format {built}, this one reads {FORMAT}); run: python -m store build")
            with _collection_paused():
                self._load()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the score database {self.path}: {exc}") from exc

    def digest(self, tables: tuple[str, ...]) -> str:
        """sha256 of the content of the named tables (every column of every row, in rowid order): the
        key of a cache derived from them.  SQLite concatenates the rows itself, about 1 ms for the
        small tables; hashing the whole 7 MB file took 20 ms."""
        h = hashlib.sha256()
        for table in tables:
            if not _TABLE_NAME_RE.fullmatch(table):
                raise ValueError(f"not a table name: {table!r}")
            columns = [d[0] for d in self.conn.execute(f'select * from "{table}" limit 0').description]
            row = "||x'1f'||".join(f'quote("{c}")' for c in columns)
            text = self.conn.execute(f"select group_concat({row}, x'1e') from "
                                     f'(select * from "{table}" order by rowid)').fetchone()[0]
            h.update(f"{table}\x1d{','.join(columns)}\x1d{text or ''}\x1c".encode())
        return h.hexdigest()

    def _q(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def _tuples(self, sql: str) -> list[tuple]:
        cur = self.conn.cursor()
        cur.row_factory = None
        return cur.execute(sql).fetchall()

    def _load(self) -> None:
        """Read every table the queries use, once."""
        self._entities = {r["id"]: Entity(**dict(r)) for r in self._q("select * from entities")}
        self._reports = {r["key"]: Report(**dict(r)) for r in self._q("select * from reports order by year desc")}
        self._indicators: dict[str, list[Indicator]] = {}
        self._indicator: dict[tuple[str, str], Indicator] = {}
        for r in self._q("select * from indicators order by report, ord"):
            ind = Indicator(**dict(r))
            self._indicators.setdefault(ind.report, []).append(ind)
            self._indicator.setdefault((ind.report, ind.name), ind)
        self._systems: dict[tuple[str, str], tuple[str, list[Indicator]]] = {}
        for r in self._q("select * from indicator_systems order by report, scope, ord"):
            title, inds = self._systems.setdefault((r["report"], r["scope"]), (r["title"], []))
            inds.append(Indicator(r["report"], r["name"], r["level"], r["parent"], None, r["weight"], None, r["ord"]))
        self._synonyms = self._tuples("select report, synonym, indicator from indicator_synonyms")
        self._aliases = self._tuples("select alias, entity_id, source from aliases")
        self._load_tables()
        self._load_groups()
        self._load_scopes()
        self._stats: dict[tuple, list[Stat]] = {}
        for r in self._tuples("select report, subject, indicator, kind, value, value_text, sentence, source_line "
                              "from stats order by id"):
            st = Stat(*r[1:])
            for key in product(*((None, part) for part in r[1:4])):  # every filter that selects the row
                self._stats.setdefault((r[0], *key), []).append(st)
        self._group_entities: dict[tuple[str, str, str], list[str]] = {}
        self._group_means: dict[tuple, tuple] = {}

    def _load_tables(self) -> None:
        """Every ranking table's key, row and size; its places in order, as the build computed them
        (store.build.rankings), are read and parsed the first time the table is asked for (reading
        and parsing all 127 at open was two thirds of the open, 40 ms), and its Values (and entity
        index) made then (making all 11,588 at open took another third)."""
        self._rows: dict[tuple, tuple[int, int]] = {}  # key → (row number, how many the table ranks)
        for no, report, indicator, scope, year, measure, total in self._tuples(
                "select no, report, indicator, scope, year, measure, total from ranking_tables order by no"):
            self._rows[(report, indicator, scope, year, measure)] = (no, total)
        self._places: dict[tuple, tuple[int, list[list]]] = {}
        self._tables: dict[tuple, list[Value]] = {}
        self._in_table: dict[tuple, dict[str, Value]] = {}  # an entity's first place in a table

    def _places_of(self, key: tuple) -> tuple[int, list[list]] | None:
        """(total, places) of the ranking table `key`, read on first use; None if there is no such table."""
        found = self._places.get(key)
        if found is None and key in self._rows:
            no, total = self._rows[key]
            try:
                text = self.conn.execute("select places from ranking_tables where no = ?", (no,)).fetchone()[0]
            except sqlite3.Error as exc:
                raise StoreError(f"cannot read the score database {self.path}: {exc}") from exc
            found = self._places[key] = (total, json.loads(text))
        return found

    def warm(self) -> None:
        """Read now everything that is otherwise read on first use (every ranking table's places, every
        scope list, which reports hold each entity): for a process that answers many questions."""
        with _collection_paused():
            for key in self._rows:
                self._places_of(key)
            for key in list(self._scopes_text):
                self._entity_scopes(*key)
            self._held()

    def _table(self, key: tuple) -> list[Value]:
        """The ranking table (report, indicator, scope, year, measure) as Values, made once."""
        table = self._tables.get(key)
        if table is None:
            found = self._places_of(key)
            if found is None:
                return []
            report, indicator, _scope, year, measure = key
            total, places = found
            table = [Value(report, entity_id, self._entities[entity_id].name, indicator, scope, value, text, rank, kind,
                           rate, source, line, year, measure, ties.split(TIE_SEP) if ties else [], total)
                     for _id, entity_id, scope, value, text, rank, kind, rate, source, line, ties in places]
            index: dict[str, Value] = {}
            for v in table:
                index.setdefault(v.entity_id, v)
            self._in_table[key] = index
            self._tables[key] = table
        return table

    def _load_scopes(self) -> None:
        """Scope lists from the build: the scopes ranking each indicator now, each entity's scopes on it
        (JSON) parsed on first use (`_entity_scopes`)."""
        self._scopes: dict[tuple[str, str], dict[str, list[str]]] = {}
        self._scopes_text: dict[tuple[str, str], str] = {}
        self._ranking_scopes: dict[tuple[str, str], list[str]] = {}
        for report, indicator, scopes, by_entity in self._tuples(
                "select report, indicator, scopes, by_entity from scopes"):
            self._ranking_scopes[(report, indicator)] = json.loads(scopes)
            self._scopes_text[(report, indicator)] = by_entity
        self._province_stats = self._tuples("select distinct subject, report from stats where subject like 'province:%'")
        self._scored_in: dict[str, dict[str, None]] | None = None
        self._reports_with: dict[str, list[str]] = {}  # made per entity on first use, or all by _held()

    def _entity_scopes(self, report: str, indicator: str) -> dict[str, list[str]]:
        """Entity id → the scopes ranking it on the report's indicator, parsed once."""
        found = self._scopes.get((report, indicator))
        if found is None:
            text = self._scopes_text.get((report, indicator))
            found = self._scopes[(report, indicator)] = json.loads(text) if text is not None else {}
        return found

    @property
    def _scored(self) -> dict[str, dict[str, None]]:
        """Report key → the entities it scores, in the order its tables first rank them (for group_entities)."""
        if self._scored_in is None:
            self._held()
        return self._scored_in

    def _held(self) -> None:
        """The reports holding every entity, and the entities each report scores, from every ranking
        table (the entity of every scores row is in the table of that row's report, indicator, scope,
        year and measure) and the memberships: made on first use, as it reads every table."""
        if self._scored_in is not None:
            return
        scored: dict[str, dict[str, None]] = {key: {} for key in self._reports}
        held: dict[str, dict[str, None]] = {e: {} for e in self._entities}
        for key in self._rows:
            report, _indicator, scope, year, _measure = key
            ids = dict.fromkeys(place[1] for place in self._places_of(key)[1])
            for entity_id in ids:
                held[entity_id][report] = None
            if year == self._reports[report].year and scope != "前十":
                scored[report].update(ids)
        for (entity_id, report), _rows in self._memberships.items():
            if report:
                held[entity_id][report] = None
        for subject, report in self._province_stats:
            for e in self._entities.values():
                if e.kind == "province" and subject == "province:" + e.province:
                    held[e.id][report] = None
        self._scored_in = scored
        self._reports_with = {e: [k for k in self._reports if k in keys] for e, keys in held.items()}

    def _find_reports_with(self, entity_id: str) -> list[str]:
        """What _held() finds for one entity, from its scores rows (every place of a ranking table is a
        scores row of its report: a table adds only entities another table of the report ranks) by the
        (entity_id, report) index, its memberships and a province's printed figures."""
        entity = self._entities[entity_id]
        try:
            keys = {r for (r,) in self.conn.execute("select distinct report from scores where entity_id = ?",
                                                     (entity_id,))}
        except sqlite3.Error as exc:
            raise StoreError(f"cannot read the score database {self.path}: {exc}") from exc
        keys.update(report for report in self._reports if (entity_id, report) in self._memberships)
        if entity.kind == "province":
            keys.update(report for subject, report in self._province_stats if subject == "province:" + entity.province)
        return [k for k in self._reports if k in keys]

    def _load_groups(self) -> None:
        self._groups: dict[tuple[str, str | None], list[tuple[str, str]]] = {}
        self._members: dict[tuple[str, str, str], dict[str, Member]] = {}
        self._memberships: dict[tuple[str, str | None], list[tuple[str, str, str, int | None]]] = {}
        for report, gtype, gname, entity_id, position, line in self._tuples(
                "select report, group_type, group_name, entity_id, position, source_line from members order by id"):
            for key in ((report, None), (report, gtype)):
                pairs = self._groups.setdefault(key, [])
                if (gtype, gname) not in pairs:
                    pairs.append((gtype, gname))
            members = self._members.setdefault((report, gtype, gname), {})
            if entity_id not in members:
                members[entity_id] = Member(entity_id, self._entities[entity_id].name, position, line)
            for key in ((entity_id, None), (entity_id, report)):
                self._memberships.setdefault(key, []).append((report, gtype, gname, position))
        self._members = {key: list(members.values()) for key, members in self._members.items()}

    # --- catalogue ---------------------------------------------------------
    def reports(self) -> list[Report]:
        """All reports, most recent first."""
        return list(self._reports.values())

    def report(self, key: str) -> Report:
        return self._reports[key]

    def indicators(self, report: str) -> list[Indicator]:
        return self._indicators.get(report, [])

    def indicator_system(self, report: str, scope: str) -> tuple[str, list[Indicator]] | None:
        """The other indicator system a report prints for one of its tables (its title and indicators, level 1
        then each one's level-2 parts), or None where the table is scored by the report's own indicators.

        >>> store.indicator_system("de2020", "县市")[0]
        '县域（市、区）数字经济指标体系'
        """
        return self._systems.get((report, scope))

    def total_indicator(self, report: str) -> str:
        """The report's overall indicator: 总分, 数字经济指数 or 发展水平指数."""
        return next(i.name for i in self.indicators(report) if i.level == 0)

    def indicator(self, report: str, name: str) -> Indicator | None:
        return self._indicator.get((report, name))

    def indicator_synonyms(self) -> list[tuple[str, str, str]]:
        """(report, synonym, indicator) for names a report's indicator is also known by."""
        return self._synonyms

    def entity(self, entity_id: str) -> Entity:
        return self._entities[entity_id]

    def entities(self) -> list[Entity]:
        return list(self._entities.values())

    def aliases(self) -> list[tuple[str, str, str]]:
        """(alias, entity_id, source) for every name an entity is printed or known by."""
        return list(self._aliases)

    def reports_with(self, entity_id: str) -> list[str]:
        """Keys of the reports that hold any number or membership for the entity (for a province, also
        a printed provincial figure such as 2015's 参考平均分), most recent first."""
        found = self._reports_with.get(entity_id)
        if found is None:
            found = self._reports_with[entity_id] = self._find_reports_with(entity_id)
        return found

    def scopes(self, report: str, entity_id: str, indicator: str) -> list[str]:
        """Ranking scopes in which the report ranks the entity on the indicator (全部 first)."""
        return self._entity_scopes(report, indicator).get(entity_id, [])

    def ranking_scopes(self, report: str, indicator: str) -> list[str]:
        """Every scope the report ranks the indicator in, in the report's order (全部 first where it exists)."""
        return self._ranking_scopes.get((report, indicator), [])

    def anomalies(self) -> list[dict]:
        return [dict(r) for r in self._q("select report, source_file, line, what from anomalies order by report, line")]

    def counts(self) -> dict[str, int]:
        names = [r["name"] for r in self._q("select name from sqlite_master where type = 'table'")]
        return {n: self._q(f'select count(*) from "{n}"')[0][0] for n in names}

    # --- values and ranks ----------------------------------------------------
    def table(self, report: str, indicator: str, scope: str = "全部", year: int | None = None,
              measure: str = "score") -> list[Value]:
        """The ranking of one indicator in one scope, best first, with ties and totals filled in.

        Uses the table that prints ranks for the indicator; entities missing from it
        but present in another table of the report are added with a computed rank
        (computed by the build: store.build.rankings).
        """
        return self._table((report, indicator, scope, year or self._reports[report].year, measure))

    def value(self, report: str, entity_id: str, indicator: str, scope: str | None = None,
              year: int | None = None, measure: str = "score") -> Value | None:
        """The entity's value (with rank and ties) in its first ranking scope, or the one named."""
        year = year or self._reports[report].year
        for sc in [scope] if scope else (self.scopes(report, entity_id, indicator) or ["全部"]):
            key = (report, indicator, sc, year, measure)
            found = self._in_table.get(key, {}).get(entity_id) if self._table(key) else None
            if found is not None:
                return found
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
        return self._groups.get((report, group_type or None), [])

    def members(self, report: str, group_type: str, group_name: str) -> list[Member]:
        return self._members.get((report, group_type, group_name), [])

    def memberships(self, entity_id: str, report: str | None = None) -> list[tuple[str, str, str, int | None]]:
        """(report, group_type, group_name, position) for every group the entity is listed in."""
        return self._memberships.get((entity_id, report or None), [])

    def stats(self, report: str, subject: str | None = None, indicator: str | None = None,
              kind: str | None = None) -> list[Stat]:
        """Figures the report prints in its text, with the sentence they come from."""
        return self._stats.get((report, subject, indicator, kind), [])

    def group_entities(self, report: str, group_type: str, group_name: str) -> list[str]:
        """Entity ids in a group: the report's own list, else by province / region of the entities it
        scores (in the order the report first scores them)."""
        key = (report, group_type, group_name)
        if key not in self._group_entities:
            self._group_entities[key] = self._find_group_entities(report, group_type, group_name)
        return list(self._group_entities[key])

    def _find_group_entities(self, report: str, group_type: str, group_name: str) -> list[str]:
        parts = re.split(r"[与及]", group_name)  # 华北与东北, 直辖市及计划单列市: the union of both lists
        listed = [m for part in parts for m in self.members(report, group_type, part)]
        if not listed and group_type == "tier":  # 2021's 领军 cities in the 2020 digital-economy table
            listed = [m for rep in self._reports for part in parts for m in self.members(rep, group_type, part)]
        if not listed and group_type == "admin_level":  # 2016's 省会城市: another report's list of them, as scored here
            scored = set(self._scored[report])
            listed = [m for rep in self._reports for part in parts for m in self.members(rep, group_type, part)
                      if m.entity_id in scored]
        if listed:
            return list(dict.fromkeys(m.entity_id for m in listed))
        names = set(group_name.split("与"))
        out = []
        for eid in self._scored[report]:
            e = self._entities[eid]
            if e.kind == "province":
                continue
            if (group_type == "province" and e.province == group_name) or (group_type == "region" and e.region in names) \
                    or (group_type == "admin_level" and "直辖市" in names and e.kind == "municipality"):
                out.append(eid)
        return out

    def group_names(self, report: str, group_type: str, indicator: str | None = None) -> list[str]:
        """The groups of one kind a report has, in the report's order: those it prints figures for
        (2015's five regional tables, its provincial table), else those it lists members of, else (for
        provinces) the provinces of the cities it scores.

        >>> store.group_names("sc2015", "region")
        ['华东', '华南', '华中', '华北与东北', '西北与西南']
        """
        prefix = group_type + ":"
        printed = list(dict.fromkeys(subject[len(prefix):] for (rep, subject, _i, _k) in self._stats
                                     if rep == report and subject and subject.startswith(prefix)))
        for ind in (indicator, self.total_indicator(report)) if indicator and printed else ():
            named = [n for n in printed if self.stats(report, prefix + n, ind)]
            if len(named) >= 3:  # the grouping the report prints figures for (2015's five regional tables)
                return named
        if printed:
            return printed
        listed = [name for _t, name in self.groups(report, group_type)]
        if listed:
            return listed
        if group_type == "province":
            names = (self._entities[e].province for e in self._scored[report] if self._entities[e].kind != "province")
            return list(dict.fromkeys(n for n in names if n))
        return []

    def group_mean(self, report: str, indicator: str, group_type: str, group_name: str,
                   scope: str = "全部") -> GroupMean:
        """The report's printed average for the group, and the mean computed from its members' values.

        A new GroupMean (and members list) each call: callers may change what they get."""
        key = (report, indicator, group_type, group_name, scope)
        if key not in self._group_means:
            self._group_means[key] = self._find_group_mean(*key)
        printed, computed, count, members = self._group_means[key]
        return GroupMean(printed, computed, count, list(members))

    def _find_group_mean(self, report: str, indicator: str, group_type: str, group_name: str,
                         scope: str) -> tuple[Stat | None, float | None, int, list[Value]]:
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
        elif group_type == "top":  # Top10: the first n of the table (ties at the cut included)
            n = int(group_name[3:])
            members = [v for v in table if v.rank is not None and v.rank <= n]
        elif group_type == "parent":  # 上海各区: a city's districts and counties, in whichever table ranks them
            year = self._reports[report].year
            members = list({v.entity_id: v for (rep, ind, _scope, yr, measure) in self._places
                            if rep == report and ind == indicator and yr == year and measure == "score"
                            for v in self._table((rep, ind, _scope, yr, measure))
                            if self._entities[v.entity_id].parent_id == group_name}.values())
        else:
            ids = set(self.group_entities(report, group_type, group_name))
            members = [v for v in table if v.entity_id in ids]
        nums = [v.value for v in members if v.value is not None]
        computed = round(sum(nums) / len(nums), 2) if nums else None
        return printed, computed, len(nums), members


@contextmanager
def _collection_paused():
    """No garbage collection while tables are read: tens of thousands of new objects, none of them
    garbage, and collecting them meanwhile doubled the time."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@lru_cache(maxsize=4)
def open_store(path: str | None = None, build_if_missing: bool = True) -> Store:
    """The store at `path` (default data/scores.db), built first if it does not exist yet or an
    older version of the store built it (the build is derived from data/raw/ and atomic)."""
    db = Path(path) if path else DEFAULT_DB
    if not db.exists() or (build_if_missing and _stale(db)):
        if not build_if_missing:
            raise StoreError(f"no score database at {db}; run: python -m store build")
        from store.build import build  # the build needs sqlite-utils and cpca; answering does not

        try:
            build(db)
        except StoreError:
            raise
        except Exception as exc:  # a broken raw file must not become a traceback for the user
            raise StoreError(f"building the score database failed: {exc}") from exc
    return Store(db)


def _read_only_uri(path: Path) -> str:
    """A `file:` URI opening exactly this file read-only: `#`, `?` and `%` in the name are
    percent-encoded (as_uri), so they cannot end the path or add parameters such as mode=rwc."""
    return Path(path).absolute().as_uri() + "?mode=ro"


_READS = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE}


def _only_reads(action: int, *_args) -> int:
    """sqlite3 authorizer: statements may read; ATTACH (and so VACUUM INTO), DETACH, PRAGMA,
    transactions and every kind of write are refused when the statement is prepared."""
    return sqlite3.SQLITE_OK if action in _READS else sqlite3.SQLITE_DENY


def _forbid_writes(conn: sqlite3.Connection) -> None:
    """mode=ro keeps the database file unwritten; this keeps every other file so too."""
    conn.execute("pragma query_only = on")
    conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
    conn.set_authorizer(_only_reads)


def _stale(db: Path) -> bool:
    """Whether the file is a score database in another format than this code reads (not: unreadable)."""
    try:
        with closing(sqlite3.connect(_read_only_uri(db), uri=True)) as conn:
            return conn.execute("select count(*) from sqlite_master where name = 'reports'").fetchone()[0] == 1 \
                and conn.execute("pragma user_version").fetchone()[0] != FORMAT
    except sqlite3.Error:
        return False  # Store says what is wrong with it
