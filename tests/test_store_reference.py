"""The store's answers equal a plain reference computed from the scores rows.

`Reference` is the query code as it was before ranks, ties and totals were precomputed
at build time and the tables loaded into dictionaries at open: SQL over the scores,
members and stats rows, computing ranks, ties and totals from them.  Every ranking table, every entity's
scopes and values, every group, every statistic filter must come out the same — same
values, same order, same ranks, rank kinds, ties and totals.
"""
from __future__ import annotations

import re
import sqlite3
from itertools import product

import pytest

from store.query import GroupMean, Member, Stat, Value


class Reference:
    """The former store.query.Store read path: SQL over the rows on every call (entity scopes and
    stats read all at once, group lists and tables kept), over its own connection."""

    def __init__(self, db_path):
        self.conn = sqlite3.connect(db_path)
        self.conn.row_factory = sqlite3.Row
        self.names = {r["id"]: r["name"] for r in self._q("select id, name from entities")}
        self.kinds = {r["id"]: (r["kind"], r["province"], r["region"]) for r in self._q("select * from entities")}
        self.years = {r["key"]: r["year"] for r in self._q("select key, year from reports order by year desc")}
        self.tables: dict[tuple, list[Value]] = {}
        self.entity_scopes: dict[tuple, list[str]] = {}  # the former per-entity query, for all entities at once
        for r in self._q("select report, entity_id, indicator, scope from scores where measure = 'score' "
                         "and scope != '附件1' group by report, entity_id, indicator, scope order by min(id)"):
            self.entity_scopes.setdefault((r["report"], r["entity_id"], r["indicator"]), []).append(r["scope"])
        self.report_stats: dict[str, list[tuple]] = {}
        for r in self._q("select report, subject, indicator, kind, value, value_text, sentence, source_line "
                         "from stats order by id"):
            self.report_stats.setdefault(r[0], []).append(tuple(r)[1:])
        self.found_groups: dict[tuple, list[str]] = {}

    def _q(self, sql, params=()):
        return self.conn.execute(sql, params).fetchall()

    def _value(self, r) -> Value:
        return Value(report=r["report"], entity_id=r["entity_id"], entity=self.names[r["entity_id"]],
                     indicator=r["indicator"], scope=r["scope"], value=r["value"], value_text=r["value_text"],
                     rank=r["rank"], rank_kind=r["rank_kind"], rate_text=r["rate_text"], table=r["source_table"],
                     line=r["source_line"], year=r["year"], measure=r["measure"])

    def _annex_rows(self, report, indicator, year, measure):
        return self._q("select * from scores where report = ? and indicator = ? and scope = '附件1' "
                       "and year = ? and measure = ?", (report, indicator, year, measure))

    def table(self, report, indicator, scope="全部", year=None, measure="score") -> list[Value]:
        key = (report, indicator, scope, year, measure)
        if key not in self.tables:
            self.tables[key] = self._table(*key)
        return self.tables[key]

    def _table(self, report, indicator, scope, year, measure):
        year = year or self.years[report]
        rows = self._q("select * from scores where report = ? and indicator = ? and scope = ? and year = ? "
                       "and measure = ?", (report, indicator, scope, year, measure))
        if not rows and scope == "全部":
            rows = self._annex_rows(report, indicator, year, measure)
        by_table: dict[str, list] = {}
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
        for v in extra.values():
            v.rank = 1 + sum(1 for w in values if w.value is not None and v.value is not None and w.value > v.value)
            v.rank_kind = "computed"
        values += extra.values()
        values.sort(key=lambda v: (v.rank if v.rank is not None else 10**6, -(v.value or 0)))
        by_rank: dict[int, list[str]] = {}
        for v in values:
            if v.rank is not None:
                by_rank.setdefault(v.rank, []).append(v.entity)
        for v in values:
            v.total = len(values)
            v.ties = [n for n in by_rank.get(v.rank, []) if n != v.entity] if v.rank is not None else []
        return values

    def scopes(self, report, entity_id, indicator):
        return self.entity_scopes.get((report, entity_id, indicator), [])

    def scopes_one_by_one(self, report, entity_id, indicator):
        """The former query, verbatim (checked against the all-at-once one on a sample)."""
        rows = self._q("select distinct scope from scores where report = ? and entity_id = ? and indicator = ? "
                       "and measure = 'score' and scope != '附件1' order by min(id) over (partition by scope)",
                       (report, entity_id, indicator))
        return [r["scope"] for r in rows]

    def value(self, report, entity_id, indicator, scope=None):
        for sc in [scope] if scope else (self.scopes(report, entity_id, indicator) or ["全部"]):
            for v in self.table(report, indicator, sc):
                if v.entity_id == entity_id:
                    return v
        return None

    def ranking_scopes(self, report, indicator):
        rows = self._q("select scope, min(id) as first from scores where report = ? and indicator = ? "
                       "and measure = 'score' and scope != '附件1' group by scope order by first", (report, indicator))
        return sorted([r["scope"] for r in rows if r["scope"] != "前十"], key=lambda s: s != "全部")

    def reports_with(self, entity_id):
        kind, province, _ = self.kinds[entity_id]
        rows = self._q("select distinct report from scores where entity_id = ? union "
                       "select distinct report from members where entity_id = ? union "
                       "select distinct report from stats where subject = ? and ? = 'province'",
                       (entity_id, entity_id, "province:" + province, kind))
        keys = {r["report"] for r in rows}
        return [k for k in self.years if k in keys]

    def groups(self, report, group_type=None):
        sql = "select distinct group_type, group_name from members where report = ?"
        params: tuple = (report,)
        if group_type:
            sql += " and group_type = ?"
            params += (group_type,)
        return [(r["group_type"], r["group_name"])
                for r in self._q(sql + " order by min(id) over (partition by group_type, group_name)", params)]

    def members(self, report, group_type, group_name):
        rows = self._q("select entity_id, position, source_line from members where report = ? and group_type = ? "
                       "and group_name = ? order by id", (report, group_type, group_name))
        seen, out = set(), []
        for r in rows:
            if r["entity_id"] not in seen:
                seen.add(r["entity_id"])
                out.append(Member(r["entity_id"], self.names[r["entity_id"]], r["position"], r["source_line"]))
        return out

    def memberships(self, entity_id, report=None):
        sql = "select report, group_type, group_name, position from members where entity_id = ?"
        params: tuple = (entity_id,)
        if report:
            sql += " and report = ?"
            params += (report,)
        return [tuple(r) for r in self._q(sql + " order by id", params)]

    def stats(self, report, subject=None, indicator=None, kind=None):
        return [Stat(*r) for r in self.report_stats.get(report, [])
                if subject in (None, r[0]) and indicator in (None, r[1]) and kind in (None, r[2])]

    def group_entities(self, report, group_type, group_name):
        key = (report, group_type, group_name)
        if key not in self.found_groups:
            self.found_groups[key] = self._group_entities(*key)
        return self.found_groups[key]

    def _group_entities(self, report, group_type, group_name):
        parts = re.split(r"[与及]", group_name)
        listed = [m for part in parts for m in self.members(report, group_type, part)]
        scored = {r["entity_id"] for r in self._q("select distinct entity_id from scores where report = ? and year = ? "
                                                  "and scope != '前十'", (report, self.years[report]))}
        if not listed and group_type == "admin_level":  # another report's list of the category, as scored here
            others = [r["key"] for r in self._q("select key from reports order by year desc")]
            listed = [m for rep in others for part in parts for m in self.members(rep, group_type, part)
                      if m.entity_id in scored]
        if listed:
            return list(dict.fromkeys(m.entity_id for m in listed))
        names = set(group_name.split("与"))
        out = []
        for eid in scored:
            kind, province, region = self.kinds[eid]
            if kind == "province":
                continue
            if (group_type == "province" and province == group_name) or (group_type == "region" and region in names) \
                    or (group_type == "admin_level" and "直辖市" in names and kind == "municipality"):
                out.append(eid)
        return out

    def group_mean(self, report, indicator, group_type, group_name, scope="全部"):
        subjects = [scope] if group_type == "all" else [f"{group_type}:{group_name}", group_name]
        printed = next((st for subject in subjects for kind in ("mean", "weighted_mean")
                        for st in self.stats(report, subject, indicator, kind)), None)
        members = self.table(report, indicator, scope)
        if group_type != "all":
            members = [v for v in members if v.entity_id in self.group_entities(report, group_type, group_name)]
        nums = [v.value for v in members if v.value is not None]
        return GroupMean(printed, round(sum(nums) / len(nums), 2) if nums else None, len(nums), members)


@pytest.fixture(scope="module")
def ref(db_path):
    return Reference(db_path)


@pytest.fixture(scope="module")
def keys(ref):
    """Every (report, indicator, scope, year, measure) the scores hold, plus 全部 for each 附件1 key."""
    found = [tuple(r) for r in ref._q("select distinct report, indicator, scope, year, measure from scores")]
    return found + [(r, i, "全部", y, m) for r, i, s, y, m in found if s == "附件1"]


def dump(values):
    return [vars(v) for v in values]


def test_every_ranking_table(store, ref, keys):
    assert len(keys) > 140
    for report, indicator, scope, year, measure in keys:
        want = dump(ref.table(report, indicator, scope, year, measure))
        assert dump(store.table(report, indicator, scope, year, measure)) == want, (report, indicator, scope, year)
        if year == store.report(report).year and measure == "score":  # the defaults
            assert dump(store.table(report, indicator, scope)) == want
    assert store.table("sc2015", "总分", "火星") == ref.table("sc2015", "总分", "火星") == []
    assert store.table("sc2016", "不存在的指标") == []


def test_every_entity_scopes_and_values(store, ref):
    triples = ref._q("select distinct report, entity_id, indicator from scores")
    assert len(triples) > 3000
    for report, entity_id, indicator in triples:
        scopes = ref.scopes(report, entity_id, indicator)
        assert store.scopes(report, entity_id, indicator) == scopes, (report, entity_id, indicator)
        got, want = store.value(report, entity_id, indicator), ref.value(report, entity_id, indicator)
        assert (vars(got) if got else None) == (vars(want) if want else None), (report, entity_id, indicator)
        for sc in scopes[1:]:
            assert vars(store.value(report, entity_id, indicator, sc)) == vars(ref.value(report, entity_id, indicator, sc))
    for report, entity_id, indicator in triples[::40]:
        assert ref.scopes_one_by_one(report, entity_id, indicator) == ref.scopes(report, entity_id, indicator)


def test_every_ranking_scope_list(store, ref):
    for report, indicator in ref._q("select report, name from indicators"):
        assert store.ranking_scopes(report, indicator) == ref.ranking_scopes(report, indicator), (report, indicator)


def test_every_entity_reports_and_memberships(store, ref):
    for e in store.entities():
        assert store.reports_with(e.id) == ref.reports_with(e.id), e.name
        assert store.memberships(e.id) == ref.memberships(e.id), e.name
        for r in store.reports():
            assert store.memberships(e.id, r.key) == ref.memberships(e.id, r.key), (e.name, r.key)


def group_names(store, ref, report):
    """The report's own groups, every province and region (some only by the entities' places)."""
    places = {(kind, name) for e in store.entities()
              for kind, name in (("province", e.province), ("region", e.region))}
    return ref.groups(report) + sorted(places) + [("region", "华北与东北"), ("admin_level", "直辖市及计划单列市")]


def test_every_group(store, ref):
    for rep in store.reports():
        assert store.groups(rep.key) == ref.groups(rep.key)
        for gtype in {t for t, _ in ref.groups(rep.key)}:
            assert store.groups(rep.key, gtype) == ref.groups(rep.key, gtype)
        for gtype, gname in group_names(store, ref, rep.key):
            assert store.members(rep.key, gtype, gname) == ref.members(rep.key, gtype, gname), (gtype, gname)
            got, want = store.group_entities(rep.key, gtype, gname), ref.group_entities(rep.key, gtype, gname)
            if ref.members(rep.key, gtype, gname):
                assert got == want, (rep.key, gtype, gname)
            else:  # by province / region of the scored entities: the former order was a set's (hash) order
                assert sorted(got) == sorted(want) and len(got) == len(set(got)), (rep.key, gtype, gname)


def test_every_group_mean(store, ref):
    def same(a: GroupMean, b: GroupMean) -> bool:
        return (a.printed, a.computed, a.count, dump(a.members)) == (b.printed, b.computed, b.count, dump(b.members))

    for rep in store.reports():
        indicators = [i.name for i in store.indicators(rep.key)]
        groups = group_names(store, ref, rep.key)
        for indicator in indicators:
            for scope in ref.ranking_scopes(rep.key, indicator) or ["全部"]:
                assert same(store.group_mean(rep.key, indicator, "all", "", scope),
                            ref.group_mean(rep.key, indicator, "all", "", scope)), (rep.key, indicator, scope)
        for (gtype, gname), indicator in product(groups, indicators[:3]):
            assert same(store.group_mean(rep.key, indicator, gtype, gname),
                        ref.group_mean(rep.key, indicator, gtype, gname)), (rep.key, indicator, gtype, gname)


def test_every_stats_filter(store, ref):
    for report, subject, indicator, kind in ref._q("select distinct report, subject, indicator, kind from stats"):
        for s, i, k in product((None, subject), (None, indicator), (None, kind)):
            assert store.stats(report, s, i, k) == ref.stats(report, s, i, k), (report, s, i, k)
    assert store.stats("sc2015", "火星") == []


def test_group_mean_is_a_fresh_object(store):
    """Callers may set .printed on what they get (answer_lists does): that must not leak into the next call."""
    first = store.group_mean("sc2015", "总分", "region", "华东")
    first.printed, first.members = None, []
    again = store.group_mean("sc2015", "总分", "region", "华东")
    assert again.printed is not None and again.members
