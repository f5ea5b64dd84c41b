"""Opening the score database: which files are read, how, and what a reader can do with them."""
from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing

import pytest

from store.query import FORMAT, Store, StoreError, open_store


def test_a_database_from_an_older_build_is_refused_or_rebuilt(tmp_path, db_path, eid):
    old = tmp_path / "scores.db"
    shutil.copy(db_path, old)
    with closing(sqlite3.connect(old)) as conn:  # what the build wrote before rankings were precomputed
        conn.execute("drop table rankings")
        conn.execute("pragma user_version = 0")
        conn.commit()
    with pytest.raises(StoreError, match=r"format 0, this one reads \d+\); run: python -m store build"):
        Store(old)
    with pytest.raises(StoreError):
        open_store(str(old), build_if_missing=False)
    store = open_store(str(old))
    assert store.value("sc2015", eid("无锡"), "智慧管理").rank == 3
    with closing(sqlite3.connect(old)) as conn:
        assert conn.execute("pragma user_version").fetchone()[0] == FORMAT
