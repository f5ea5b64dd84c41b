"""The derived caches (jieba dictionary, pinyin index) live in a private per-user directory; what a
lexicon keeps in memory (pieces' tokenisation, the report words' neighbourhood) reads the same."""
from __future__ import annotations

import stat

from nlu import lexicon


def test_cache_dir_is_private_and_under_xdg_cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    lexicon.cache_dir.cache_clear()
    try:
        path = lexicon.cache_dir()
        assert path == tmp_path / "cityq"
        assert stat.S_IMODE(path.stat().st_mode) == 0o700
    finally:
        lexicon.cache_dir.cache_clear()


def test_an_unwritable_cache_home_falls_back_to_a_fresh_private_directory(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    lexicon.cache_dir.cache_clear()
    try:
        path = lexicon.cache_dir()
        assert path.name.startswith("cityq-") and path.is_dir()
        assert stat.S_IMODE(path.stat().st_mode) == 0o700
    finally:
        lexicon.cache_dir.cache_clear()


def test_a_cache_dir_made_earlier_with_a_looser_mode_is_made_private(tmp_path, monkeypatch):
    (tmp_path / "cityq").mkdir(mode=0o755)
    (tmp_path / "cityq").chmod(0o755)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    lexicon.cache_dir.cache_clear()
    try:
        assert stat.S_IMODE(lexicon.cache_dir().stat().st_mode) == 0o700
    finally:
        lexicon.cache_dir.cache_clear()


def test_the_lexicons_kept_cuts_are_the_tokenizers(lex, monkeypatch):
    pieces = ["排名", "□□得分多少", "湘谭 排第几", "  智慧管里  ", "", "排名"]
    assert [lex.cut(p) for p in pieces] == [tuple(lex.tokenizer.lcut(p)) for p in pieces]
    monkeypatch.setattr(lexicon, "MAX_CUTS", 2)
    more = ["前十名", "平均分是多少", "哪个高"]
    assert [lex.cut(p) for p in more] == [tuple(lex.tokenizer.lcut(p)) for p in more]
    assert len(lex._cuts) <= 2  # the older ones forgotten


def test_report_words_near_finds_every_stretch_one_character_off_a_report_word(lex):
    for form in lex.report_words:
        for i in range(len(form)):
            assert lex.report_words_near.search("问" + form[:i] + "错" + form[i + 1:] + "吗")
        assert lex.report_words_near.search(form)
    assert not lex.report_words_near.search("无锡2015智慧管理排名")
