"""Normalisation rules, one table of surface forms per rule."""
from __future__ import annotations

import pytest

from nlu.normalize import basic, cn_to_int, find_years, mask, numbers_outside


@pytest.mark.parametrize("raw, expected", [
    ("無錫２０１５總分", "无锡2015总分"),       # traditional + full-width digits
    ("蘇州　數字經濟", "苏州数字经济"),          # ideographic space
    ("ＴＯＰ５", "top5"),                        # full-width Latin
    ("无锡，排名？！", "无锡排名"),               # punctuation, then the space between Chinese words
    ("无锡👍排名", "无锡排名"),                    # emoji
    ("数字 经济 白皮书 评了 多少 城市", "数字经济白皮书评了多少城市"),  # words typed with spaces
    ("  杭州   vs  宁波 ", "杭州 vs 宁波"),        # spaces folded
])
def test_basic(raw, expected):
    assert basic(raw) == expected


@pytest.mark.parametrize("text, years", [
    ("2015年无锡", [2015]), ("无锡2016", [2016]), ("15年南通", [2015]), ("16年太原", [2016]),
    ("二〇一五年", [2015]), ("二零一六年", [2016]), ("一五年", [2015]), ("第五届", [2015]), ("第六届", [2016]),
    ("2015到2016年", [2015, 2016]), ("15年到16年", [2015, 2016]), ("前十名", []), ("70分以上", []),
    (basic("常州14、15、16三年名次"), [2014, 2015, 2016]), (basic("无锡15，16"), [2015, 2016]),
    ("前15 20名", []), ("得分15 16分", []),  # bare numbers in a row are years unless a unit follows
])
def test_years(text, years):
    assert [y for y, _, _ in find_years(text)] == years


@pytest.mark.parametrize("word, value", [("十", 10), ("三", 3), ("二十三", 23), ("两", 2), ("31", 31), ("一百", 100)])
def test_chinese_numerals(word, value):
    assert cn_to_int(word) == value


@pytest.mark.parametrize("place", ["六安", "十堰", "三亚", "七台河", "三明"])
def test_numerals_never_touch_masked_place_names(place):
    text = f"{place}前十名"
    masked = mask(text, [(0, len(place))])
    values = [v for v, _, _ in numbers_outside(masked)]
    assert values == [10.0]


# --- the fast paths against the libraries they stand in for ------------------------------------
def test_t2s_table_matches_opencc_on_its_whole_dictionary():
    """The character table plus OpenCC for the phrases it would get wrong give exactly OpenCC's t2s."""
    from opencc import OpenCC

    from nlu.normalize import _read_pairs, to_simplified

    opencc = OpenCC("t2s")
    texts = list(_read_pairs("TSPhrases.txt")) + list(_read_pairs("TSCharacters.txt"))
    texts += ["無錫市政府網站績效評估", "陝西乾縣的數字經濟", "反覆覈對排名", "臺灣", "乾隆年間"]
    assert [t for t in texts if to_simplified(t) != opencc.convert(t)] == []


@pytest.mark.parametrize("phrase, simplified", [("乾縣", "乾县"), ("反覆", "反复"), ("一目瞭然", "一目了然")])
def test_phrases_the_character_table_misses(phrase, simplified):
    """Why OpenCC stays for phrases: the table alone gives 干县, 反覆, 一目瞭然."""
    from nlu.normalize import T2S, to_simplified

    assert phrase.translate(T2S) != simplified
    assert to_simplified(phrase) == simplified


def test_chinese_numerals_match_cn2an_smart():
    """Every word of up to three numeral characters (and a few forms beside them) reads as cn2an reads it."""
    import itertools

    cn2an = pytest.importorskip("cn2an")

    def reference(word):
        if word.isdigit():
            return int(word)
        try:
            return int(cn2an.cn2an(word.replace("两", "二"), "smart"))
        except Exception:
            return None

    alphabet = "〇零一二三四五六七八九十百两"
    words = ["".join(t) for n in (1, 2, 3) for t in itertools.product(alphabet, repeat=n)]
    words += ["一百二十三", "三百零五", "二〇一五", "九十九", "一百五", "十十", "百百十", "2.5", "-3", "12.50"]
    assert [(w, cn_to_int(w)) for w in words if cn_to_int(w) != reference(w)] == []


def test_jieba_is_imported_without_pkg_resources():
    import subprocess
    import sys
    from pathlib import Path

    code = "import sys, nlu.lexicon; print('pkg_resources' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parent.parent,
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
