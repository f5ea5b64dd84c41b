"""Text normalisation: what a phone keyboard types → one canonical form.

Full-width → half-width (NFKC), traditional → simplified (OpenCC's t2s data), Latin
lower-cased, emoji and punctuation to spaces, and the number words the
questions use: years (二〇一五年, 15年, 第五届), counts (前十, top5, 第四名).
Numerals are converted only outside place names: the caller passes the spans
the gazetteer matched (六安 must not become 6安).

Speed: every question passes here, so traditional → simplified is one `str.translate`
with a character table built once from OpenCC's TSCharacters; OpenCC itself runs only on
text holding a character of one of the 258 TSPhrases entries that the table converts
differently (乾县, not 干县; 反复, 一目了然).  Chinese numerals are read by a port of
cn2an's "smart" mode restricted to the characters the questions' patterns let through
(importing cn2an takes 0.2–0.3 s); tests/test_normalize.py checks both against the libraries.
"""
from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache

import opencc

MAX_CHARS = 500
EDITIONS = {"第一届": 2011, "第二届": 2012, "第三届": 2013, "第四届": 2014, "第五届": 2015, "第六届": 2016}
CN_DIGITS = {"〇": "0", "零": "0", "o": "0", "一": "1", "二": "2", "两": "2", "三": "3", "四": "4", "五": "5",
             "六": "6", "七": "7", "八": "8", "九": "9"}
CN_NUM = "[〇零一二三四五六七八九十百两]"
_PUNCT_RE = re.compile(r"[^\w\s.%<>=≥≤+\-~～]", re.UNICODE)
_KEEP = set("·")
_SPACES_RE = re.compile(r"\s+")
_CJK_GAP_RE = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")
_OPENCC_DICTS = os.path.join(os.path.dirname(opencc.__file__), "dictionary")


def _read_pairs(name: str) -> dict[str, str]:
    """An OpenCC dictionary: traditional → its first simplified form."""
    with open(os.path.join(_OPENCC_DICTS, name), encoding="utf-8") as f:
        return dict((k, v.split(" ")[0]) for k, v in (line.rstrip("\n").split("\t") for line in f if "\t" in line))


def _t2s_tables() -> tuple[dict[int, str], re.Pattern]:
    """The character table, and a pattern finding the characters of the phrases it gets wrong."""
    chars = _read_pairs("TSCharacters.txt")
    table = {ord(k): v for k, v in chars.items() if len(k) == 1}
    risky = set()
    for phrase, simplified in _read_pairs("TSPhrases.txt").items():
        by_table = phrase.translate(table)
        if by_table != simplified:  # only a character that converts differently can start the phrase's match
            risky |= set(phrase) if len(by_table) != len(simplified) else \
                {c for c, a, b in zip(phrase, by_table, simplified) if a != b}
    return table, re.compile("[" + "".join(sorted(re.escape(c) for c in risky)) + "]")


T2S, _PHRASE_CHARS = _t2s_tables()


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """OpenCC t2s's result: the character table, or OpenCC where a phrase may differ."""
    if _PHRASE_CHARS.search(text):
        return _t2s().convert(text)
    return text.translate(T2S)


class _Spaces(dict):
    """str.translate table: symbols, punctuation and control characters (but %.-+<>=~) → a space.
    Filled on first sight of each character (at most 100,000 remembered)."""

    def __missing__(self, code: int) -> int | str:
        ch = chr(code)
        out = " " if unicodedata.category(ch)[0] in "SPC" and ch not in "%.-+<>=~" else code
        if len(self) < 100_000:
            self[code] = out
        return out


_SPACES = _Spaces()


# Question words typed in pinyin (xining 2016 zongfen); place names in pinyin are read later, from the lexicon.
PINYIN_WORDS = {"zongfen": "总分", "paiming": "排名", "mingci": "名次", "defen": "得分", "fenshu": "分数",
                "duoshaofen": "多少分", "duoshao": "多少", "diji": "第几", "diduoshao": "第多少", "pingjunfen": "平均分",
                "pingjun": "平均", "qianshi": "前十", "shuzijingji": "数字经济", "zhengfuwangzhan": "政府网站",
                "zhihuichengshi": "智慧城市", "jixian": "几线", "tidui": "梯队", "paiji": "排几", "paidiji": "排第几"}
_LATIN_WORD_RE = re.compile(r"[a-z]+")


def basic(text: str) -> str:
    """NFKC, simplified characters, lower-case Latin, punctuation and emoji → spaces, spaces folded, question
    words typed in pinyin → characters."""
    text = unicodedata.normalize("NFKC", text or "")
    text = to_simplified(text).lower().translate(_SPACES)
    text = _LATIN_WORD_RE.sub(lambda m: PINYIN_WORDS.get(m[0], m[0]), text)
    text = _SPACES_RE.sub(" ", text).strip()
    return _CJK_GAP_RE.sub("", text)  # 数字 经济 白皮书: typed with spaces


# --- Chinese numerals: cn2an.cn2an(word, "smart") for words of 〇零一二三四五六七八九十百 ---------------------
_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNIT = {"十": 10, "百": 100}
_D = "[一二三四五六七八九]"
_TEN = f"{_D}?十{_D}?"
_HUNDRED = f"{_D}百(?:[零〇]{_D})?|{_D}百{_D}十{_D}?"
_CN_INT_RE = re.compile(f"[零〇]|{_HUNDRED}|{_TEN}|{_D}")  # cn2an's "normal" integer pattern, below 1,000
_CN_DIGITS_RE = re.compile("[零〇一二三四五六七八九]+")
_CN_SPOKEN_RE = re.compile("(?:[零〇一二三四五六七八九]{0,2}([十百]))+[零〇一二三四五六七八九]")  # 一百五 = 150


def _cn_integer(word: str) -> int:
    """cn2an's integer reading: digits times the unit to their left, a leading unit counts itself."""
    total, unit = 0, 1
    for index, ch in enumerate(reversed(word)):
        if ch in _DIGIT:
            total += _DIGIT[ch] * unit
        else:
            unit = _UNIT[ch]
            if index == len(word) - 1:
                total += unit
    return total


def _cn2an_smart(word: str) -> int:
    """cn2an.cn2an(word, "smart") for a word of 〇零一二三四五六七八九十百; ValueError where cn2an raises."""
    word = word.replace("零十", "零一十").replace("零百", "零一百").replace("百十", "百一十")
    if _CN_INT_RE.fullmatch(word):
        return _cn_integer(word)
    if _CN_DIGITS_RE.fullmatch(word):  # 一五, 二〇一五: read digit by digit
        return int("".join(str(_DIGIT[ch]) for ch in word))
    spoken = _CN_SPOKEN_RE.fullmatch(word)
    if len(word) >= 3 and spoken and spoken[1] == "百":  # after 十 cn2an has no smaller unit to add
        return _cn_integer(word + "十")
    raise ValueError(word)


_CN_WORD_RE = re.compile("[〇零一二三四五六七八九十百两]+")
_DECIMAL_RE = re.compile(r"-?\d+(?:\.\d+)?")


def cn_to_int(word: str) -> int | None:
    """一 → 1, 十 → 10, 二十三 → 23, 两 → 2; digits pass through."""
    if word.isdigit():
        return int(word)
    if _DECIMAL_RE.fullmatch(word):  # 2.5 → 2, as cn2an reads it
        return int(float(word))
    try:
        if _CN_WORD_RE.fullmatch(word):
            return _cn2an_smart(word.replace("两", "二"))
        import cn2an  # any other word (no caller passes one): the library itself, loaded on first use

        return int(cn2an.cn2an(word.replace("两", "二"), "smart"))
    except Exception:  # 第十十, 倒数第百 …: cn2an rejects them in several ways: not a number, never a crash
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


_EDITION_RE = re.compile(r"第([一二三四五六七八九十])届")
_YEAR4_RE = re.compile(r"(?<!\d)(20[0-3]\d)(?!\d)(?:\s*年)?")
_YEAR2_RE = re.compile(r"(?<![\d.])(\d{2})\s*年")
_BARE_YEAR_RE = re.compile(r"(?:^|(?<=□)|(?<=□ ))(1[4-6]|2[01])(?= ?□|\s*$)")
_YEAR_LIST_RE = re.compile(  # 14、15、16 (、 is a space by now): two or more bare years in a row
    r"(?<![\d.])(?:1[4-6]|2[01])(?:(?:\s*[、，,和与及到至~-]\s*|\s+)(?:1[4-6]|2[01]))+(?![\d.])(?!\s*(?:名|个|分|%|强))")
_TWO_DIGITS_RE = re.compile(r"\d\d")
_DIGIT_RE = re.compile(r"\d")
_YEAR_CN_RE = re.compile(r"([二两][〇零o0][一二三][\d〇零一二三四五六七八九])\s*年?|"
                         r"(?<![\d〇零一二三四五六七八九十])([一][一二三四五六七八九〇零])\s*年")
_NUMBER_RE = re.compile(r"-?\d+(?:\.\d+)?")
_CN_NUMBER_RE = re.compile(rf"{CN_NUM}+")


def find_years(text: str) -> list[tuple[int, int, int]]:
    """(year, start, end) for every year form: 2015, 2015年, 15年, 二〇一五年, 一五年, 第五届, and a bare
    15 / 16 / 20 / 21 standing between names and keywords (the caller masks those as □)."""
    found = []
    if "届" in text:
        for m in _EDITION_RE.finditer(text):  # 第七届 is 2017: no report, and said so
            found.append((EDITIONS.get(m[0], 2010 + "一二三四五六七八九十".index(m[1]) + 1), m.start(), m.end()))
    if _DIGIT_RE.search(text):  # the digit forms need a digit: a search, not four scans, when there is none
        for m in _YEAR4_RE.finditer(text):
            found.append((int(m[1]), m.start(), m.end()))
        for m in _YEAR2_RE.finditer(text):
            year = 2000 + int(m[1])
            if 2005 <= year <= 2030:
                found.append((year, m.start(), m.end()))
        for m in _YEAR_LIST_RE.finditer(text):  # 南京14、15、16三年名次: bare years in a list
            for d in _TWO_DIGITS_RE.finditer(m[0]):
                found.append((2000 + int(d[0]), m.start() + d.start(), m.start() + d.end()))
        for m in _BARE_YEAR_RE.finditer(text):  # 芜湖 15 经济: a bare year
            found.append((2000 + int(m[1]), m.start(1), m.end(1)))  # between names and keywords (masked as □)
    if "二" in text or "两" in text or "一" in text:
        for m in _YEAR_CN_RE.finditer(text):
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
    for start, end in spans:  # a question has a few spans: slicing beats a list of characters
        if end > start:
            text = text[:start] + char * (end - start) + text[end:]
    return text


def numbers_outside(text: str) -> list[tuple[float, int, int]]:
    """Numbers written in digits or Chinese numerals, with their spans; call on masked text."""
    out = []
    for m in _NUMBER_RE.finditer(text):
        out.append((float(m[0]), m.start(), m.end()))
    for m in _CN_NUMBER_RE.finditer(text):
        value = cn_to_int(m[0])
        if value is not None:
            out.append((float(value), m.start(), m.end()))
    out.sort(key=lambda t: t[1])
    return out
