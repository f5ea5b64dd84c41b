"""Text normalisation: what a phone keyboard types → one canonical form.

Full-width → half-width (NFKC), traditional → simplified (OpenCC t2s), Latin
lower-cased, emoji and punctuation to spaces, and the number words the
questions use: years (二〇一五年, 15年, 第五届), counts (前十, top5, 第四名).
Numerals are converted only outside place names: the caller passes the spans
the gazetteer matched (六安 must not become 6安).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from opencc import OpenCC

MAX_CHARS = 500
EDITIONS = {"第一届": 2011, "第二届": 2012, "第三届": 2013, "第四届": 2014, "第五届": 2015, "第六届": 2016}
CN_DIGITS = {"〇": "0", "零": "0", "o": "0", "一": "1", "二": "2", "两": "2", "三": "3", "四": "4", "五": "5",
             "六": "6", "七": "7", "八": "8", "九": "9"}
CN_NUM = "[〇零一二三四五六七八九十百两]"
_PUNCT_RE = re.compile(r"[^\w\s.%<>=≥≤+\-~～]", re.UNICODE)
_KEEP = set("·")


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    return OpenCC("t2s")


def basic(text: str) -> str:
    """NFKC, simplified characters, lower-case Latin, punctuation and emoji → spaces, spaces folded."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _t2s().convert(text)
    text = text.lower()
    text = "".join(" " if (unicodedata.category(ch)[0] in "SPC" and ch not in "%.-+<>=~") else ch for ch in text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", text)  # 数字 经济 白皮书: typed with spaces


def cn_to_int(word: str) -> int | None:
    """一 → 1, 十 → 10, 二十三 → 23, 两 → 2; digits pass through."""
    if word.isdigit():
        return int(word)
    import cn2an  # loaded on the first Chinese numeral only

    try:
        return int(cn2an.cn2an(word.replace("两", "二"), "smart"))
    except Exception:  # cn2an rejects 第十十, 倒数第百 … in several ways: not a number, never a crash
        return None


def _year_digits(word: str) -> int | None:
    """二〇一五 / 二零一六 / 一五 → 2015 / 2016 / 2015."""
    digits = "".join(CN_DIGITS.get(c, c) for c in word)
    if not digits.isdigit():
        return None
    if len(digits) == 4:
        return int(digits)
    if len(digits) == 2:
        return 2000 + int(digits)
    return None


def find_years(text: str) -> list[tuple[int, int, int]]:
    """(year, start, end) for every year form: 2015, 2015年, 15年, 二〇一五年, 一五年, 第五届, and a bare
    15 / 16 / 20 / 21 standing between names and keywords (the caller masks those as □)."""
    found = []
    for m in re.finditer(r"第[一二三四五六]届", text):
        found.append((EDITIONS[m[0]], m.start(), m.end()))
    for m in re.finditer(r"(?<!\d)(20[0-3]\d)(?!\d)(?:\s*年)?", text):
        found.append((int(m[1]), m.start(), m.end()))
    for m in re.finditer(r"(?<![\d.])(\d{2})\s*年", text):
        year = 2000 + int(m[1])
        if 2005 <= year <= 2030:
            found.append((year, m.start(), m.end()))
    for m in re.finditer(r"(?:^|(?<=□)|(?<=□ ))(1[4-6]|2[01])(?= ?□|\s*$)", text):  # 芜湖 15 经济: a bare year
        found.append((2000 + int(m[1]), m.start(1), m.end(1)))  # between names and keywords (masked as □)
    for m in re.finditer(r"([二两][〇零o0][一二三][\d〇零一二三四五六七八九])\s*年?|(?<![\d〇零一二三四五六七八九十])([一][一二三四五六七八九〇零])\s*年", text):
        word = m[1] or m[2]
        year = _year_digits(word)
        if year and 2005 <= year <= 2030:
            found.append((year, m.start(), m.end()))
    found.sort(key=lambda t: t[1])
    out: list[tuple[int, int, int]] = []
    for y in found:  # drop overlaps
        if not out or y[1] >= out[-1][2]:
            out.append(y)
    return out


def mask(text: str, spans: list[tuple[int, int]], char: str = "□") -> str:
    """The text with the given spans replaced by placeholder characters of the same length."""
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            chars[i] = char
    return "".join(chars)


def numbers_outside(text: str) -> list[tuple[float, int, int]]:
    """Numbers written in digits or Chinese numerals, with their spans; call on masked text."""
    out = []
    for m in re.finditer(r"-?\d+(?:\.\d+)?", text):
        out.append((float(m[0]), m.start(), m.end()))
    for m in re.finditer(rf"{CN_NUM}+", text):
        value = cn_to_int(m[0])
        if value is not None:
            out.append((float(value), m.start(), m.end()))
    out.sort(key=lambda t: t[1])
    return out
