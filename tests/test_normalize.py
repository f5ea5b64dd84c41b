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
