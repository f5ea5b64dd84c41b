"""The score store's tables, created with sqlite-utils.

One row per printed number: `scores` keeps the value as printed (value_text) and
as a number (value), the printed rank (or a computed one, marked so), the ranking
scope (全部, 华东, 地市, 区县 …) and the source table and line.  `ranking_tables` is
every ranking table as the store answers it, computed once at build time: report,
indicator, scope, year, measure, how many places, and the places in order (JSON, see
store.build.rankings: each place's scores row and what it shows, its rank, printed
or computed, and the names tied with it), so reading a ranking is one indexed row.
`indicator_systems` holds a second indicator system a report prints for some of its
tables (the 数字经济 white paper's 县域 system for its 市辖区 and 县市 tables).
`scopes` lists (JSON) for each indicator of a report the scopes ranking it, 全部
first, and per entity the scopes ranking that entity on it, in the report's order.
"""
from __future__ import annotations

import sqlite_utils

TABLES = {
    "reports": ({"key": str, "title": str, "publisher": str, "year": int, "edition": str, "scale": str,
                 "max_score": str, "entity_count": int, "subject": str, "source_file": str}, "key"),
    "entities": ({"id": str, "name": str, "full_name": str, "kind": str, "parent_id": str,
                  "province": str, "region": str}, "id"),
    "aliases": ({"alias": str, "entity_id": str, "source": str}, ("alias", "entity_id")),
    "indicators": ({"report": str, "name": str, "level": int, "parent": str, "max_score": str,
                    "weight": str, "description": str, "ord": int}, ("report", "name")),
    "indicator_synonyms": ({"report": str, "synonym": str, "indicator": str}, ("report", "synonym")),
    "indicator_systems": ({"report": str, "scope": str, "title": str, "name": str, "level": int, "parent": str,
                           "weight": str, "ord": int}, ("report", "scope", "ord")),
    "scores": ({"id": int, "report": str, "year": int, "entity_id": str, "printed_name": str,
                "indicator": str, "measure": str, "scope": str, "value": float, "value_text": str,
                "rank": int, "rank_text": str, "rank_kind": str, "rate_text": str,
                "source_table": str, "source_line": int}, "id"),
    "members": ({"id": int, "report": str, "group_type": str, "group_name": str, "entity_id": str,
                 "printed_name": str, "position": int, "source_line": int}, "id"),
    "stats": ({"id": int, "report": str, "subject": str, "indicator": str, "kind": str, "value": float,
               "value_text": str, "sentence": str, "source_line": int}, "id"),
    "anomalies": ({"id": int, "report": str, "source_file": str, "line": int, "what": str}, "id"),
    "ranking_tables": ({"no": int, "report": str, "indicator": str, "scope": str, "year": int, "measure": str,
                        "total": int, "places": str}, "no"),
    "scopes": ({"report": str, "indicator": str, "scopes": str, "by_entity": str}, ("report", "indicator")),
}
INDEXES = [
    ("scores", ["report", "indicator", "scope"]),
    ("scores", ["entity_id", "report"]),
    ("members", ["report", "group_type", "group_name"]),
    ("members", ["entity_id"]),
    ("stats", ["report", "subject"]),
    ("aliases", ["alias"]),
    ("ranking_tables", ["report", "indicator", "scope", "year", "measure"]),
]


def create(db: sqlite_utils.Database) -> None:
    """Create every table on an empty database (indexes come after the rows: see create_indexes)."""
    for name, (columns, pk) in TABLES.items():
        db[name].create(columns, pk=pk)


def create_indexes(db: sqlite_utils.Database) -> None:
    """Index the filled tables (one pass each, cheaper than keeping indexes up to date row by row)."""
    for table, cols in INDEXES:
        db[table].create_index(cols)
