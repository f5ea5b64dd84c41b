"""Start-up does only what the first answer needs, and what it defers or caches reads the same.

- the lexicon kept in the cache directory is the lexicon built from the store; a cache that cannot
  be read is rebuilt; a store with other content has another key;
- what the Store reads on first use (a table's places, an entity's reports, scopes) is what reading
  everything at once gives;
- `ask` with one question imports neither the typo machinery (pypinyin, rapidfuzz) nor the build's
  (importlib.metadata for cpca's tables), nor Telegram or matplotlib.
- the bot imports httpcore without trio and telegram.ext without tornado (webhook mode gets PTB's server back).
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from nlu import lexicon
from store.query import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    lexicon.cache_dir.cache_clear()
    yield tmp_path / "cache" / "cityq"
    lexicon.cache_dir.cache_clear()


def _same(a: lexicon.Lexicon, b: lexicon.Lexicon) -> None:
    assert list(a.surfaces.items()) == list(b.surfaces.items())  # order too: typo hits are taken in it
    assert dict(a.report_indicators) == dict(b.report_indicators)
    assert a.prefixes == b.prefixes and a.max_len == b.max_len
    assert a.entity_forms == b.entity_forms and a.indicator_forms == b.indicator_forms
    assert dict(a.pinyin) == dict(b.pinyin)
    assert a.tokenizer.lcut("无锡和杭洲的智慧管里排名") == b.tokenizer.lcut("无锡和杭洲的智慧管里排名")


def test_the_cached_lexicon_is_the_built_one(store, cache_home):
    built = lexicon.Lexicon(store)
    saved = list(cache_home.glob("lexicon-*.json"))
    assert len(saved) == 1
    restored = lexicon.Lexicon(store)
    _same(built, restored)
    assert any(s.kind == "group" and isinstance(s.value, tuple) for ss in restored.surfaces.values() for s in ss)


def test_an_unreadable_cached_lexicon_is_rebuilt(store, cache_home):
    built = lexicon.Lexicon(store)
    (saved,) = cache_home.glob("lexicon-*.json")
    saved.write_text('{"surfaces": [["无锡", [["entity"]]]]', encoding="utf-8")  # cut short
    _same(built, lexicon.Lexicon(store))
    assert json.loads(saved.read_text(encoding="utf-8"))["surfaces"]  # and written again whole
    for dictionary in cache_home.glob("jieba-*.dict"):
        dictionary.write_text("无锡 1\n", encoding="utf-8")  # a jieba dictionary not matching its name
    _same(built, lexicon.Lexicon(store))


def test_other_store_content_has_another_key(tmp_path, db_path, store):
    copy = tmp_path / "scores.db"
    shutil.copy(db_path, copy)
    with sqlite3.connect(copy) as conn:
        conn.execute("update aliases set alias = alias || '甲' where rowid = 1")
    conn.close()
    assert lexicon._lexicon_key(Store(copy)) != lexicon._lexicon_key(store)
    assert Store(copy).digest(("reports",)) == store.digest(("reports",))


def test_what_the_store_reads_on_first_use_is_what_reading_everything_gives(db_path):
    lazy, eager = Store(db_path), Store(db_path)
    eager.warm()
    for e in eager.entities():
        assert lazy.reports_with(e.id) == eager.reports_with(e.id), e.id
    for rep in eager.reports():
        for ind in eager.indicators(rep.key):
            for scope in eager.ranking_scopes(rep.key, ind.name) or ["全部"]:
                assert lazy.table(rep.key, ind.name, scope) == eager.table(rep.key, ind.name, scope)
    some = [e.id for e in eager.entities()][::25]
    for rep in eager.reports():
        for ind in eager.indicators(rep.key):
            for eid in some:
                assert lazy.scopes(rep.key, eid, ind.name) == eager.scopes(rep.key, eid, ind.name)
        for gtype in ("province", "region"):
            assert lazy.group_names(rep.key, gtype) == eager.group_names(rep.key, gtype)


def test_one_question_loads_no_typo_build_telegram_or_chart_modules(db_path, tmp_path):
    code = ("import sys; from bot.__main__ import main; code = main(['--db', sys.argv[1], 'ask', '无锡2015智慧管理排名']); "
            "print(sorted(m for m in ('pypinyin', 'rapidfuzz', 'importlib.metadata', 'store.gazetteer', "
            "'telegram', 'matplotlib', 'sqlite_utils') if m in sys.modules))")
    env = {**os.environ, "CITYQ_MISSES_DB": str(tmp_path / "misses.db")}
    lexicon.Lexicon(Store(db_path))  # the cache this store's first start writes
    out = subprocess.run([sys.executable, "-c", code, str(db_path)], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120, check=True).stdout.splitlines()
    assert "15.73" in out[0]
    assert out[-1] == "[]"


def test_the_bot_imports_httpcore_without_trio_and_it_still_runs_on_asyncio(tmp_path):
    code = """
import asyncio, sys
from bot.__main__ import _import_httpcore_without_trio
_import_httpcore_without_trio()
import httpcore

async def main():
    async with httpcore.AsyncConnectionPool() as pool:  # its locks are made for asyncio
        try:
            await pool.request("GET", "http://127.0.0.1:9/")
        except httpcore.ConnectError:
            print("refused")

asyncio.run(main())
print("trio" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         check=True).stdout.split()
    assert out == ["refused", "False"]


def test_the_bot_imports_telegram_ext_without_tornado_and_webhook_mode_gets_its_server_back():
    code = """
import sys
from bot.__main__ import _import_telegram_ext_without_tornado
_import_telegram_ext_without_tornado()
import bot.telegram_app
from telegram.ext import _updater
print("tornado" in sys.modules, _updater.WEBHOOKS_AVAILABLE)
from bot import webhook
webhook.install()
print(_updater.WEBHOOKS_AVAILABLE, _updater.WebhookAppClass is webhook.ConfirmingWebhookApp,
      _updater.WebhookServer.__name__)
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         check=True).stdout.split()
    assert out == ["False", "False", "True", "True", "WebhookServer"]
