"""Question → Frame: find names (longest match, no word boundaries), years,
numbers and the intent, by rules.  No model, no network.

Order matters: names are matched first and masked, so numeral conversion never
touches a place name (六安, 十堰, 七台河) and intent keywords are never read
inside one.  Words left over after that go to typo correction by pinyin.
"""
from __future__ import annotations

import re
import unicodedata

from nlu import compose, query
from nlu.frame import Frame, Mention
from nlu.lexicon import FUNCTION_WORDS, NICKNAMES, Lexicon, toneless
from nlu.normalize import MAX_CHARS, basic, cn_to_int, find_years, mask, to_simplified
from nlu.rules import NOT_PLACES, OFF_TOPIC, RANK_WORDS

MASK = "□"
CN = r"[零〇一二三四五六七八九十两百]+"
NUM = rf"(\d+(?:\.\d+)?|{CN})"
FILLER = set("的了吗呢啊吧呀哦嘛么在是和与跟及同比那它该其这个里中请问帮我查看下想知道一有没都还又再给告诉说下")
# 那年名次 / 这项排第几: the year or the indicator just asked, never a place (the context carries them over)
YEAR_REFERENCES = ("那年", "当年", "该年", "那一年")  # 那年: the last question's year (a follow-up by themselves)
ITEM_REFERENCES = ("这项", "该项", "那项", "此项", "这一项", "这个指标", "该指标")  # 这项: the last question's indicator
YEAR_OR_ITEM_REFERENCES = (*YEAR_REFERENCES, "这年", "这一年", *ITEM_REFERENCES, "那一项", "那个指标", "这个指数",
                           "那个指数", "该指数",
                           "换成", "改成", "换到", "换为", "改为", "换一下",  # 换成2015年的总分呢: an edit, no place
                           "同是", "同为", "同样是", "也是", "同属")  # 同是青岛的市南区呢
STOPWORDS = FUNCTION_WORDS | {"梯队", "排名第", "个", "其中", "里面", "当中", "之中", "这些", "那些", "这几个", "那几个", "那个", "这个",
                              "那一个", "这一个", *YEAR_OR_ITEM_REFERENCES, "上面", "具体", "到底", "究竟", "准确",
                              "大概", "大约", "现在", "目前"}
PRONOUN_RE = re.compile(r"它|该市|这个城市|这座城市|该城市|这城市|此市|他|她|那个城市|那座城市|那城市|那个市|"
                        r"(?:这个|那个|该)(?:区|县|地方)|这地方|那地方|我们市|我们这|我市|本市|咱们市|咱市|我们城市|我家乡|我老家")
PLURAL_RE = re.compile(r"它俩|它们|他俩|他们|她们|两个城市|两座城市|这两个|这俩|两者|二者|两城|两市|^两个|双方|这几个城市|这三个|这四个|三个城市|四个城市|三者|"
                       r"(?:这)?[两三](?:个|座)?(?:省|省份|区|县|地方|地)(?![a-z])")  # 这两个省 / 两地
FOLLOW_RE = re.compile(r"^(那|那么|那个|换成|再看看?|还有|和|跟|与|同|其中|里面|这里面|再往前|再往后)|呢$|呢\s|它")
ITEM_REFERENCE_RE = re.compile("|".join(ITEM_REFERENCES))
YEAR_REFERENCE_RE = re.compile("|".join(YEAR_REFERENCES))
# Token-scanning patterns, compiled once at import (the first question no longer compiles them).
_TOP_RE = re.compile(rf"(?:前|top|top\s|头)\s*{NUM}\s*(?:名|位|强|个)?|{NUM}\s*强")  # 前十 / top5 / 50强
_LAST_N_RE = re.compile(rf"(?:倒数\s*前|最后|后)\s*{NUM}\s*(?:名|位|个)?")
_LAST_N2_RE = re.compile(rf"倒数\s*(?!第){NUM}\s*(?:名|位|个|座|城市)")
_LAST_K_RE = re.compile(rf"(?:倒数|从后往前数?|从后数|倒着数|从下往上数?|从末尾数)\s*的?\s*第?\s*{NUM}?\s*(?:名|位|个)?")
_KTH_RE = re.compile(rf"(?:第|no\.?|#)\s*{NUM}\s*(?:名|位)?")
_YEAR_SPAN_RE = re.compile(r"\s*(?:到|至|~|～|—|-)\s*")  # between two years: a span, every year in it
_STEP_RE = re.compile(r"(?:^|那|再)(下|上|后|前)一(?:个|名|位)(?!城市)")
_MORE_RE = re.compile(rf"(?:再往后|往后|再往下|往下|接下来|接着往后|后面|再后面)\s*的?\s*{NUM}?\s*(?:几)?\s*(?:名|位|个)")
_RANGE_RE = re.compile(rf"第\s*{NUM}\s*(?:名|位)?\s*(?:到|至|-|~|～|—)\s*(?:第\s*{NUM}\s*(?:名|位)?|{NUM}\s*(?:名|位)?)")
_EDITION_RE = re.compile(rf"第\s*{NUM}\s*届")
_PLACES_RE = re.compile(rf"第\s*{NUM}\s*(?:名|位)?(?:(?:\s*(?:和|与|及|跟|、|,|，)\s*第?|\s+第)\s*{NUM}\s*(?:名|位)?)+"
                        r"(?!\s*届)")  # 第4和第5名 / 第10、第20名 (、 is a space by now)
_KTH_NUMBER_RE = re.compile(NUM)
_MEDAL_RE = re.compile(r"亚军|季军|榜眼|探花")
_FIRST_RE = re.compile(r"最高|最好|榜首|冠军|排名最前|最靠前|最前面|最强|头名|状元|最先进|最发达|最厉害|最牛|最领先")
_BEST_RE = re.compile(r"最智慧|最数字化")  # read on the unmasked text: 智慧 is also a report's keyword
_WORST_ENDS = ("差", "低", "弱", "靠后", "落后", "后", "后面", "末", "末尾", "垫底", "排尾", "吊车尾", "倒数")
_ENDS_N_RE = re.compile(  # 最好的三个 / 排最后的两个 / 垫底的三个 / 最前面的五个: an end of the table and how many
    rf"(?:最(好|高|强|优秀|靠前|前面|前|差|低|弱|靠后|落后|后面|后|末)|(末尾|垫底|排尾|吊车尾))的?\s*{NUM}\s*(?:个|名|座|位|家)")
_LAST_ONE_RE = re.compile(r"最后一名|倒数第一|倒数第1|垫底|最后一位|末位|最后的")
_LAST_RE = re.compile(r"最低|最差|垫底|最后一名|最弱|最末|最落后|吊车尾|末尾|排尾")
_FULL_N_RE = re.compile(rf"(?:拿满|得满|满)\s*{NUM}\s*分")
_FULL_RE = re.compile(r"满分(?!是?(?:几|多少))|拿满|得满|全满|满了")
_EQUAL_RE = re.compile(rf"(?:为|等于|=|是|得|拿到|拿了|拿|得到|获得|刚好|正好)\s*(-?)\s*{NUM}\s*分?\s*(?=的|城市|有|$|\s)")
_DEDUCTED_RE = re.compile(rf"(?:扣了?|减了?|被扣)\s*{NUM}\s*分")  # 减分项扣了2分: the printed value is -2
_NOT_DEDUCTED_RE = re.compile(r"(?:没有?|未|不|零)(?:被)?扣分")
_BETWEEN_RE = re.compile(rf"介于\s*{NUM}\s*(?:分)?\s*(?:和|与|到|至)\s*{NUM}")
_BETWEEN2_RE = re.compile(rf"{NUM}\s*(?:分|%)?\s*(?:到|至|-|~|～)\s*{NUM}\s*(?:分|%)?\s*(?:之间|区间|范围内|以内|这个区间|这一档)")
_DECIMAL_RE = re.compile(r"\d+(?:\.\d+)?")
_NUMERAL_RE = re.compile(rf"\d|{CN}")  # what every NUM begins with
_LATIN_RE = re.compile(r"[a-z]{3,}([市区县省])?")
_LETTERS_RE = re.compile(r"[a-z]+")
_PIECES_RE = re.compile(rf"[{MASK}\s\d.%]+")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]+")
_WORD_CHAR_RE = re.compile(r"[\u4e00-\u9fff\w]")
_POSITION_RE = re.compile(rf"(?:倒数|前|后|第|top|头|末尾|垫底|排尾|往前数|后数|倒着数|往上数)\s*的?\s*第?\s*{CN}\s*(?:名|位|个|强)?")
_ONE_SIDED = [(re.compile(pattern), side, inclusive) for pattern, side, inclusive in (
    (rf"{NUM}\s*(?:分|%)?\s*(?:以上|之上|及以上)", "low", True),
    (rf"(?:不低于|不少于|至少|大于等于|>=|≥)\s*{NUM}", "low", True),
    (rf"(?<!不)(?:超过|高于|大于|多于|>)\s*{NUM}", "low", False),
    (rf"(?<![超进上入通经不度])过\s*{NUM}\s*(?:分|%)?(?!\s*(?:名|届|年|个|位))", "low", False),  # 总分过40的
    (rf"{NUM}\s*(?:分|%)?\s*(?:以下|之下|及以下)", "high", True),
    (rf"(?:不高于|不超过|至多|小于等于|<=|≤)\s*{NUM}", "high", True),
    (rf"(?<!不)(?:低于|小于|少于|<|不到)\s*{NUM}", "high", False),
)]


def _scan(norm: str, lex: Lexicon) -> list[tuple[int, int, str]]:
    """Dictionary matches that cover the most text without overlapping (fewest pieces on a tie).

    No word boundaries are assumed: 青岛市南区 reads 青岛 + 市南区 (5 characters covered),
    not 青岛市 + 南区 (3), and 上海市政府网站 reads 上海市 + 政府网站.  From each position the
    pieces grow only while they are the beginning of some surface (`lex.prefixes`), so a
    position costs one or two look-ups; each position keeps its best choice, not a list.
    """
    n = len(norm)
    surfaces, prefixes, starts, max_len = lex.surfaces, lex.prefixes, lex.starts, lex.max_len
    score = [(0, 0)] * (n + 1)  # (characters covered, -pieces) from i on
    choice: list[tuple[int, str] | None] = [None] * (n + 1)
    for i in range(n - 1, -1, -1):
        if norm[i : i + 2] not in starts:  # no surface begins here: most positions
            score[i] = score[i + 1]
            continue
        best, pick = score[i + 1], None
        for end in range(i + 2, min(i + max_len, n) + 1):
            piece = norm[i:end]
            if piece in surfaces:
                covered, neg_pieces = score[end]
                option = (covered + end - i, neg_pieces - 1)
                if option >= best:  # on a tie, the leftmost (then longest) match wins
                    best, pick = option, (end, piece)
            if piece not in prefixes:
                break
        score[i], choice[i] = best, pick
    out, i = [], 0
    while i < n:
        if choice[i] is None:
            i += 1
        else:
            end, piece = choice[i]
            joined = out and out[-1][1] == i and piece[0] in _CONJUNCTIONS
            longer = [k for k in range(end + 1, min(i + 1 + max_len, n) + 1) if norm[i + 1:k] in surfaces] if joined else []
            if longer:  # 市辖区和县市: 和 joins two names here, it does not begin 和县
                end, piece = longer[-1], norm[i + 1:longer[-1]]
                out.append((i + 1, end, piece))
            else:
                out.append((i, end, piece))
            i = end
    return out


_CONJUNCTIONS = "和与及跟"


def _keyword_typos(norm: str, lex: Lexicon, frame: Frame) -> str:
    """A report's name one character off (数子经济, 政府网占): corrected before matching, and said."""
    if not lex.report_words_near.search(norm):  # nothing within one character of a report's name
        return norm
    for near in list(lex.report_words_near.finditer(norm)):  # only the stretches the pattern found are tried
        window = near[0]
        if window in lex.surfaces or not _HAN_RE.fullmatch(window):  # a report's own name (or another word)
            continue
        form = next((f for f in lex.report_words if len(f) == len(window) and f not in norm
                     and sum(a != b for a, b in zip(window, f)) == 1), None)
        if form:
            frame.corrections.append((window, form))
            norm = norm.replace(window, form, 1)
    return norm


def _numbers(frame: Frame, text: str) -> None:
    """Top-N, positions and filter bounds, read from text with names and years masked."""
    t = text
    num = _NUMERAL_RE.search(t) is not None  # the patterns reading a NUM need one: most texts have none (years masked)
    m = num and _TOP_RE.search(t)
    if m:
        frame.n = int(cn_to_int(m[1] or m[2]) or 0) or None
        rest = t[m.end():]
        if frame.n and re.search(r"[和及与、,，]|还有|以及", rest) and _LAST_ONE_RE.search(rest):
            frame.and_last = True  # 前五名和最后一名: both ends, the last read by the composer
            return _bounds(frame, t[: m.end()])
    ends = num and not m and _ENDS_N_RE.search(t)  # 最好的三个城市 / 最差的五个: a top or bottom n
    if ends:
        frame.n, frame.bottom = int(cn_to_int(ends[3]) or 0) or None, (ends[1] or ends[2]) in _WORST_ENDS
        return _bounds(frame, t)
    step = "一" in t and _STEP_RE.search(t)  # 下一个 / 上一名 (a character test first: most questions have none)
    if step:  # 下一个呢 / 上一名是谁: the place after (or before) the one just shown
        frame.more = -1 if step[1] in "上前" else 1
        frame.step = True
        return _bounds(frame, t)
    more = _MORE_RE.search(t)
    if more:  # 再往后五名: the places after the last list (read with the context)
        frame.more = int(cn_to_int(more[1]) or 0) if more[1] else 0
        return _bounds(frame, t)
    m = num and (_LAST_N_RE.search(t) or _LAST_N2_RE.search(t))
    if m:
        frame.bottom, frame.n = True, int(cn_to_int(m[1]) or 0) or None
        return _bounds(frame, t)
    m = _LAST_K_RE.search(t)
    if m:
        frame.bottom = True
        frame.position = cn_to_int(m[1]) if m[1] else 1
    else:
        span = num and _RANGE_RE.search(t)
        if span:
            first, last = int(cn_to_int(span[1]) or 0), int(cn_to_int(span[2] or span[3]) or 0)
            if 0 < first < last:
                frame.position, frame.position_last = first, last
        pair = num and not span and _PLACES_RE.search(t)
        if pair:  # 第4和第5名 / 第一、第三名: those places (two in a row are a range)
            places = [int(cn_to_int(k) or 0) for k in _KTH_NUMBER_RE.findall(pair[0])]
            places = [k for k in dict.fromkeys(places) if k > 0]
            if len(places) == 2 and places[1] == places[0] + 1:
                frame.position, frame.position_last = places
            elif len(places) >= 2:
                frame.position, frame.positions = places[0], places
        m = num and _KTH_RE.search(t)
        if m and not _EDITION_RE.search(t[m.start():m.end() + 1]) and frame.position is None:
            frame.position = int(cn_to_int(m[1]) or 0) or None
    medal = _MEDAL_RE.search(t)
    if medal and frame.position is None and frame.n is None:  # 亚军 / 季军 / 榜眼 / 探花: second, third
        frame.position = 2 if medal[0] in ("亚军", "榜眼") else 3
    if (_FIRST_RE.search(t) or _BEST_RE.search(frame.norm)) and frame.position is None and frame.n is None:
        frame.position = 1
    if _LAST_RE.search(t) and frame.n is None:
        frame.bottom, frame.position = True, 1
    _bounds(frame, t)


def _conditions(frame: Frame, text: str, measures: list[tuple[int, list[str]]]) -> None:
    """总分85以上但数据开放指数不到0.5: each indicator named with a bound of its own after it becomes a condition."""
    if len(measures) < 2 or (frame.low is None and frame.high is None):
        return
    found = []
    for (start, names), (end, _) in zip(measures, measures[1:] + [(len(text), [])]):
        part = Frame(text="")
        _bounds(part, text[start:end])
        if part.low is not None or part.high is not None:
            found.append((names, part.low, part.high, part.low_inclusive, part.high_inclusive))
    if len(found) >= 2:
        frame.conditions = found


def _bounds(frame: Frame, t: str) -> None:
    """Filter bounds: 70分以上, 超过10分, 介于60和70之间, 为0, 满分."""
    stated = _FULL_N_RE.search(t)
    if stated:  # 拿满4分: the full marks are said, the value is that
        frame.low = frame.high = _num(stated[1])
        return
    if _FULL_RE.search(t):
        frame.full_marks = True
        return
    num = _NUMERAL_RE.search(t) is not None  # as in _numbers
    equal = num and _EQUAL_RE.search(t)
    if equal:  # 为0 / 拿到4.8分 / 是-2
        frame.low = frame.high = -_num(equal[2]) if equal[1] else _num(equal[2])
        return
    deducted = num and _DEDUCTED_RE.search(t)
    if deducted or _NOT_DEDUCTED_RE.search(frame.norm):
        frame.low = frame.high = -_num(deducted[1]) if deducted else 0.0
        return
    between = num and (_BETWEEN_RE.search(t) or _BETWEEN2_RE.search(t))
    if between:
        frame.low, frame.high = sorted((_num(between[1]), _num(between[2])))
        return
    for pattern, side, inclusive in _ONE_SIDED if num else ():
        m = pattern.search(t)
        if m and getattr(frame, side) is None:
            if side == "low":
                frame.low, frame.low_inclusive = _num(m[1]), inclusive
            else:
                frame.high, frame.high_inclusive = _num(m[1]), inclusive


def _num(word: str) -> float:
    return float(word) if _DECIMAL_RE.fullmatch(word) else float(cn_to_int(word) or 0)


def _latin_names(frame: Frame, masked: str, lex: Lexicon) -> str:
    """Names typed in pinyin (wuxi, huangpuqu, huangpu区); returns the text with them masked."""
    for m in _LATIN_RE.finditer(masked):
        keys = [m[0][: len(m[0]) - 1] + toneless(m[1])] if m[1] else []
        keys.append(_LETTERS_RE.match(m[0])[0])
        for key in keys:
            found = lex.pinyin.get(key, [])
            usual = [(alias, eid) for alias, eid in found if toneless(alias) == key]  # lanzhou: 兰州, not 郴州's rare reading
            own = {eid for alias, eid in usual or found if alias in (lex.store.entity(eid).name, lex.store.entity(eid).full_name)}
            ids = sorted(own or {eid for _alias, eid in usual or found})  # huizhou: 惠州, not 黄山's former name 徽州
            if ids:
                frame.mentions.append(Mention(m[0], m.start(), m.end(), ids, "pinyin"))
                masked = masked[: m.start()] + MASK * (m.end() - m.start()) + masked[m.end():]
                break
    return masked


def _fuzzy(frame: Frame, masked: str, lex: Lexicon) -> str:
    """Typos and homophones of entity names among the words nothing else matched; returns the leftover."""
    leftover = []
    for piece in _PIECES_RE.split(masked):
        if not piece:
            continue
        found = lex.indicator_in_text(piece)  # a mistyped indicator may not survive tokenisation
        if found:
            surface, typed = found
            names = lex.indicator_names(surface)
            named = [k for k in frame.report_keys if k in lex.report_indicators]
            if not named or any(n in lex.report_indicators[k] for k in named for n in names):
                frame.indicators.append((typed, names))  # 政府网站绩效考评: no indicator of another report
            piece = piece.replace(typed, " ")
        typo = None if frame.mentions else lex.entity_in_text(piece)
        if typo:
            typed, ids = typo
            start = frame.norm.find(typed)
            frame.mentions.append(Mention(typed, start, start + len(typed), ids, "typo"))
            piece = piece.replace(typed, " ")
        words = _join_homophones(list(lex.cut(piece)), lex)  # 湘谭: cut into single characters, read as a name
        for tok in words:
            if len(tok) >= 3 and tok[-1] in "区县旗" and lex.is_county_level(tok):
                frame.unknown_places.append(tok)  # 吴中区: a district no report evaluates (its 中 is no filler)
                continue
            word = "".join(ch for ch in tok if ch not in FILLER) if len(tok) > 2 else tok
            if len(word) < 2 or word in STOPWORDS or not _HAN_RE.fullmatch(word):
                continue
            cands = []
            for alias, entity_id in lex.pinyin.get(toneless(word), []):
                if len(alias) == len(word) and any(a == b for a, b in zip(alias, word)):
                    same = sum(a == b for a, b in zip(alias, word))
                    cands.append((same, alias, entity_id))
            if cands:
                best = max(c[0] for c in cands)
                top = [c for c in cands if c[0] == best]
                top = [c for c in top if c[1] not in NICKNAMES] or top  # 卢州: 泸州 (a name) before 庐州 (合肥's nickname)
                ids = sorted({c[2] for c in top})
                start = frame.norm.find(word)
                frame.mentions.append(Mention(word, start, start + len(word), ids, "pinyin"))
            else:
                leftover.append(word)
    return " ".join(leftover)


def _join_homophones(words: list[str], lex: Lexicon) -> list[str]:
    """Runs of single characters the tokenizer left (湘 谭 在) with a window of two to four that reads like a name
    (湘谭 → 湘潭) joined into one word, longest window first; other words as they were."""
    out, i = [], 0
    while i < len(words):
        if len(words[i]) != 1:
            out.append(words[i])
            i += 1
            continue
        run_end = i
        while run_end < len(words) and len(words[run_end]) == 1:
            run_end += 1
        for size in range(min(4, run_end - i), 1, -1):
            window = "".join(words[i:i + size])
            if _HAN_RE.fullmatch(window) and _homophones(window, lex):
                out.append(window)
                i += size
                break
        else:
            out.append(words[i])
            i += 1
    return out


def _homophones(word: str, lex: Lexicon) -> bool:
    """Whether a name reads like `word` in pinyin and shares a character with it in place."""
    return any(len(alias) == len(word) and any(a == b for a, b in zip(alias, word))
               for alias, _ in lex.pinyin.get(toneless(word), []))


_INDICATOR_SHAPE_RE = re.compile(r"智慧(?!城市|化|排|得|评|的|程度|水平)[\u4e00-\u9fff]{2}")

LONG = 40  # a message of several sentences longer than this is read by its question sentence
_SENTENCE_END_RE = re.compile(r"(?<=[。！？!?；;\n])")
_QUESTION_CUE_RE = re.compile(r"[?？]|吗|多少|几|哪|什么|怎么|排名|排第|得分|分数|如何|是否")


def parse(text: str, lex: Lexicon) -> Frame:
    """Read one question; of a long message (a story ending in a question), its last question sentence."""
    text = text if isinstance(text, str) else ""
    if LONG < len(text) <= MAX_CHARS:
        sentences = [s for s in _SENTENCE_END_RE.split(text) if s.strip()]
        asked = [s for s in sentences if _QUESTION_CUE_RE.search(s)]
        if len(sentences) >= 2 and asked and len(asked[-1]) < len(text):
            frame = _parse(asked[-1], lex)
            if not frame.mentions and not frame.problem:  # 它2016年总分多少？ — the city is in the story
                story = _parse(text, lex)
                frame.mentions = story.mentions[-1:]
                frame.pronoun = frame.pronoun and not frame.mentions
            frame.text = text
            return frame
    return _parse(text, lex)


_DIFFERENCE_RE = re.compile(r"差多少|差距|相差|高多少|低多少|差几|多几分|少几分|多多少|少多少|高出|低出|差了")
_MOST_RE = re.compile(r"最多|最少")
_HIGHEST_LOWEST_RE = re.compile(r"最高|最低|最好|最差")
_ASKS_A_FIGURE_RE = re.compile(r"排名|排第|第几|名次|得分|多少|评分|指数|几线|梯队|总分|分数|成绩|得了")  # an unknown place's question


def _parse(text: str, lex: Lexicon) -> Frame:
    """Read one question."""
    frame = Frame(text=text if isinstance(text, str) else "")
    raw = frame.text
    if len(raw) > MAX_CHARS:
        frame.problem = "too_long"
        return frame
    norm = _keyword_typos(basic(raw), lex, frame)
    frame.norm = norm
    if not norm or not _WORD_CHAR_RE.search(norm):
        frame.problem = "empty"
        return frame
    spans, name_spans, measures = [], [], []
    for start, end, surface in _scan(norm, lex):
        senses = lex.senses(surface)
        kinds = {s.kind for s in senses}
        spans.append((start, end))
        if kinds & {"indicator", "total"}:
            measures.append((start, [s.value for s in senses if s.kind == "indicator"]))
        if kinds & {"entity", "place"}:
            name_spans.append((start, end))
        if "entity" in kinds:
            ids = [s.value for s in senses if s.kind == "entity"]
            how = "exact"
            frame.mentions.append(Mention(surface, start, end, ids, how))
        elif "joined" in kinds:  # 苏锡常: one mention per city of the joined word
            name_spans.append((start, end))
            for entity_id in next(s.value for s in senses if s.kind == "joined"):
                frame.mentions.append(Mention(surface, start, end, [entity_id], "joined"))
        elif "place" in kinds:
            frame.unknown_places.append(next(s.value for s in senses if s.kind == "place"))
        for s in senses:
            if s.kind == "indicator":
                if not frame.indicators or frame.indicators[-1][0] != surface:
                    frame.indicators.append((surface, []))
                frame.indicators[-1][1].append(s.value)
            elif s.kind == "total":
                frame.total = True
            elif s.kind == "kind" and s.value not in frame.group_kinds:
                frame.group_kinds.append(s.value)
            elif s.kind == "group" and "entity" not in kinds and s.value not in frame.groups:  # named twice: once
                frame.groups.append(s.value)
            elif s.kind == "report" and s.value not in frame.report_keys:
                frame.report_keys.append(s.value)
    _merge_parent_child(frame, lex)
    _exclusions(frame, norm, spans, lex)
    masked = mask(norm, spans, MASK)
    years = find_years(masked)
    frame.years = [y for y, _, _ in years]
    if len(years) == 2 and _YEAR_SPAN_RE.fullmatch(masked[years[0][2]:years[1][1]]) and 0 < years[1][0] - years[0][0] <= 6:
        frame.years = list(range(years[0][0], years[1][0] + 1))  # 第一届到第五届: every edition between
    year_spans = [(s, e) for _, s, e in years]
    masked = mask(masked, year_spans, MASK)
    words = mask(mask(norm, name_spans, MASK), year_spans, MASK)  # names and years hidden, keywords kept
    masked = _latin_names(frame, masked, lex)
    frame.pronoun = bool(PRONOUN_RE.search(masked)) and not frame.mentions
    frame.follow_up = bool(FOLLOW_RE.search(masked.strip())) or frame.pronoun \
        or bool(not frame.indicators and ("项" in masked or "指标" in masked) and ITEM_REFERENCE_RE.search(masked)) \
        or bool(not frame.years and "年" in masked and YEAR_REFERENCE_RE.search(masked))  # 这项: the last one
    _numbers(frame, masked)
    _conditions(frame, masked, measures)
    masked = _POSITION_RE.sub(lambda m: MASK * len(m[0]), masked)  # 倒数三名 is no 三明
    frame.leftover = _fuzzy(frame, masked, lex)
    _unknown_subplace(frame, lex)
    shaped = _INDICATOR_SHAPE_RE.search(norm)  # 智慧交通: shaped like an indicator no report has
    if shaped and not lex.senses(shaped[0]) and not any(shaped[0] in s or s in shaped[0] for s, _ in frame.indicators):
        frame.unknown_indicator = shaped[0]
        frame.leftover = frame.leftover.replace(shaped[0][2:], " ")
    if "智慧" in frame.leftover:  # 南京智慧排名 / 哪个城市最智慧: the smart-city reports (智慧管里 was read as a typo first)
        frame.report_keys = frame.report_keys or ["smart"]
        frame.leftover = " ".join(w for w in frame.leftover.replace("智慧", " ").split())
    frame.difference = bool(_DIFFERENCE_RE.search(words))
    frame.words = words
    if frame.indicators and frame.position is None and frame.n is None and _MOST_RE.search(words) \
            and not _HIGHEST_LOWEST_RE.search(words):  # 加分项最多: an indicator's most is its first place;
        frame.position = 1  # on a deduction (扣分最多) its lowest value; 哪个省的城市最多 names no indicator
        frame.bottom = ("最少" in words) != compose.deduction(frame.indicators[0][1], lex.store)
    frame.by_rate = "得分率" in words and (frame.low is not None or frame.high is not None)
    frame.plural = bool(PLURAL_RE.search(words))
    if frame.plural:
        frame.pronoun = frame.pronoun and bool(frame.mentions)
        frame.follow_up = True
    rule = compose.choose_rule(frame, lex.store)
    if not frame.mentions and not frame.pronoun and not frame.plural and not frame.difference and frame.leftover \
            and not (frame.groups or frame.position or frame.n) \
            and (rule is None or rule.builds not in ("Meta", "SmallTalk", "Mean", "Where", "Count", "Gains")) \
            and _ASKS_A_FIGURE_RE.search(words):
        guesses = [w for w in frame.leftover.split() if _may_be_place(w, rule)]
        frame.unknown_places = frame.unknown_places or guesses[:1]  # 伦敦排名: a place we do not know
    if frame.unknown_places and not frame.mentions:
        rule = None
    if rule is not None:
        frame.rule, frame.builds, frame.weak_intent = rule.name, rule.builds, rule.weak
        frame.intent = family(rule.builds, frame, lex.store)
        frame.meta = rule.kind or ("members" if frame.intent == "meta" and rule.builds == "Members" else None)
    elif frame.unknown_places and not frame.mentions:
        frame.intent = "tier" if re.search(r"几线|梯队", words) else (
            "rank" if re.search(RANK_WORDS, words) and not re.search(r"多少分|得分|评分", words) else "lookup")
    return frame


EXCEPT_WORDS = r"不算|除了|除去|除开|不包括|不包含|不含|排除|去掉|刨除|扣除|剔除|除"
_EXCEPT_RE = re.compile(EXCEPT_WORDS)
_JOINER_RE = re.compile(r"[和与及跟、]|以及|还有|掉|的")
_EXCEPT_PHRASE_RE = re.compile(rf"(?:{EXCEPT_WORDS})(.*?)(?=之外|以外|外|[,，。;；!?！？()（）\s]|$)")


def _exclusions(frame: Frame, norm: str, spans: list[tuple[int, int]], lex: Lexicon) -> None:
    """不算直辖市 / 除了北京上海: the groups and places named right after an excluding word leave the question's
    slots and become `frame.excluded`, so a list leaves them out."""
    if not _EXCEPT_RE.search(norm):
        return
    starts = dict(spans)
    typed = to_simplified(unicodedata.normalize("NFKC", frame.text)).lower()  # punctuation still marks the phrase's end
    phrases = [m[1] for m in _EXCEPT_PHRASE_RE.finditer(typed)]
    for m in _EXCEPT_RE.finditer(norm):
        pos = m.end()
        while True:
            while joiner := _JOINER_RE.match(norm, pos):
                pos = joiner.end()
            end = starts.get(pos)
            if end is None or not any(norm[pos:end] in phrase for phrase in phrases):
                break
            senses = lex.senses(norm[pos:end])
            group = next((x.value for x in senses if x.kind == "group" and x.value in frame.groups), None)
            mention = next((x for x in frame.mentions if x.start == pos and len(x.candidates) == 1), None)
            if group:
                frame.groups.remove(group)
                frame.excluded.append(group)
            elif mention:
                frame.mentions.remove(mention)
                frame.excluded.append(("entity", mention.candidates[0]))
            else:
                break
            pos = end


_QUESTION_END = re.compile(r"[？?；;]")
_CUE = re.compile(r"几|多少|哪|谁|什么|吗|呢|排名|排第|第[一二三四五六七八九十\d]|得分|分数|平均|前[一二三四五六七八九十\d]")


def split_questions(text: str) -> list[str]:
    """「数字经济三线城市有几个？最高分是哪个」: two or three short questions in one message; [] for one question
    (a long story ending in a question is read by its question sentence, in `parse`)."""
    if not isinstance(text, str) or len(text) > 60 or not _QUESTION_END.search(text):
        return []
    parts = [p.strip(" ，,。") for p in _QUESTION_END.split(text)]
    parts = [p for p in parts if p]
    if not 2 <= len(parts) <= 3 or not all(len(p) >= 3 and _CUE.search(p) for p in parts):
        return []
    return parts


def _may_be_place(word: str, rule) -> bool:
    """A word left unread may name a place no report holds (伦敦), unless it is what the rule read (榜单) or
    names something else people ask about (清华大学, 房价)."""
    if rule is not None and rule.words and re.fullmatch(rule.words, word):
        return False
    if word[0] in "个名位届年":  # 在201个里排第几: the count or year before it was masked
        return False
    return not any(t in word for t in OFF_TOPIC + NOT_PLACES) and word not in DEMONSTRATIVES


DEMONSTRATIVES = {"这个", "那个", "这", "那", "这里", "那里", "这儿", "那儿", "这边", "那边", "此", "该"} | set(
    YEAR_OR_ITEM_REFERENCES)


def family(builds: str, frame: Frame, store=None) -> str:
    """The contract's intent for a node kind: the node's own family; a list of a tier's members is 'tier'; the
    districts of a city on a ranking list (厦门有哪些区县上榜) are a filter of that list."""
    if builds == "Members" and any(g[0] == "tier" for g in frame.groups):
        return "tier"
    fam = getattr(query, builds).family
    if not isinstance(fam, str):  # decided by the node's children (Members): guess from the slots
        ranked = frame.n or frame.position or frame.low is not None or frame.high is not None
        return "filter" if ranked or (store is not None and compose._parents(frame, store)) else "meta"
    return fam


def _merge_parent_child(frame: Frame, lex: Lexicon) -> None:
    """深圳市南山区 → one mention of 南山区 (the one in 深圳); 福州鼓楼区 likewise.  南京鼓楼区, whose 鼓楼区 no
    report holds (the 鼓楼区 evaluated is 福州's), is a place no report evaluates, not two places."""
    merged: list[Mention] = []
    for m in frame.mentions:
        gap = frame.norm[merged[-1].end:m.start] if merged else None
        provinces = [c for c in merged[-1].candidates if lex.store.entity(c).kind == "province"] if merged else []
        inside = [c for c in m.candidates if provinces and lex.store.entity(c).kind != "province"
                  and lex.store.entity(c).province == lex.store.entity(provinces[0]).province]
        if merged and gap in ("", "的", "省", "省的") and inside:  # 新疆库尔勒 / 陕西神木: the place, its province said first
            merged[-1] = Mention(merged[-1].surface + gap + m.surface, merged[-1].start, m.end, inside, m.how)
            continue
        if merged and gap == "" and len(merged[-1].candidates) > 1 and len(m.candidates) == 1:  # 通州区（北京）, as
            under = [c for c in merged[-1].candidates if lex.store.entity(c).parent_id == m.candidates[0]]  # a clarify
            if len(under) == 1:  # lists the candidates: the name, then its city
                merged[-1] = Mention(merged[-1].surface + m.surface, merged[-1].start, m.end, under, merged[-1].how)
                continue
        if merged and gap in ("", "的", "市的") and len(merged[-1].candidates) == 1:  # 南通的通州区 too
            parent = merged[-1].candidates[0]
            under = [c for c in m.candidates if lex.store.entity(c).parent_id == parent]
            if under:
                merged[-1] = Mention(merged[-1].surface + m.surface, merged[-1].start, m.end, under, m.how)
                continue
            if _is_city(parent, lex) and all(lex.store.entity(c).kind in ("district", "county") for c in m.candidates):
                frame.unknown_places.append(merged.pop().surface + m.surface)
                continue
        merged.append(m)
    frame.mentions = merged


_SUBPLACE_RE = re.compile(r"[^\s和与及跟有哪的各里□]{0,4}?(?:园区|新区|开发区|高新区|经开区|示范区)")


_DISTRICT_AFTER_RE = re.compile(r"(?:市的|市|的)?([\u4e00-\u9fff]{1,4}?(?:区|县|旗))")


def _unknown_subplace(frame: Frame, lex: Lexicon) -> None:
    """苏州工业园区 / 苏州吴中区: a city's zone, or a district or county of it (by the official division names),
    that no report evaluates is an unknown place, not the city."""
    for m in list(frame.mentions):
        after = _DISTRICT_AFTER_RE.match(frame.norm, m.end)
        if after and len(m.candidates) == 1 and _is_city(m.candidates[0], lex) \
                and not any(o.start < after.end() and o.end > after.start(1) for o in frame.mentions if o is not m) \
                and lex.is_county_level(after[1]):
            frame.mentions.remove(m)
            frame.unknown_places = [m.surface + after[0]] + [p for p in frame.unknown_places if p != after[1]]
            frame.leftover = " ".join(w for w in frame.leftover.split() if w not in after[0])
    for m in list(frame.mentions):
        zone = _SUBPLACE_RE.match(frame.norm, m.end)
        if zone and len(m.candidates) == 1 and _is_city(m.candidates[0], lex) \
                and not any(o.start < zone.end() and o.end > zone.start() for o in frame.mentions if o is not m):
            frame.mentions.remove(m)
            frame.unknown_places.append(m.surface + zone[0])
            frame.leftover = " ".join(w for w in frame.leftover.split() if w not in zone[0])


def _is_city(entity_id: str, lex: Lexicon) -> bool:
    return lex.store.entity(entity_id).kind in ("city", "municipality", "prefecture")
