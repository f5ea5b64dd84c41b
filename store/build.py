"""Build data/scores.db from the raw reports in data/raw/ — once, atomically.

raw text → one parser per report → records → entities resolved → SQLite.
The database is written to a temporary file and moved into place only when
complete, so a failed build leaves the previous database untouched.
"""
from __future__ import annotations

import os
import re
import tempfile
from collections import defaultdict
from pathlib import Path

import sqlite_utils

from store import gazetteer, parse_de2020, parse_gw2020, parse_sc2015, parse_sc2016, parse_sc2021, schema
from store.query import DEFAULT_DB
from store.records import Anomaly, ParsedReport, Score

ROOT = Path(__file__).resolve().parent.parent
RAW_DIR = ROOT / "data" / "raw"
PARSERS = [parse_sc2015, parse_sc2016, parse_gw2020, parse_de2020, parse_sc2021]


def parse_all(raw_dir: Path = RAW_DIR) -> list[ParsedReport]:
    """Every report, parsed from its raw text."""
    return [p.parse((raw_dir / p.FILE).read_text(encoding="utf-8")) for p in PARSERS]


def _number(text: str) -> float | None:
    m = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*%?\s*", text or "")
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
        for name, synonyms in rep.synonyms.items():
            for syn in synonyms:
                out["indicator_synonyms"].append({"report": rep.key, "synonym": syn, "indicator": name})
        for s in rep.scores:
            rank = int(s.rank_text) if s.rank_text and s.rank_text.isdigit() else None
            out["scores"].append({
                "report": rep.key, "year": s.year or rep.year,
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
    return out


def build(db_path: Path = DEFAULT_DB, raw_dir: Path = RAW_DIR) -> dict[str, int]:
    """Parse every report and write the database; returns row counts per table.

    The rows go into a temporary file in one transaction with no journal on disk and no
    fsync (the file is nobody's until it is renamed); then one fsync of the finished file
    and an atomic rename over the old database, which stays whole if anything fails.
    """
    rows = _rows(parse_all(raw_dir))
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".scores-", suffix=".db", dir=db_path.parent)
    os.close(fd)
    try:
        counts = _write(tmp, rows)
        _fsync(tmp)
        os.replace(tmp, db_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return counts


def _write(path: str, rows: dict[str, list[dict]]) -> dict[str, int]:
    """Schema with sqlite-utils, rows with executemany, all in one transaction.

    `atomic()` opens the transaction and the schema's own `atomic()` blocks nest in it as
    savepoints, so nothing is committed (or synced) part-way.  synchronous=OFF and an
    in-memory journal: a crash mid-build only loses a temporary file that is never renamed
    into place.  Rows go in with plain executemany: sqlite-utils' insert_all checks every
    value for JSON conversion in Python, which was 0.3 s of the build for rows that are
    already plain str / int / float / None.
    """
    db = sqlite_utils.Database(path)
    try:
        db.execute("PRAGMA journal_mode = MEMORY")
        db.execute("PRAGMA synchronous = OFF")
        with db.atomic():
            schema.create(db)
            for table, (columns, _pk) in schema.TABLES.items():
                if not rows[table]:
                    continue
                unknown = set(rows[table][0]) - set(columns)
                if unknown:
                    raise ValueError(f"{table}: no such column {sorted(unknown)}")
                names = [c for c in columns if c in rows[table][0]]
                sql = (f"insert into [{table}] ({', '.join(f'[{c}]' for c in names)}) "
                       f"values ({', '.join('?' for _ in names)})")
                db.conn.executemany(sql, ([r[c] for c in names] for r in rows[table]))
        return {table: db[table].count for table in schema.TABLES}
    finally:
        db.close()


def _fsync(path: str) -> None:
    """The build's one fsync: the finished file reaches the disk before it replaces the old one."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
