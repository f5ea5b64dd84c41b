"""Shared fixtures: one database built from data/raw/ for the whole session."""
from __future__ import annotations

import pytest

from bot.engine import Engine
from nlu.lexicon import Lexicon
from store.build import build
from store.query import Store


@pytest.fixture(autouse=True)
def misses_log(tmp_path, monkeypatch):
    """Each test's misses log is its own file, never data/misses.db."""
    path = tmp_path / "misses.db"
    monkeypatch.setenv("CITYQ_MISSES_DB", str(path))
    return path


@pytest.fixture(scope="session")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "scores.db"
    build(path)
    return path


@pytest.fixture(scope="session")
def store(db_path) -> Store:
    return Store(db_path)


@pytest.fixture(scope="session")
def lex(store) -> Lexicon:
    return Lexicon(store)


@pytest.fixture(scope="session")
def engine(store, lex) -> Engine:
    return Engine(store, lex)


@pytest.fixture(scope="session")
def eid(store):
    """Entity id for an unambiguous printed name."""
    index: dict[str, set[str]] = {}
    for alias, entity_id, _ in store.aliases():
        index.setdefault(alias, set()).add(entity_id)

    def lookup(name: str) -> str:
        ids = index[name]
        assert len(ids) == 1, f"{name} is ambiguous: {ids}"
        return next(iter(ids))

    return lookup
