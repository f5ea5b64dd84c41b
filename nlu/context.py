"""Conversation context: a follow-up is an edit of the previous question.

What the last answer was about is kept (its operation, cities, report, indicator,
group, list position); a follow-up replaces what it names and keeps the rest:
  那杭州呢 replaces the city · 2016年呢 the report · 它的智慧经济呢 the indicator ·
  前十呢 / 第四名呢 the position in the list · 和宁波比呢 adds a city to compare ·
  它俩 / 两个 / 两者 the previous answer's cities (or the last two asked about) · 差多少 / 谁高 turn the previous
  pair into a comparison · 它包括哪些城市 after a group's answer means that group ·
  舟山 alone continues the previous operation for 舟山 · 第十三名是谁 (a list question
  naming no report, year or indicator) reads the list of the previous answer.
A question that names everything it needs starts afresh.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from nlu.frame import Frame, Mention
from nlu.rules import MEAN_WORDS, RANK_WORDS, TIER_WORDS, VERSUS_PLACE, WHOLE_WORDS
from store.catalogue import REPORTS

NEEDS_ENTITY = {"rank", "lookup", "compare", "profile", "trend"}
SET_NODES = {"Members", "Where", "Top", "Count", "Nth"}  # answers that were a set of cities
CARRY_INTENTS = {"rank", "lookup", "region_avg", "top", "filter", "compare"}  # carry the report, year, indicator
GROUP_INTENTS = {"region_avg", "tier", "top", "filter"}  # intents a bare group name (「华南呢」「先锋呢」) can continue
IN_PLACE = re.compile(r"在□+(?:省|市)?(?:的|那|这|所有|全部)?(?:几个|些|各)?(?:参评|入评|入选|被评)?的?(?:城市|地市|地级市|市|区县|区|县)?"
                      r"(?:里|中|内|当中|里面)?"
                      r".{0,3}?(?:排|的排名|排名|第几|能排|算第|位列|位居|名次)|"
                      r"□+(?:省|市)?的?(?:城市|地市|地级市|区县|县市|市辖区|区|县)?(?:里|中|内|当中|里面)(?:它|该市|这个城市)?"
                      r".{0,3}?(?:排|名次|第几)")  # 浙江的县市里它排第几
_PROVINCE_RANK = re.compile(r"□+(?:省|市)?(?:里|内|中)?(?:排|排名|排在)?(?:第几|多少|几|第多少)(?:名|位)?(?:呢|啊)?[?？]?")
BARE_REPLY = re.compile(r"(?:那|是|要)?□+(?:市|省|区|县)?(?:的)?(?:那个|那一个|这个|那边)?(?:的)?(?:呢|吧|啊)?[?？]?")  # 南通的那个
THESE = re.compile(r"它们|他们|这些|这几个")  # the cities the last list showed
ANOTHER = re.compile(r"另一个|另外一个|另外那个|另一|另外的|别的那个|不是这个")
WITHIN_LAST = re.compile(r"其中|这里面|这里头|这些(?:城市)?(?:里|中|当中)|这几个(?:城市)?(?:里|中|当中)|上面(?:的|这些|那些)|名单里|榜上|里面有")
THIS_TABLE = re.compile(r"这个榜|这榜|该榜|这份榜|这个榜单|这个排名|这张表|这个表|该表|这个排行")
_VERSUS_PLACE_RE = re.compile(VERSUS_PLACE)
STARTS_AS_FOLLOW_UP = re.compile(r"^(?:那|那么|那个)\S*?呢[?？]?$|^(?:那|那么)")  # 那第二名呢: edits a question before
ADDING = re.compile(r"^(?:那|那么)?(?:再)?(?:加上|加入|算上|添上|补上|再加)")  # 再加上X: the cities before, and X
WHOLE_COUNTRY = re.compile(WHOLE_WORDS + r"|全体|全样本")  # 全国平均呢: every city, the group dropped
END_OF_LAST = re.compile(r"(?:(最高|最好|最强|第一|排第一|分最高|最靠前)|(?:最低|最差|最弱|垫底|倒数第一|分最低|最靠后))"
                         r"的(?:那个|那座|那一个|那位|那家)(?:城市|地方)?")  # 最高的那个: an end of the last answer
CHANGE_WORDS = r"涨了|降了|升了|跌了|进步|退步|变化|变动|起伏|咋变|怎么变|如何变|变了|提高了|下降了|上升了|增加了|减少了|多了多少|少了多少"
_LIST_ASKED = re.compile(r"哪些|哪个|哪几|谁|前|榜单|名单|top|最|倒数|第|有几|多少个|平均")
VERSUS_NAMED = re.compile(r"比□+.{0,6}(?:高|低|强|弱|好|差|靠前|靠后|多|少)|[跟和与同]□+(?:比|对比|相比|比较)|"
                          r"(?:对比|比较|vs|pk)□+|□+(?:呢)?(?:谁高|谁强|谁好|哪个高|哪个强)")
COMPARE_ASKED = re.compile(r"差多少|差距|相差|高多少|低多少|差几|差了|谁(?:的)?.{0,10}(?:高|强|好|低|差|领先|靠前)|"
                           r"哪个.{0,10}(?:高|强|好|低|差|靠前)|对比|比较|比一比|pk|vs")


@dataclass
class Context:
    """What the previous answer in a chat was about (set by the answer engine)."""

    intent: str | None = None
    entities: list[str] = field(default_factory=list)  # the cities the answer was about
    focus: list[str] = field(default_factory=list)  # what "它" now means (the answer's subject or result)
    years: list[int] = field(default_factory=list)
    report_keys: list[str] = field(default_factory=list)
    indicators: list[tuple[str, list[str]]] = field(default_factory=list)
    total: bool = False
    groups: list[tuple[str, str]] = field(default_factory=list)
    n: int | None = None
    position: int | None = None
    bottom: bool = False
    builds: str | None = None  # the query node of the previous question
    meta: str | None = None
    recent: list[str] = field(default_factory=list)  # cities of the last few turns, newest first (「两个」 after 无锡 → 苏州呢)
    recent_years: list[int] = field(default_factory=list)  # years of the last few turns (「涨了多少」 after 2015 → 2016)
    table: list[str] = field(default_factory=list)  # [report, scope] of the one table the last answer read
    ties: list[str] = field(default_factory=list)  # the cities the last answer's city shares its place with
    pending: list[str] = field(default_factory=list)  # candidates of a name the last answer asked about (吉林省 / 吉林市)
    pending_surface: str = ""
    pending_kinds: list[str] = field(default_factory=list)  # the candidates' kinds (province, city …), same order
    pending_parents: list[str] = field(default_factory=list)  # each candidate's city (or province), same order
    alternatives: list[str] = field(default_factory=list)  # the candidates a settled clarify left (另一个呢)
    alternative_parents: list[str] = field(default_factory=list)
    position_last: int | None = None  # the last place of a range the last answer listed (第11–15名)
    recent_indicators: list = field(default_factory=list)  # indicators of the last few turns, newest first (两者差多少)
    recent_groups: list = field(default_factory=list)  # groups of the last few turns' means, newest first (长三角 → 京津冀呢 → 差多少)
    filters: list = field(default_factory=list)  # the filters of the last list answered (province:广西 of 前100名里广西的)
    group_kinds: list = field(default_factory=list)  # 各省 / 哪个地区: the kind of group the last answer ranked
    members: list[str] = field(default_factory=list)  # the cities the last list showed, first ten (它们的智慧人群)
    bounds: list = field(default_factory=list)  # [low, high, low_inclusive, high_inclusive] of the last list's condition
    within: list = field(default_factory=list)  # the list the last list was taken inside (其中…): Frame.within

    def remember(self, before: Context | None, keep: int = 4) -> Context:
        """Carry the cities talked about in earlier turns into this turn's context."""
        earlier = (before.recent or before.entities + before.focus) if before else []
        self.recent = list(dict.fromkeys(self.entities + self.focus + self.ties + list(earlier)))[:keep]
        years = (before.recent_years or before.years) if before else []
        self.recent_years = list(dict.fromkeys(self.years + list(years)))[:keep]
        if self.intent == "region_avg":
            mine = [list(g) for g in self.groups[:1]]
            self.recent_groups = (mine + [g for g in (before.recent_groups if before else []) if g not in mine])[:keep]
        if before and not self.members and before.members and self.focus and set(self.focus) <= set(before.members):
            self.members = list(before.members)  # 最高的那个是几线 → 最差的那个呢: still the cities compared
        seen = [list(i) for i in self.indicators[:1]] + [list(i) for i in (before.recent_indicators if before else [])]
        self.recent_indicators = [i for n, i in enumerate(seen) if i[0] not in [j[0] for j in seen[:n]]][:keep]
        return self

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}

    @classmethod
    def from_dict(cls, data: dict | None) -> Context | None:
        if not isinstance(data, dict) or not data:
            return None
        ctx = cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})
        ctx.groups = [tuple(g) for g in ctx.groups]  # a row of another shape raises: the caller moves it aside
        ctx.indicators = [(s, list(c)) for s, c in ctx.indicators]
        ctx.recent_indicators = [[s, list(c)] for s, c in ctx.recent_indicators]
        ctx.recent_groups = [list(g) for g in ctx.recent_groups]
        ctx.filters = [tuple(g) for g in ctx.filters]
        if ctx.within:
            ctx.within = [ctx.within[0], ctx.within[1], tuple(tuple(g) for g in ctx.within[2]), *ctx.within[3:]]
        return ctx


def own_operation(words: str) -> str | None:
    """The operation a follow-up's own words ask for, when they ask for one: rank or value."""
    if re.search(CHANGE_WORDS, words):
        return "trend"
    if re.search(RANK_WORDS, words):
        return "rank"
    if re.search(r"多少分|得分|几分|分数|评分|多少|总分|score", words):
        return "lookup"
    return None


PICK_BY_KIND = (("省", ("province",)), ("区|县", ("district", "county")), ("市|城市", ("city", "municipality", "prefecture")))
PICK_BY_ORDER = (("第一个|前一个|前者|头一个", 0), ("第二个|后一个|后者", 1), ("第三个", 2))


def _pick(ctx: Context, words: str) -> list[str]:
    """The candidates a reply to a clarify leaves: 省那个 → the province, 第二个 → the second; else all."""
    for pattern, index in PICK_BY_ORDER:
        if re.search(pattern, words) and index < len(ctx.pending):
            return [ctx.pending[index]]
    kinds = ctx.pending_kinds if len(ctx.pending_kinds) == len(ctx.pending) else []
    for pattern, wanted in PICK_BY_KIND:
        chosen = [c for c, k in zip(ctx.pending, kinds) if k in wanted]
        if re.search(pattern, words) and len(chosen) == 1:
            return chosen
    return list(ctx.pending)


def _keep_report(frame: Frame, ctx: Context, indicator: bool = True) -> None:
    """The follow-up keeps the last answer's years and reports (and indicator) where it names none of its own."""
    frame.years, frame.report_keys = frame.years or list(ctx.years), frame.report_keys or list(ctx.report_keys)
    if indicator:
        frame.indicators, frame.total = frame.indicators or list(ctx.indicators), frame.total or ctx.total


def _left_over(frame: Frame, ctx: Context) -> None:
    """The candidates a reply to a clarify did not pick, kept for 另一个呢."""
    chosen = frame.mentions[0].candidates if frame.mentions else []
    if len(chosen) == 1:
        kept = [(c, p) for c, p in zip(ctx.pending, ctx.pending_parents or [""] * len(ctx.pending)) if c not in chosen]
        frame.alternatives = [c for c, _ in kept]
        frame.alternative_parents = [p for _, p in kept]


def _is_provincial(m: Mention) -> bool:
    """A province-level name (ids are the national administrative codes: provinces and municipalities end in 0000)."""
    return len(m.candidates) == 1 and m.candidates[0].endswith("0000")


def _entity_mentions(ids: list[str]) -> list[Mention]:
    return [Mention("", -1, -1, [i], "context") for i in ids]


def _continue(frame: Frame, intent: str, builds: str | None = None, meta: str | None = None) -> None:
    """The follow-up takes another operation than its own words suggested."""
    frame.intent, frame.builds, frame.weak_intent = intent, builds, False
    if meta is not None:
        frame.meta = meta


def _two_means(frame: Frame, ctx: Context, indicator: bool = True) -> Frame:
    """A follow-up read as the difference of two means (its groups or indicators already set), in the last answer's
    report (and indicator, unless the two are indicators)."""
    _keep_report(frame, ctx, indicator=indicator)
    _continue(frame, "region_avg", "Mean")
    frame.follow_up = frame.difference = True
    return frame


def apply(frame: Frame, ctx: Context | None) -> Frame:
    """Fill what a follow-up leaves out from the previous turn; leave complete questions alone."""
    if ctx is None and frame.builds in ("Nth", "Top") and STARTS_AS_FOLLOW_UP.match(frame.words) and not (
            frame.mentions or frame.years or frame.report_keys or frame.indicators or frame.total or frame.groups):
        frame.builds, frame.intent, frame.meta = "Unclear", "unknown", "which"  # 那第二名呢, nothing before: of what?
        return frame
    if ctx is None or frame.problem or frame.builds == "SmallTalk":
        return frame
    if ctx.alternatives and not ctx.pending and (ANOTHER.search(frame.words) or BARE_REPLY.fullmatch(frame.words) and any(
            m.candidates[0] in ctx.alternative_parents for m in frame.mentions if len(m.candidates) == 1)):
        ctx = replace(ctx, pending=list(ctx.alternatives), pending_parents=list(ctx.alternative_parents),
                      pending_kinds=[])  # 北京的 → 南通的那个呢 / 另一个呢: the other candidate of that name
    frame = _apply(frame, ctx)
    return frame


def _apply(frame: Frame, ctx: Context) -> Frame:
    if frame.builds == "Mean" and not (frame.groups or frame.mentions) and ctx.groups \
            and not WHOLE_COUNTRY.search(frame.words):  # 加权得分多少 after a group (全国平均呢: every city)
        frame.groups, frame.follow_up = list(ctx.groups), True
    if frame.rule == "bare_rank" and (ctx.entities or ctx.focus or ctx.groups):  # 排第几: of what was just asked
        frame.builds = frame.intent = frame.meta = None
        frame.follow_up = True
    if re.fullmatch(r"(?:一共|总共|共|那)?(?:有)?(?:几个|多少个)(?:呢|啊)?[?？]?", frame.words) and ctx.builds in SET_NODES:
        _continue(frame, "filter", "Count")  # 一共几个: how many the last list had
        frame.groups = list(ctx.groups)
        frame.follow_up = True
        if ctx.filters:  # 前100名里广西有哪些 → 有几个: the same list, filters and all
            frame.within = (ctx.n, ctx.bottom, tuple(ctx.groups)) if ctx.n else (tuple(ctx.within) or None)
            frame.groups = list(dict.fromkeys(frame.groups + ctx.filters))
    if (WITHIN_LAST.search(frame.words) or THESE.search(frame.words)) and ctx.builds == "Members" and ctx.groups \
            and (frame.n or frame.position) and not frame.mentions:  # 江苏的探索城市 → 这几个里面数字经济最高的: that
        frame.groups = list(dict.fromkeys(frame.groups + list(ctx.groups) + list(ctx.filters)))  # group, ranked
        frame.follow_up, frame.pronoun, frame.plural = True, False, False
        if not (frame.years or frame.report_keys):
            _keep_report(frame, ctx)
        return frame
    if WITHIN_LAST.search(frame.words) and ctx.builds in SET_NODES and not frame.n and not frame.position \
            and not (frame.mentions and not all(_is_provincial(m) for m in frame.mentions)):
        frame.follow_up = True  # 其中青海的有几个 / 其中哪些在长三角: inside the list just shown, its filters kept
        if ctx.builds == "Top" and ctx.n:
            frame.within = (ctx.n, ctx.bottom, tuple(ctx.groups))
        elif ctx.builds in ("Top", "Nth") and ctx.position and ctx.position_last:  # 第11–20名 → 其中江苏的: that slice
            frame.within = (None, ctx.bottom, tuple(ctx.groups), ctx.position, ctx.position_last)
        frame.groups = list(dict.fromkeys(frame.groups + list(ctx.groups) + list(ctx.filters)))
        if ctx.bounds and frame.low is None and frame.high is None:
            frame.low, frame.high, frame.low_inclusive, frame.high_inclusive = ctx.bounds
        if frame.builds not in SET_NODES:
            _continue(frame, "filter", "Members")
        if frame.low is not None or frame.high is not None:
            _continue(frame, "filter", "Count" if frame.builds == "Count" or re.search(r"几个|多少个", frame.words)
                      else "Where")
    has_names = bool(frame.mentions) or bool(frame.unknown_places)
    inside = len(frame.mentions) == 1 and _is_provincial(frame.mentions[0]) and ctx.focus and \
        ctx.focus[0][:2] == frame.mentions[0].candidates[0][:2] and ctx.focus[0] != frame.mentions[0].candidates[0] \
        and bool(_PROVINCE_RANK.fullmatch(frame.words))  # 常州… → 江苏第几: 常州 inside 江苏 (division codes share it)
    if (IN_PLACE.search(frame.words) or inside) and len(frame.mentions) == 1 and ctx.focus:  # 合肥… → 在安徽排第几
        frame.mentions = _entity_mentions(ctx.focus[:1]) + frame.mentions
        frame.follow_up, frame.pronoun = True, False
        if frame.builds != "Rank" and re.search(RANK_WORDS, frame.words):  # 在新疆那几个城市里排老几: a rank, not a list
            _continue(frame, "rank", "Rank")
    if THIS_TABLE.search(frame.words) and ctx.table:  # 江苏有几个区进了这个榜: the table of the last answer
        report, scope = ctx.table
        frame.report_keys = frame.report_keys or [report]
        if scope not in ("全部", "附件1") and not any(g[0] == "admin_level" for g in frame.groups):
            frame.groups = frame.groups + [("admin_level", scope)]
        frame.follow_up = True
    if ctx.pending and len(frame.entity_ids) == 1 and frame.entity_ids[0] in ctx.pending:  # 吉林市的: named outright
        frame.alternatives = [c for c in ctx.pending if c != frame.entity_ids[0]]
        frame.alternative_parents = [p for c, p in zip(ctx.pending, ctx.pending_parents or [""] * len(ctx.pending))
                                     if c != frame.entity_ids[0]]
    if ctx.pending and len(frame.entity_ids) == 1 and len(ctx.pending_parents) == len(ctx.pending) \
            and frame.entity_ids[0] not in ctx.pending and BARE_REPLY.fullmatch(frame.words):
        named = frame.mentions[0]
        inside = [c for c, p in zip(ctx.pending, ctx.pending_parents) if p and p in (named.candidates[0], named.surface)]
        if len(inside) == 1:  # 通州区排第几 → 南通那个: the candidate that lies in 南通
            frame.mentions = [Mention(ctx.pending_surface, -1, -1, inside, "context")]
            frame.follow_up = True
            _left_over(frame, ctx)
    if ctx.pending and not has_names and not frame.pronoun:  # 吉林排名 → which one? → 政府网站的: the one it has
        frame.mentions = [Mention(ctx.pending_surface, -1, -1, _pick(ctx, frame.words), "context")]
        _left_over(frame, ctx)
        frame.follow_up, has_names = True, True
        if any(re.search(pattern, frame.words) for pattern, _ in PICK_BY_ORDER):  # 第二个 picks, it is no position
            frame.position = frame.n = frame.builds = frame.intent = None
    if (frame.plural or THESE.search(frame.words)) and not frame.mentions \
            and re.search(MEAN_WORDS, frame.words) and ctx.builds in SET_NODES:  # 它们平均多少分: of the list shown
        _continue(frame, "region_avg", "Mean")
        frame.mean_of_set, frame.follow_up, frame.plural = True, True, False
        frame.within = (ctx.n, ctx.bottom, tuple(ctx.groups)) if ctx.n else (tuple(ctx.within) or None)
        frame.groups = list(dict.fromkeys(list(ctx.groups) + list(ctx.filters)))
        _keep_report(frame, ctx)
        return frame
    if frame.pronoun and not frame.mentions and not frame.indicators and ctx.intent == "meta" and ctx.indicators \
            and not ctx.entities:  # 智慧基础设施包括哪些 → 它的权重呢: 它 is that indicator
        meta = "weight" if re.search(r"权重|占比|分值|满分|几分", frame.words) else (
            "contains" if re.search(r"包括|包含|含有|有哪些|由什么|什么意思|指什么|考察", frame.words) else None)
        if meta:
            frame.indicators, frame.pronoun, frame.follow_up = [(s, list(c)) for s, c in ctx.indicators], False, True
            _keep_report(frame, ctx, indicator=False)
            _continue(frame, "meta", "Meta", meta)
            return frame
    if frame.builds == "Compare" and frame.position and not has_names and not frame.plural and ctx.focus \
            and _VERSUS_PLACE_RE.search(frame.words):  # 比第一名低多少 after a city: that city against the place
        frame.mentions, frame.pronoun, frame.follow_up = _entity_mentions(ctx.focus[:1]), False, True
        _keep_report(frame, ctx)
        if not frame.groups:
            frame.groups = list(ctx.groups)
        return frame
    if has_names and ADDING.search(frame.words) and ctx.entities and not frame.n:  # 再加上市北区，三个里谁最低
        added = [e for e in frame.entity_ids if e not in ctx.entities]
        if added:
            frame.mentions = _entity_mentions(list(ctx.entities) + added)
            frame.position = None
            frame.bottom = False
            frame.follow_up = True
            _keep_report(frame, ctx)
            _continue(frame, "compare", "Compare")
            return frame
    if not has_names and not frame.pronoun and not frame.plural and ctx.intent == "compare" and len(ctx.entities) >= 2 \
            and frame.follow_up and frame.builds in ("Value", "Rank", None) and not frame.n and not frame.position:
        frame.mentions = _entity_mentions(ctx.entities)  # 换成2015年的总分呢 after a comparison: the same comparison
        _continue(frame, "compare", "Compare")
        has_names = True
    end = END_OF_LAST.search(frame.words)
    if end and not has_names and not frame.pronoun and len(ctx.members) >= 2:  # 最高的那个是几线城市: that city
        best_first = ctx.members if not ctx.bottom else ctx.members[::-1]
        frame.mentions = _entity_mentions([best_first[0] if end[1] else best_first[-1]])
        frame.position = frame.n = None
        frame.bottom, frame.follow_up = False, True
        _keep_report(frame, ctx)
        _continue(frame, "tier" if re.search(TIER_WORDS, frame.words) else own_operation(frame.words) or "rank")
        return frame
    asks_compare = bool(COMPARE_ASKED.search(frame.words))
    if asks_compare and not frame.mentions and not frame.plural and ctx.focus and frame.groups \
            and re.search(MEAN_WORDS, frame.words) and ctx.intent != "region_avg":  # 柯桥区多少分 → 比市辖区平均分高多少
        frame.mentions, frame.follow_up = _entity_mentions(ctx.focus[:1]), True
        _continue(frame, "region_avg", "Mean")
        asks_compare = False
    if re.match(r"(?:那|那么)?(?:它|这个|这)?比", frame.words) and not frame.mentions and ctx.intent == "region_avg" \
            and (frame.difference or asks_compare) and not ctx.entities:  # 创新能力建设平均 → 比网络基础低多少
        if len(frame.indicators) == 1 and not frame.groups and ctx.indicators and ctx.indicators[0] != frame.indicators[0]:
            frame.indicators = [tuple(ctx.indicators[0]), frame.indicators[0]]
            frame.groups = list(ctx.groups)
        elif len(frame.groups) == 1 and not frame.indicators and ctx.groups and tuple(ctx.groups[0]) != frame.groups[0]:
            frame.groups = [tuple(ctx.groups[0]), frame.groups[0]]
            frame.indicators = [(s, list(c)) for s, c in ctx.indicators]
        if len(frame.indicators) == 2 or len(frame.groups) == 2:
            frame.pronoun = False
            return _two_means(frame, ctx, indicator=False)
    if frame.pronoun and not frame.mentions and (frame.difference or asks_compare) and ctx.intent == "region_avg" \
            and len(frame.groups) == 1 and ctx.groups and not ctx.entities and ctx.groups[0] not in frame.groups:
        frame.groups = frame.groups + [tuple(ctx.groups[0])]  # 京津冀平均指数 → 珠三角比它高多少: the two means
        frame.pronoun = False
        return _two_means(frame, ctx)
    if (frame.plural or frame.difference) and not frame.mentions and ctx.intent == "region_avg" and not frame.groups \
            and len(ctx.recent_groups) >= 2 and ctx.recent_groups[0][0] == ctx.recent_groups[1][0] and not ctx.entities:
        frame.groups = [tuple(g) for g in ctx.recent_groups[:2]][::-1]  # 长三角加权得分 → 京津冀呢 → 差多少
        return _two_means(frame, ctx)
    if (frame.plural or asks_compare) and not frame.mentions and ctx.intent == "region_avg" and not frame.indicators \
            and len(ctx.recent_indicators) >= 2 and not ctx.entities:  # 物联网平均 → 云计算呢 → 两者差了多少
        frame.indicators = [(s, list(c)) for s, c in ctx.recent_indicators[:2]][::-1]
        return _two_means(frame, ctx, indicator=False)
    many = 4 if re.search(r"这四个|四个城市|四者", frame.words) else 3 if re.search(r"这三个|三个城市|三座|三者|仨", frame.words) else 2
    pair = ctx.entities if len(ctx.entities) >= many else ctx.recent[:many]  # 这三个里谁最高: the last three asked
    if THESE.search(frame.words) and len(ctx.members) >= 2:
        pair = ctx.members  # 前三 → 它们的智慧人群分别多少: every city the list showed
    elif len(ctx.entities) < many and len(ctx.members) >= many and ctx.builds in SET_NODES:
        pair = ctx.members[:many]  # 数字经济前五 → 它俩谁高: the first two of the list
    if not has_names and (frame.plural or asks_compare) and len(pair) >= 2:
        frame.mentions = _entity_mentions(pair)  # 它俩 / 差多少 / 谁的数据开放指数高: the previous pair
        frame.pronoun, frame.follow_up = False, True
        if ctx.intent == "region_avg" and all(_is_provincial(m) for m in frame.mentions):
            _continue(frame, "region_avg", "Mean")  # 浙江平均分 → 江西呢 → 两个差多少: the two means
        elif frame.intent in (None, "rank", "lookup", "compare", "top") or frame.weak_intent:
            _continue(frame, "compare")
        frame.difference = frame.difference or asks_compare and "差" in frame.words
        has_names = True
    if frame.pronoun and not frame.mentions and ctx.groups and not ctx.focus:
        frame.groups, frame.pronoun, frame.follow_up = list(ctx.groups), False, True  # 它包括哪些城市 (珠三角)
        if frame.intent in (None, "rank", "lookup") or frame.weak_intent:
            _continue(frame, "meta", "Members", "members")
    if frame.step and not has_names and ctx.position:  # 第六名 → 下一个呢: the next place (上一个: the one before)
        frame.position, frame.position_last, frame.bottom = max(1, ctx.position + frame.more), None, ctx.bottom
        _continue(frame, "top", "Nth")
        frame.follow_up = True
    elif frame.more is not None and not has_names and not frame.step:  # 再往后几名: the places after the list shown
        shown = ctx.position_last or (ctx.n if ctx.position is None else ctx.position)
        if shown:
            count = frame.more or (ctx.n if ctx.position is None and ctx.n else 5)
            frame.position, frame.position_last, frame.bottom = shown + 1, shown + count, ctx.bottom
            _continue(frame, "top", "Nth")
            frame.follow_up = True
    if not has_names and not frame.pronoun and ctx.focus and ctx.intent in NEEDS_ENTITY | {"tier"} \
            and frame.builds in ("Top", "Nth", None) and not (frame.n or frame.position or frame.groups) \
            and not _LIST_ASKED.search(frame.words) and (frame.follow_up or frame.report_keys or frame.years
                                                         or re.search(CHANGE_WORDS, frame.words)):
        _continue(frame, own_operation(frame.words) or ctx.intent)  # 数字经济那个排名呢 after 芜湖: 芜湖's, not a list
        frame.follow_up = True
    named_versus = len(frame.mentions) == 1 and ctx.focus and VERSUS_NAMED.search(frame.words) \
        and frame.mentions[0].candidates[0] not in ctx.focus
    if named_versus:  # 比襄阳高吗 / 跟石家庄比呢 after 宜昌: the two compared
        _continue(frame, "compare")
        frame.follow_up = True
    has_slots = has_names or frame.years or frame.indicators or frame.total or frame.groups or frame.report_keys \
        or frame.n or frame.position or frame.pronoun or frame.follow_up or bool(re.search(CHANGE_WORDS, frame.words)) \
        or bool(own_operation(frame.words) and (ctx.focus or ctx.entities) and frame.rule is None) \
        or (frame.intent == "tier" and not frame.groups and bool(ctx.focus))  # 具体多少分 / 几线城市
    if not has_slots:  # "hello", "谢谢": nothing to carry over
        return frame
    only_names = has_names and not (frame.indicators or frame.total or frame.groups or frame.n or frame.position) \
        and not re.sub(r"[□\s]", "", frame.words.replace("呢", "").replace("那", "").replace("的", ""))
    carry = (frame.intent in CARRY_INTENTS or frame.builds in ("Members", "Count")) \
        and not (frame.years or frame.report_keys or frame.indicators or frame.total) \
        and bool(ctx.years or ctx.report_keys or ctx.indicators)  # 嘉兴排第几 after a list: in that list's table
    missing_entity = not has_names and (frame.pronoun or frame.intent in NEEDS_ENTITY
                                        or frame.intent == "tier" and not frame.groups and bool(ctx.focus))  # 几线城市
    unnamed_list = frame.builds in ("Top", "Nth", "Where", "Count") and not (
        frame.years or frame.report_keys or frame.indicators or frame.total or frame.groups)  # 第十三名是谁: of that list
    follow = frame.follow_up or missing_entity or frame.intent is None or only_names or unnamed_list or carry
    if not follow:
        return frame
    if frame.intent is None or frame.weak_intent:
        if frame.n or frame.position:
            _continue(frame, "top")
        elif own_operation(frame.words) and (has_names or ctx.entities or ctx.focus):
            _continue(frame, own_operation(frame.words))  # 总分排第几 / 其中信息服务业多少分: the words say which
        elif frame.pronoun and not has_names and ctx.focus and ctx.builds in SET_NODES:
            _continue(frame, "lookup")  # 它的创新案例指数 after 第七名呢: that city's own figure, not the list again
        elif ctx.intent and (has_names or not frame.groups or ctx.intent in GROUP_INTENTS
                             or (ctx.focus and all(g[0] in ("admin_level", "region") for g in frame.groups))):
            keep_builds = ctx.builds if ctx.builds not in ("Members", "Count", "Where", "Top", "Nth") or not has_names else None
            _continue(frame, ctx.intent, keep_builds if ctx.intent != "meta" else ctx.builds, ctx.meta)
            if frame.intent == "filter" and frame.builds in (None, "Where", "Count") and ctx.bounds \
                    and frame.low is None and frame.high is None \
                    and not frame.full_marks:  # 70分以上的城市 → 江苏的城市呢: the same condition
                frame.low, frame.high, frame.low_inclusive, frame.high_inclusive = ctx.bounds
            provinces_cities = frame.mentions and all(_is_provincial(m) for m in frame.mentions) \
                and "城市" in frame.words  # 浙江的城市呢 after a list: the list, in that province
            if ctx.intent in ("top", "filter", "meta") and has_names and not frame.plural and not provinces_cities:
                _continue(frame, "rank")  # a city after a list: its own rank
        elif frame.intent is None and has_names:
            _continue(frame, "rank")
    if frame.intent == "trend" and ctx.intent == "trend" and (frame.years or frame.report_keys) \
            and not re.search(CHANGE_WORDS + "|历届|历年|变化|趋势", frame.words):
        _continue(frame, "rank")  # 宁波历届排名 → 2016年呢 / 数字经济呢: the figure of that year or report
    if frame.intent == "tier" and frame.report_keys and not frame.groups and not any(
            REPORTS[k].tier_kind for k in frame.report_keys if k in REPORTS) and "smart" not in frame.report_keys:
        _continue(frame, "rank")  # 几线城市 → 政府网站呢: that report has no tiers, its rank is the answer
    if frame.intent == "compare" and len(frame.mentions) == 1 and ctx.focus:
        frame.mentions = _entity_mentions([e for e in ctx.focus if e not in frame.mentions[0].candidates][:1]) + frame.mentions
    elif not has_names and (frame.pronoun or frame.intent in NEEDS_ENTITY or frame.intent == "tier" and not frame.groups):
        frame.mentions = _entity_mentions(ctx.focus if frame.pronoun or frame.intent != "compare" else ctx.entities)
    if frame.intent == "trend" and not frame.years and len(set(ctx.recent_years)) >= 2 and not has_names:
        frame.years = sorted(set(ctx.recent_years[:2]))  # 涨了多少分: between the two years just asked about
    if not frame.years and not frame.report_keys:
        frame.years = list(ctx.years)
        frame.report_keys = list(ctx.report_keys)
    if not frame.indicators and not frame.total and frame.intent != "tier" \
            and not (frame.builds == "Profile" and ctx.total):  # 总分 → 各项呢: every part, not the total's
        frame.indicators = [(s, list(c)) for s, c in ctx.indicators]
        frame.total = ctx.total
    if not has_names and ctx.builds == "GroupMeans" and frame.builds in ("Nth", "Top") and not frame.group_kinds \
            and ctx.group_kinds:  # 哪个省平均分最高 → 最低的呢: the lowest province
        frame.group_kinds, frame.builds = list(ctx.group_kinds), "GroupMeans"
    if not has_names and ctx.intent == "region_avg" and frame.intent in ("top", "filter") and ctx.entities \
            and all(e.endswith("0000") for e in ctx.entities[:1]):  # 广东的平均分 → 哪个最高: among 广东's cities
        frame.mentions = _entity_mentions(ctx.entities[:1])
    provinces_only = has_names and all(m.how != "context" and m.surface and _is_provincial(m) for m in frame.mentions)
    if not frame.groups and frame.intent in ("region_avg", "top", "filter") and not has_names:
        frame.groups = [] if WHOLE_COUNTRY.search(frame.words) else list(ctx.groups)  # 全国平均呢: no group
    elif frame.builds in SET_NODES and frame.follow_up and provinces_only:  # 其中安徽的有哪些: within the last list
        named = {g[0] for g in frame.groups}  # 那山东的领军城市呢 after 先锋: the tier named replaces the tier before
        frame.groups = list(dict.fromkeys(frame.groups + [g for g in ctx.groups if g[0] != "province" and g[0] not in named]))
    if frame.intent == "top" and frame.n is None and frame.position is None:
        frame.n, frame.position, frame.bottom = ctx.n, ctx.position, ctx.bottom
        frame.position_last = ctx.position_last
    return frame
