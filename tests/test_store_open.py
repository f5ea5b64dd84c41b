"""Opening the score database: which files are read, how, and what a reader can do with them."""
from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from store.query import FORMAT, Store, StoreError, open_store

ROOT = Path(__file__).resolve().parent.parent


def test_a_database_from_an_older_build_is_refused_or_rebuilt(tmp_path, db_path, eid):
    old = tmp_path / "scores.db"
    shutil.copy(db_path, old)
    with closing(sqlite3.connect(old)) as conn:  # what the build wrote before rankings were precomputed
        conn.execute("drop table ranking_tables")
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


def test_the_built_database_is_readable_by_other_users(db_path):
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o644


@pytest.mark.parametrize("name", ["x#y.db", "x?mode=rwc.db", "a%20b#.db", "分数?.db"])
def test_names_with_uri_characters_open_that_file_read_only(tmp_path, db_path, eid, name):
    folder = tmp_path / "d#1?"
    folder.mkdir()
    target = folder / name
    shutil.copy(db_path, target)
    before = sorted(p.name for p in folder.iterdir())
    store = Store(target)
    assert store.value("sc2015", eid("无锡"), "总分").value_text == "80.20"
    with pytest.raises(sqlite3.DatabaseError):
        store.conn.execute("delete from scores")
    store.conn.close()
    assert sorted(p.name for p in folder.iterdir()) == before  # no other file opened or created
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d#1?"]


def test_a_missing_directory_is_an_error_not_created(tmp_path):
    from store.build import build

    missing = tmp_path / "no" / "such" / "scores.db"
    with pytest.raises(StoreError, match="no directory") as raised:
        build(missing)
    assert len(str(raised.value).splitlines()) == 1
    with pytest.raises(StoreError, match="no directory"):
        open_store(str(missing))
    with pytest.raises(StoreError):
        Store(missing)
    assert not (tmp_path / "no").exists()
    proc = subprocess.run([sys.executable, "-m", "store", "--db", str(missing), "build"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1 and "no directory" in proc.stderr
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("sql", [
    "attach database '{dir}/new.db' as other",
    "vacuum into '{dir}/copy.db'",
    "detach database main",
    "delete from scores",
    "update scores set value = 0",
    "insert into anomalies (report, what) values ('x', 'y')",
    "create table t (x)",
    "create temp table t (x)",
    "drop table scores",
    "pragma query_only = off",
    "pragma user_version = 7",
    "pragma journal_mode = wal",
    "begin immediate",
])
def test_the_read_only_connection_cannot_write_anywhere(tmp_path, db_path, sql):
    copy = tmp_path / "scores.db"
    shutil.copy(db_path, copy)
    before = copy.read_bytes()
    store = Store(copy)
    with pytest.raises(sqlite3.DatabaseError):
        store.conn.execute(sql.format(dir=tmp_path)).fetchall()
    assert store.conn.execute("select count(*) from scores").fetchone()[0] > 14000  # reading still works
    store.conn.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scores.db"]
    assert copy.read_bytes() == before
