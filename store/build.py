"""Build data/scores.db from the raw reports in data/raw/ — once, atomically.

raw text → one parser per report → records → entities resolved → SQLite.
The database is written to a temporary file and moved into place only when
complete, so a failed build leaves the previous database untouched.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
import tempfile
from collections import defaultdict
from functools import cache
from pathlib import Path


def _import_sqlite_utils():
    """sqlite-utils imports pandas and numpy when they are installed (0.6 s of a 1.6 s
    `python -m store build`), only to convert their types on insert.  The build inserts plain
    str / int / float / None rows itself (`_insert`), so they are made absent for that import."""
    absent = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in absent:
        sys.modules[name] = None  # importing it raises ImportError while this is here
    try:
        import sqlite_utils
    finally:
        for name in absent:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    return sqlite_utils


sqlite_utils = _import_sqlite_utils()

# store.schema imports sqlite-utils too: after the line above
from store import gazetteer, parse_de2020, parse_gw2020, parse_sc2015, parse_sc2016, parse_sc2021, schema  # noqa: E402
from store.query import DEFAULT_DB, FORMAT, TIE_SEP, StoreError  # noqa: E402
from store.records import Anomaly, ParsedReport, Score  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RAW_DIR = ROOT / "data" / "raw"
# rw-r--r--: the figures are published ones, and the bot may run as another user than the one
# who builds (mkstemp's 0600 locked it out).  Access is restricted, where wanted, by the directory.
MODE = 0o644
PARSERS = [parse_sc2015, parse_sc2016, parse_gw2020, parse_de2020, parse_sc2021]


def parse_all(raw_dir: Path = RAW_DIR) -> list[ParsedReport]:
    """Every report, parsed from its raw text."""
    return [p.parse((raw_dir / p.FILE).read_text(encoding="utf-8")) for p in PARSERS]


NUMBER = re.compile(r"\s*(-?\d+(?:\.\d+)?)\s*%?\s*")


@cache  # some 33,000 calls on a few thousand distinct texts
def _number(text: str) -> float | None:
    m = NUMBER.fullmatch(text or "")
    return float(m[1]) if m else None


class _Entities:
    """Resolves printed names to places once, and remembers every printed form."""

    def __init__(self) -> None:
        self.places: dict[str, gazetteer.Place] = {}
        self.printed: dict[str, set[str]] = defaultdict(set)
        self.cache: dict[tuple, str] = {}

    def id_for(self, printed: str, parent: str | None, level: str | None) -> str:
        key = (printed, parent, level)
        if key not in self.cache:
            place = gazetteer.resolve(printed, parent=parent, level=level)
            self.places[place.id] = place
            if place.parent_id and place.parent_id not in self.places and not place.parent_id.startswith("x"):
                try:
                    self.places[place.parent_id] = gazetteer.place(place.parent_id)
                except KeyError:
                    pass
            self.cache[key] = place.id
        entity_id = self.cache[key]
        self.printed[entity_id].add(printed)
        return entity_id

    def rows(self) -> tuple[list[dict], list[dict]]:
        entities, aliases = [], []
        for place in self.places.values():
            entities.append({"id": place.id, "name": place.name, "full_name": place.full_name, "kind": place.kind,
                             "parent_id": place.parent_id, "province": place.province, "region": place.region})
            forms = {place.name: "name", place.full_name: "full", gazetteer.stem(place.full_name): "stem"}
            for p in self.printed.get(place.id, ()):
                forms.setdefault(p, "printed")
            for alias, source in forms.items():
                if len(alias) >= 2:
                    aliases.append({"alias": alias, "entity_id": place.id, "source": source})
        return entities, aliases


def _computed_ranks(rows: list[dict]) -> None:
    """Competition ranks (1, 1, 3) for every ranking group that prints none."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        groups[(r["report"], r["indicator"], r["scope"], r["source_table"], r["year"], r["measure"])].append(r)
    for members in groups.values():
        if any(r["rank"] is not None for r in members):
            continue
        ranked = sorted((r for r in members if r["value"] is not None), key=lambda r: -r["value"])
        for i, r in enumerate(ranked):
            r["rank"] = i + 1 if i == 0 or r["value"] != ranked[i - 1]["value"] else ranked[i - 1]["rank"]
            r["rank_kind"] = "computed"


def rankings(scores: list[dict], names: dict[str, str]) -> list[dict]:
    """Every ranking table the store answers (ranking_tables rows), with its places in order as
    JSON: per place [score id, entity_id, scope, value, value_text, rank, rank_kind, rate_text,
    source_table, source_line, ties], the ties joined by TIE_SEP (as JSON lists they doubled
    the time to read the tables).

    A table is (report, indicator, scope, year, measure); a 2015 indicator printed only in
    附件1 also gets a 全部 table made of those rows.  Where a scope's rows come from several
    source tables, the one printing the most ranks (then the longest) is the table; an
    entity found only in the others (or, in 全部, only in 附件1) is added with a competition
    rank computed against the table's values.  Order: rank, then higher value first (stable
    by row id); unranked rows last.  Ties are the other names sharing a rank.
    """
    if any(TIE_SEP in n for n in names.values()):
        raise ValueError(f"a place name contains {TIE_SEP}, which joins tied names")
    by_key: dict[tuple, list[dict]] = defaultdict(list)
    for r in scores:  # scores are in id order
        by_key[(r["report"], r["indicator"], r["scope"], r["year"], r["measure"])].append(r)
    keys = list(by_key)
    keys += [(rep, ind, "全部", year, measure) for rep, ind, scope, year, measure in list(by_key)
             if scope == "附件1" and (rep, ind, "全部", year, measure) not in by_key]
    out: list[dict] = []
    for no, key in enumerate(keys, 1):
        annex = by_key.get((*key[:2], "附件1", *key[3:]), []) if key[2] == "全部" else []
        places = [[row["id"], row["entity_id"], row["scope"], row["value"], row["value_text"], rank, kind,
                   row["rate_text"], row["source_table"], row["source_line"], TIE_SEP.join(ties)]
                  for row, rank, kind, ties in _ranking_table(by_key.get(key) or annex, annex, names)]
        out.append(dict(zip(("no", "report", "indicator", "scope", "year", "measure"), (no, *key)),
                        total=len(places), places=json.dumps(places, ensure_ascii=False)))
    return out


def scope_lists(scores: list[dict]) -> list[dict]:
    """Per (report, indicator): the scopes ranking it (全部 first, no 前十: a top-ten list) and,
    per entity, the scopes ranking that entity on it, in the order the report first prints them."""
    lists: dict[tuple, dict[str | None, dict[str, None]]] = {}
    for r in scores:  # in id order
        if r["measure"] == "score" and r["scope"] != "附件1":
            per = lists.setdefault((r["report"], r["indicator"]), {None: {}})
            per.setdefault(r["entity_id"], {})[r["scope"]] = None
            if r["scope"] != "前十":
                per[None][r["scope"]] = None
    return [{"report": report, "indicator": indicator,
             "scopes": json.dumps(sorted(per.pop(None), key=lambda s: s != "全部"), ensure_ascii=False),
             "by_entity": json.dumps({e: list(scopes) for e, scopes in per.items()}, ensure_ascii=False)}
            for (report, indicator), per in lists.items()]


def _ranking_table(rows: list[dict], annex: list[dict], names: dict[str, str]) -> list[tuple]:
    """(row, rank, rank kind, ties) for one table, best first; see rankings()."""
    by_table: dict[str, list[dict]] = {}
    for r in rows:
        by_table.setdefault(r["source_table"], []).append(r)
    if not by_table:
        return []
    main = max(by_table.values(), key=lambda t: (sum(1 for r in t if r["rank_kind"] == "printed"), len(t)))
    ranked = [[r, r["rank"], r["rank_kind"]] for r in main]
    have = {r["entity_id"] for r in main}
    extra: dict[str, dict] = {}
    for r in (r for t in by_table.values() for r in t):
        if r["entity_id"] not in have:
            extra.setdefault(r["entity_id"], r)
    if not extra:
        for r in annex:
            if r["entity_id"] not in have:
                extra.setdefault(r["entity_id"], r)
    values = [r["value"] for r in main if r["value"] is not None]
    for r in extra.values():
        above = sum(1 for v in values if v > r["value"]) if r["value"] is not None else 0
        ranked.append([r, 1 + above, "computed"])
    ranked.sort(key=lambda x: (x[1] if x[1] is not None else 10**6, -(x[0]["value"] or 0)))
    by_rank: dict[int, list[str]] = defaultdict(list)
    for r, rank, _kind in ranked:
        if rank is not None:
            by_rank[rank].append(names[r["entity_id"]])
    out = []
    for r, rank, kind in ranked:
        name = names[r["entity_id"]]
        ties = [n for n in by_rank[rank] if n != name] if rank is not None else []
        out.append((r, rank, kind, ties))
    return out


def rank_order_anomalies(report: ParsedReport) -> list[Anomaly]:
    """Where a printed ranking contradicts its own scores: a tie with different scores,
    or a lower rank with a higher score."""
    tables: dict[tuple, list[Score]] = defaultdict(list)
    for s in report.scores:
        if s.rank_text and s.rank_text.isdigit() and _number(s.value_text) is not None:
            tables[(s.table, s.scope, s.indicator, s.year, s.measure)].append(s)
    found = []
    for (table, *_key), scores in tables.items():
        ranked = sorted(scores, key=lambda s: (int(s.rank_text), -_number(s.value_text)))
        for a, b in zip(ranked, ranked[1:]):
            va, vb = _number(a.value_text), _number(b.value_text)
            if a.rank_text == b.rank_text and va != vb:
                found.append(Anomaly(b.line, f"{table}：{a.entity} {a.value_text} 与 {b.entity} {b.value_text} 分数不同却同列第{a.rank_text}名"))
            elif vb > va:
                found.append(Anomaly(b.line, f"{table}：第{b.rank_text}名 {b.entity} {b.value_text} 高于第{a.rank_text}名 {a.entity} {a.value_text}"))
    return found


def _rows(reports: list[ParsedReport]) -> dict[str, list[dict]]:
    ents = _Entities()
    out: dict[str, list[dict]] = defaultdict(list)
    for rep in reports:
        out["reports"].append({"key": rep.key, "title": rep.title, "publisher": rep.publisher, "year": rep.year,
                               "edition": rep.edition, "scale": rep.scale, "max_score": rep.max_score,
                               "entity_count": rep.entity_count, "subject": rep.subject, "source_file": rep.source_file})
        for ind in rep.indicators:
            out["indicators"].append({"report": rep.key, "name": ind.name, "level": ind.level, "parent": ind.parent,
                                      "max_score": ind.max_score, "weight": ind.weight,
                                      "description": ind.description, "ord": ind.order})
        if rep.other_system:
            title, scopes, indicators = rep.other_system
            for scope in scopes:
                for ind in indicators:
                    out["indicator_systems"].append({"report": rep.key, "scope": scope, "title": title, "name": ind.name,
                                                     "level": ind.level, "parent": ind.parent, "weight": ind.weight,
                                                     "ord": ind.order})
        for name, synonyms in rep.synonyms.items():
            for syn in synonyms:
                out["indicator_synonyms"].append({"report": rep.key, "synonym": syn, "indicator": name})
        for s in rep.scores:
            rank = int(s.rank_text) if s.rank_text and s.rank_text.isdigit() else None
            out["scores"].append({
                "id": len(out["scores"]) + 1, "report": rep.key, "year": s.year or rep.year,
                "entity_id": ents.id_for(s.entity, s.parent, s.level), "printed_name": s.entity,
                "indicator": s.indicator, "measure": s.measure, "scope": s.scope,
                "value": _number(s.value_text), "value_text": s.value_text, "rank": rank, "rank_text": s.rank_text,
                "rank_kind": "printed" if rank is not None else None, "rate_text": s.rate_text,
                "source_table": s.table, "source_line": s.line})
        for m in rep.members:
            out["members"].append({"report": rep.key, "group_type": m.group_type, "group_name": m.group_name,
                                   "entity_id": ents.id_for(m.entity, m.parent, m.level), "printed_name": m.entity,
                                   "position": m.position, "source_line": m.line})
        for st in rep.stats:
            out["stats"].append({"report": rep.key, "subject": st.subject, "indicator": st.indicator, "kind": st.kind,
                                 "value": _number(st.value_text), "value_text": st.value_text,
                                 "sentence": st.sentence, "source_line": st.line})
        for a in rep.anomalies + rank_order_anomalies(rep):
            out["anomalies"].append({"report": rep.key, "source_file": rep.source_file, "line": a.line, "what": a.what})
    _computed_ranks(out["scores"])
    out["entities"], out["aliases"] = ents.rows()
    out["ranking_tables"] = rankings(out["scores"], {e["id"]: e["name"] for e in out["entities"]})
    out["scopes"] = scope_lists(out["scores"])
    return out


def build(db_path: Path = DEFAULT_DB, raw_dir: Path = RAW_DIR) -> dict[str, int]:
    """Parse every report and write the database; returns row counts per table.

    The rows go into a temporary file in one transaction with no journal on disk and no
    fsync (the file is nobody's until it is renamed); then one fsync of the finished file
    and an atomic rename over the old database, which stays whole if anything fails.  The
    directory must exist: a missing one is a StoreError, not created.
    """
    db_path = Path(db_path)
    if not db_path.parent.is_dir():  # a mistyped path must not grow directories
        raise StoreError(f"no directory {db_path.parent} for the score database {db_path.name}")
    rows = _rows(parse_all(raw_dir))
    fd, tmp = tempfile.mkstemp(prefix=".scores-", suffix=".db", dir=db_path.parent)
    os.close(fd)
    try:
        counts = _write(tmp, rows)
        _fsync(tmp)
        os.chmod(tmp, MODE)
        os.replace(tmp, db_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return counts


def _write(path: str, rows: dict[str, list[dict]]) -> dict[str, int]:
    """Schema with sqlite-utils, rows with executemany, all in one transaction.

    sqlite-utils 4 runs its own steps in atomic() blocks, which nest in an open transaction
    as savepoints, so nothing is committed part-way (3.x commits after each create, harmless
    here).  synchronous=OFF and an in-memory journal: no commit syncs, and a crash mid-build
    only loses a temporary file that is never renamed into place.
    """
    db = sqlite_utils.Database(path)
    try:
        db.execute("PRAGMA journal_mode = MEMORY")
        db.execute("PRAGMA synchronous = OFF")
        db.conn.execute("BEGIN")
        db.execute(f"PRAGMA user_version = {FORMAT}")
        schema.create(db)
        for table, (columns, _pk) in schema.TABLES.items():
            _insert(db.conn, table, list(columns), rows[table])
        schema.create_indexes(db)
        db.conn.commit()
        return {table: db[table].count for table in schema.TABLES}
    finally:
        db.close()


def _insert(conn: sqlite3.Connection, table: str, columns: list[str], rows: list[dict]) -> None:
    """Plain executemany: sqlite-utils' insert_all checks every value for JSON conversion in
    Python, 0.3 s of the build for rows that are already plain str / int / float / None."""
    if not rows:
        return
    unknown = set(rows[0]) - set(columns)
    if unknown:
        raise ValueError(f"{table}: no such column {sorted(unknown)}")
    names = [c for c in columns if c in rows[0]]
    sql = f"insert into [{table}] ({', '.join(f'[{c}]' for c in names)}) values ({', '.join('?' for _ in names)})"
    conn.executemany(sql, ([r[c] for c in names] for r in rows))


def _fsync(path: str) -> None:
    """The build's one fsync: the finished file reaches the disk before it replaces the old one."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
