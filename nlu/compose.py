"""Tokens → query tree: pick the rule (nlu.rules), then compose the nodes (nlu.query).

`choose_rule` runs at parse time on the question alone; `build` runs after the
conversation's context has filled what a follow-up leaves out, so the tree always
describes the question as finally understood.  Composition is generic:
  - a province, tier or city cluster named in a list question becomes an InGroup
    filter inside the list (before a top-N, or after it for 「进了前30」);
  - a leaf asked about several cities with 分别/各, or about several reports,
    becomes Each over them;
  - a condition with 有几个 becomes Count over Where.
"""
from __future__ import annotations

import re
import weakref

from nlu import query as q
from nlu.frame import Frame
from nlu.normalize import cn_to_int
from nlu.query import walk as _walk
from nlu.rules import GAIN_DOWN, OFF_TOPIC, PICK_WORDS, PICK_WORST, RANK_WORDS, RULES, VERSUS_PLACE, WHOLE_WORDS, Rule
from store.catalogue import HISTORY_YEARS, REPORT_YEAR_OF_TIER, REPORT_YEARS, REPORTS

LIST_WORDS = r"排名|排行|(?<![往之以提])前|top|倒数|最高|最好|最低|最差|第一|冠军|榜首|垫底|谁|哪个城市|哪些城市|有哪些|哪个|哪几个|名单|最强|最弱|头名"
EACH_WORDS = r"分别|各自|各排|各是|各在|各为|各得|各多少|各几|各有|都排|都是|都在|两个报告|两份|各报告|两项|两个"
AFTER_TOP = (r"进了|进入|入围|跻身|挤进|进|在.{0,8}前|(?:前|倒数).{1,4}(?:里|中|内|当中|之中|里面)|强(?:里|中|内|当中|之中|里面)|"
             r"占几|占多少|占了|上榜|上了")
VERSUS_ONE = r"差|高多少|低多少|多多少|少多少|相比|对比|比较|哪个高|谁高|比.{1,10}(?:高|低)"
VERSUS_ALL = r"比全国|比整体|比平均|比总体|高于全国|低于全国|和全国比|与全国比|跟全国比"
FILTER_GROUPS = ("province", "tier", "cluster", "parent", "place_kind")
BOTH_WORDS = r"都.{0,2}(?:进|入|在|是|有|上)|同时|均进|均在|既是|又是|既在|又在|还在|仍在|也在|两年都|两届都"
COUNT_WORDS = r"有几个|(?<![哪那这])几个|多少个|有多少|数量|几座|几家|占几|占多少|占了几|占了多少"
HARMLESS = r"[说看查问找瞧聊讲][说看查问找瞧聊讲下一]*|换成|那个|这个|一下|请教|想知道|了解|关于|怎么|咋样|好吗|可以|麻烦"



# slots() runs on every question: its patterns compiled once, and the reports' totals kept per store.
_LIST_HINT_RE = re.compile(r"哪些|谁|哪个|哪几|前|top|倒数|最|第(?!几|多少)|城市|有几|多少个|名单|占几|占多少|几个|末尾|垫底|排尾")
_HARMLESS_RE = re.compile(HARMLESS)
_HIGHEST_RE = re.compile(r"最高|最好|(?<!倒数)第一名?|榜首|冠军|最强|头名|最前")
_LOWEST_RE = re.compile(r"最低|最差|最后一?名|倒数第一|垫底|最弱|末位|最末")
_CITIES_OF_RE = re.compile(r"城市|哪些|有几|几个|多少个|名单|进了|进入|入围|上榜|区县|市辖区|县市")  # the cities of provinces
_LIST_WORDS_RE = re.compile(LIST_WORDS)
_OFF_TOPIC_RE = re.compile("|".join(map(re.escape, OFF_TOPIC)))  # one search, not 42 substring tests
_EACH_RE = re.compile(EACH_WORDS)
_VERSUS_PLACE_RE = re.compile(VERSUS_PLACE)
_WHOLE_RE = re.compile(WHOLE_WORDS)
_JOINED_RE = re.compile(r"和|与|跟|及|、|还有|以及|vs|对比|比较")
_TOTALS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _totals(store) -> frozenset[str]:
    """Every report's overall indicator (总分, 数字经济指数 …); a store never changes, so made once per store."""
    try:
        found = _TOTALS.get(store)
    except TypeError:  # a store that cannot be weakly referenced: computed each time
        return frozenset(store.total_indicator(r.key) for r in store.reports())
    if found is None:
        found = _TOTALS[store] = frozenset(store.total_indicator(r.key) for r in store.reports())
    return found


def slots(frame: Frame, store) -> set[str]:
    """The slot names a rule can need or exclude, as present in the frame."""
    have = set()
    kinds = [store.entity(m.candidates[0]).kind for m in frame.mentions]
    if frame.mentions or frame.pronoun:
        have.add("entity")
    list_words = _LIST_HINT_RE.search(frame.words)
    provinces_listed = kinds and all(k == "province" for k in kinds) and _CITIES_OF_RE.search(frame.words)  # 江苏和浙江有几个城市进了前30
    if len({tuple(m.candidates) for m in frame.mentions}) >= 2 and not _province_as_scope(frame, store) \
            and not provinces_listed and not _ranked_in_province(frame, store):
        have.add("entities2")
    parents = _parents(frame, store)
    if parents:
        have.add("parent")  # 深圳有哪些区进了区县前100: the city filters its districts
        kinds = [k for m, k in zip(frame.mentions, kinds) if m.candidates[0] not in parents]
    if frame.pronoun or any(k != "province" for k in kinds) or (kinds and not list_words):
        have.add("one_city")  # a subject: a city, or a province asked about itself (浙江省政府网站排名)
    if frame.groups:
        have.add("group")
    if any(g[0] == "tier" for g in frame.groups):
        have.add("tier")
    if frame.groups or parents or (kinds and all(k == "province" for k in kinds)):
        have.add("group_or_province")
    if _kind_asked(frame, store):
        have.add("kind")
    if frame.indicators:
        have.add("indicator")
    if frame.indicators or frame.total or frame.report_keys:
        have.add("named_thing")
    if frame.indicators or frame.total:
        have.add("indicator_or_total")
    if frame.report_keys or frame.years or frame.total:
        have.add("report_or_year")
    if frame.plural:
        have.add("plural")
    if any(k != "smart" for k in frame.report_keys):
        have.add("named_report")  # a report other than the smart-city editions (2015和2016年以及数字经济: no history)
    totals = _totals(store)
    if any(c not in totals for _, cands in frame.indicators for c in cands):
        have.add("part")  # an indicator below a report's total (绩效考核情况, not 数字经济指数)
    for name, present in (("report", frame.report_keys), ("year", frame.years), ("place", frame.unknown_places),
                          ("bound", frame.low is not None or frame.high is not None or frame.full_marks), ("n", frame.n),
                          ("position", frame.position), ("pronoun", frame.pronoun), ("follow", frame.follow_up),
                          ("years2", len(set(frame.years)) >= 2)):
        if present:
            have.add(name)
    if any(len(w) >= 2 and not _HARMLESS_RE.fullmatch(w) for w in frame.leftover.split()) \
            or _OFF_TOPIC_RE.search(frame.words):
        have.add("unread")  # words about something else: 订张 机票, 明天会 下雨, 有什么好吃的
    if frame.n or frame.position or _LIST_WORDS_RE.search(frame.words):
        have.add("list_asked")
    return have


KIND_OF_GROUP = {"province": ("province",), "region": ("region",), "cluster": ("cluster", "circle"),
                 "admin_level": ("admin_level",), "tier": ("tier",)}


SUBORDINATE = r"各区|各县|各区县|各个区|各个县|每个区|每个县|下属区|哪些区|哪几个区|哪个区|哪些县|哪几个县|哪个县|区县|市辖区|县市|下辖|辖区|旗下|下属|的区|的县"


_SUBORDINATE_RE = re.compile(SUBORDINATE)
_LISTING_RE = re.compile(r"哪|前|最|有几|多少个|名单|谁|都有|排名|排行|榜")


def _parents(frame: Frame, store, listing: bool = True) -> list[str]:
    """Cities named as the parent of the districts or counties a list (or mean) question is about."""
    if not _SUBORDINATE_RE.search(frame.words):
        return []
    if listing and not _LISTING_RE.search(frame.words):
        return []
    return [m.candidates[0] for m in frame.mentions if len(m.candidates) == 1
            and store.entity(m.candidates[0]).kind in ("city", "municipality")]


def _province_as_scope(frame: Frame, store) -> tuple[str, str] | None:
    """合肥在安徽排第几 / 福田区在深圳排第几: a place and the province or city it lies in — the group it is
    ranked in (province, or parent for a city's districts)."""
    ids = list(dict.fromkeys(m.candidates[0] for m in frame.mentions if len(m.candidates) == 1))
    if len(ids) != 2:
        return None
    for outer, inner in (ids, ids[::-1]):
        o, i = store.entity(outer), store.entity(inner)
        if o.kind == "province" and i.kind != "province" and i.province == o.province:
            return "province", o.province
        if i.parent_id == outer:
            return "parent", outer
    return None


def _ranked_in_province(frame: Frame, store) -> bool:
    """杭州在江苏排第几: a city ranked in a province (its own or not), not two places compared."""
    ids = list(dict.fromkeys(m.candidates[0] for m in frame.mentions if len(m.candidates) == 1))
    kinds = sorted(store.entity(e).kind == "province" for e in ids)
    return len(ids) == 2 and kinds == [False, True] and "在" in frame.words and bool(re.search(RANK_WORDS, frame.words))


def _kind_asked(frame: Frame, store) -> str | None:
    """各省 / 哪个地区 / 城市群 asked as a whole: no group of that kind is named (长三角城市群 names one)."""
    for kind in frame.group_kinds:
        named = [g for g in frame.groups if g[0] in KIND_OF_GROUP[kind] and g != ("admin_level", "省/自治区")]
        if kind == "province":
            named += [m for m in frame.mentions if store.entity(m.candidates[0]).kind == "province"]
        if not named:
            return kind
    return None


_FITTING: dict[frozenset[str], tuple[Rule, ...]] = {}  # the rules whose slots fit, per set of slots present
_CHOSEN: dict[tuple[frozenset[str], str], Rule | None] = {}  # the rule chosen, per (slots present, words)


def choose_rule(frame: Frame, store) -> Rule | None:
    """The first rule whose slots and words match the question.  Which rules the slots fit is kept per
    set of slots (questions have a few hundred different ones), and the rule chosen per slots and
    words (names and years masked, the 33,778 benchmark questions have 1,300 different pairs)."""
    have = frozenset(slots(frame, store))
    key = (have, frame.words)
    if key in _CHOSEN:
        return _CHOSEN[key]
    fitting = _FITTING.get(have)
    if fitting is None:
        if len(_FITTING) >= 10_000:
            _FITTING.clear()
        fitting = _FITTING[have] = tuple(rule for rule in RULES if rule.fits(have))
    if len(_CHOSEN) >= 10_000:
        _CHOSEN.clear()
    chosen = _CHOSEN[key] = next((rule for rule in fitting if rule.reads(frame.words)), None)
    return chosen


NODE_OF_INTENT = {"rank": "Rank", "lookup": "Value", "compare": "Compare", "region_avg": "Mean", "profile": "Profile",
                  "trend": "Change", "tier": "Tier", "filter": "Where", "top": "Top", "meta": "Meta", "unknown": "Unclear"}


def _tier_year(frame: Frame) -> None:
    """2021年的领军城市在数字经济里: the year belongs to the tier (its report's), the table to the report named."""
    tier_years = {REPORT_YEAR_OF_TIER[g[1]] for g in frame.groups if g[0] == "tier" and g[1] in REPORT_YEAR_OF_TIER}
    named = [k for k in frame.report_keys if k != "smart"]
    if named and frame.years and set(frame.years) <= tier_years:
        frame.years = []


def ask_of(frame: Frame) -> q.Ask:
    return q.Ask(entities=list(dict.fromkeys(frame.entity_ids)), years=sorted(set(frame.years)),
                 reports=list(frame.report_keys), indicators=[c for _, cands in frame.indicators[:1] for c in cands],
                 total=frame.total, groups=list(frame.groups))


def build(frame: Frame, store) -> q.Node:
    """The query tree for a frame whose slots are final (context applied)."""
    if frame.problem:
        return q.Unclear(frame.problem)
    kind = frame.builds or NODE_OF_INTENT.get(frame.intent or "unknown", "Unclear")
    _tier_year(frame)
    ask = ask_of(frame)
    if kind == "SmallTalk":
        return q.SmallTalk(frame.meta or "hello")
    if kind == "Unclear":
        return q.Unclear(frame.meta or "unknown")
    if kind == "Meta":
        meta = frame.meta or "indicators"
        if meta == "contains" and not ask.indicators:
            meta = "indicators"  # what a whole report's score is made of: its indicators
        return q.Meta(meta, ask)
    if kind == "Mean" and frame.mean_of_set:  # 它们平均多少分: the members of the list just shown
        members = _one_list("Members", frame, ask, store).of
        if not any(isinstance(n, (q.Top, q.Nth, q.Where, q.Outside)) for n in _walk(members)):
            provinces = [g[1] for g in ask.groups if g[0] == "province"]  # a province's or group's own mean, printed
            ids = [e.id for e in store.entities() if e.kind == "province" and e.province in provinces]
            return q.Mean(_narrow(ask, groups=[g for g in ask.groups if g[0] != "province"], entities=ids[:1]))
        return q.Mean(ask, of=members)
    if kind == "Mean" and not ask.entities and len(_split_categories(ask)) > len(ask.groups):
        split = _split_categories(ask)  # 数字经济县域平均分: the mean of each of its 市辖区 and 县市 tables
        tables = [g for g in split if g not in ask.groups]
        rest = [g for g in split if g in ask.groups]
        return q.Each([q.Mean(_narrow(ask, groups=rest + [t])) for t in tables])
    if kind == "Mean":
        if frame.n and not ask.groups and not ask.entities:
            ask.groups = frame.groups = [("top", f"Top{frame.n}")]  # 前十城市平均分: the mean of the first n
        parents = _parents(frame, store, listing=False)
        if parents:  # 上海各区政府网站平均分: the mean of a city's districts
            ask.groups = frame.groups = [("parent", parents[0])]
            ask.entities = []
            frame.mentions = [m for m in frame.mentions if m.candidates[0] not in parents]
        other = None
        subjects = [("group", g) for g in ask.groups] + [("entity", e) for e in ask.entities]
        if len(subjects) == 1 and ask.groups and _WHOLE_RE.search(frame.words) and _JOINED_RE.search(frame.words) \
                and not re.search(VERSUS_ALL, frame.words):  # 整体平均和Top10平均分别多少: both means
            return q.Each([q.Mean(_narrow(ask, groups=[])), q.Mean(ask)])
        if re.search(VERSUS_ALL, frame.words) and subjects:
            other = q.Mean(q.Ask(years=ask.years, reports=ask.reports, indicators=ask.indicators, total=ask.total))
        elif len(subjects) == 2 and re.search(VERSUS_ONE, frame.words) and _city_and_group(subjects, store):
            city, group = _city_and_group(subjects, store)  # 柯桥区比市辖区平均分高多少 / 杭州比浙江平均高多少
            return q.Mean(_narrow(ask, entities=[city], groups=[]), q.Mean(_narrow(ask, **_subject(group))))
        elif len(subjects) >= 2 and _same_kind(subjects[:2], store):  # 长三角和京津冀差多少 / 市辖区比县市高多少
            first, second = (_narrow(ask, **_subject(s)) for s in subjects[:2])
            if re.search(VERSUS_ONE, frame.words):
                return q.Mean(first, q.Mean(second))
            return q.Each([q.Mean(_narrow(ask, **_subject(s))) for s in subjects])
        indicators = [list(cands) for _surface, cands in frame.indicators if cands]
        if len(subjects) <= 1 and len(indicators) >= 2:  # 产业融合平均分比城市服务低多少: two indicators' means
            means = [q.Mean(_narrow(ask, indicators=cands, total=False)) for cands in indicators]
            if re.search(VERSUS_ONE, frame.words):
                return q.Mean(means[0].ask, q.Mean(means[1].ask))
            return q.Each(means)
        return q.Mean(ask, other, ranked=bool(re.search(RANK_WORDS, frame.words)))
    if kind == "GroupMeans":
        return _group_means(frame, ask, store)
    if kind == "Gains":  # 提高最多的城市 / 排名下降最多: by points unless the question speaks of places
        down = bool(re.search(GAIN_DOWN, frame.words))
        by_rank = bool(re.search(RANK_WORDS + r"|名次|位次", frame.words)) and not re.search(r"分", frame.words)
        counted = re.search(r"(\d+|[一二两三四五六七八九十]+)\s*(?:个|座)", frame.words)  # 上升最多的3个城市
        n = frame.n or (cn_to_int(counted[1]) if counted else None) or 5
        sign = 0 if re.search(r"最|前\d|前[一二三四五六七八九十]", frame.words) else (-1 if down else 1)
        return q.Gains(ask, n=min(n, 50), bottom=down, by_rank=by_rank, sign=sign,
                       count=bool(sign and re.search(COUNT_WORDS, frame.words)))
    if kind == "Tier" and ask.entities and all(store.entity(e).kind == "province" for e in ask.entities) \
            and _CITIES_OF_RE.search(frame.words):  # 江苏的城市在数字经济里分别是几线: the province's cities, each tier
        kind = "Members"
    if kind in ("Members", "Top", "Nth", "Where", "Count"):
        per_group = _each_group(kind, frame, ask, store)
        return per_group or _list(kind, frame, ask, store)
    scope = _province_as_scope(frame, store)
    if scope and kind in ("Rank", "Value"):
        outer = scope[1] if scope[0] == "parent" else None
        ask = _narrow(ask, entities=[e for e in ask.entities if store.entity(e).kind != "province" and e != outer],
                      groups=ask.groups + [scope])
    if kind == "Profile" and re.search(PICK_WORDS, frame.words):  # 哪项最强 / 短板: one indicator of the profile
        return q.Profile(ask, pick="worst" if re.search(PICK_WORST, frame.words) else "best")
    leaf = {"Rank": q.Rank, "Value": q.Value, "Profile": q.Profile, "Tier": q.Tier, "Change": q.Change}.get(kind)
    if kind == "Compare":
        place = frame.position if len(ask.entities) == 1 and _VERSUS_PLACE_RE.search(frame.words) else None
        return q.Compare(ask, diff=bool(frame.difference) or place is not None, place=place)
    if leaf is None:
        return q.Unclear("unknown")
    return _each(leaf, frame, ask)


def _each(leaf, frame: Frame, ask: q.Ask) -> q.Node:
    """One leaf, or Each over the cities / reports the question names with 分别, 各, 和."""
    many = _EACH_RE.search(frame.words) or leaf in (q.Tier, q.Change)  # a change is one city's history
    scopes = [g for g in ask.groups if g[0] == "admin_level"]
    if len(scopes) >= 2 and len(ask.entities) == 1 and leaf in (q.Rank, q.Value):  # 在副省级和省会里分别排第几
        rest = [g for g in ask.groups if g[0] != "admin_level"]
        common = [k for k, facts in REPORTS.items() if all(g[1] in facts.scopes for g in scopes)]
        if common and not (ask.reports or ask.years):  # the report ranking it in both tables
            ask = _narrow(ask, reports=common[:1])
        return q.Each([leaf(_narrow(ask, groups=rest + [g])) for g in scopes])
    if len(ask.entities) >= 2 and many:
        return q.Each([leaf(_narrow(ask, entities=[e])) for e in ask.entities])
    indicators = [cands for _surface, cands in frame.indicators if cands]
    if len(indicators) >= 2 and len(ask.entities) <= 1 and leaf in (q.Rank, q.Value):  # 智慧管理和智慧经济分别排第几
        return q.Each([leaf(_narrow(ask, indicators=list(cands), total=False)) for cands in indicators])
    named = _named_reports(ask) if leaf is not q.Change else []  # a change spans its years
    joined = many or _JOINED_RE.search(frame.words)  # 2015年拉萨数字经济指数: no list
    if len(named) >= 2 and len(ask.entities) <= 1 and joined:
        return q.Each([leaf(_narrow(ask, reports=[key], years=[year] if year else [])) for key, year in named])
    return leaf(ask)


def _named_reports(ask: q.Ask) -> list[tuple[str, int | None]]:
    """Reports named in the question, by keyword or by a year of its own: [(key or 'year', year)]."""
    named = [(k, None) for k in ask.reports if k != "smart"]
    keyed_years = {REPORTS[k].year for k, _ in named if k in REPORTS}
    if named and "smart" in ask.reports and not ask.years:  # 智慧城市和数字经济: the smart-city reports are one item
        named.append(("smart", None))
    named += [("", y) for y in ask.years if y not in keyed_years and y in REPORT_YEARS]
    if any(y not in REPORT_YEARS and y not in HISTORY_YEARS for y in ask.years):
        return []  # a year without a report: the leaf says so
    return named if len(named) >= 2 else []


def _narrow(ask: q.Ask, **changes) -> q.Ask:
    fields = dict(ask.__dict__)
    fields.update(changes)
    if "reports" in changes and changes["reports"] == [""]:
        fields["reports"] = []
    return q.Ask(**{k: list(v) if isinstance(v, list) else v for k, v in fields.items()})


def _list(kind: str, frame: Frame, ask: q.Ask, store) -> q.Node:
    """A list question: the set of cities, its filters, and the operation on it; the cities in all of several
    sets when it asks for those in every one (都 / 同时 / 既…又)."""
    if re.search(BOTH_WORDS, frame.words) and kind in ("Members", "Top", "Count", "Where"):
        sets = _each_set(kind, frame, ask, store)
        if len(sets) >= 2:
            both = q.Both(sets)
            return q.Count(both) if re.search(COUNT_WORDS, frame.words) else both
    split = _split_categories(ask)  # 数字经济评估了多少个区县: its 市辖区 and 县市 tables
    tables = [g for g in split if g not in ask.groups]
    ask = _narrow(ask, groups=split)
    if len(tables) >= 2 and kind in ("Top", "Nth", "Where"):  # 数字经济县域前五: each table's
        rest = [g for g in ask.groups if g not in tables]
        return q.Each([_one_list(kind, frame, _narrow(ask, groups=rest + [t]), store) for t in tables])
    by_type = _by_type([g for g in ask.groups if g[0] != "tier"])
    same_type = [names for gtype, names in by_type.items() if len(names) >= 2 and (
        gtype == "admin_level" or re.search(EACH_WORDS + r"|各几|各多少|每个", frame.words))]  # 直辖市和副省级城市: two tables
    if same_type and kind in ("Members", "Count"):
        gtype = next(t for t, names in _by_type(ask.groups).items() if names == same_type[0])  # 直辖市、省会…各几个
        rest = [g for g in ask.groups if g[0] != gtype]
        return q.Each([_one_list(kind, frame, _narrow(ask, groups=rest + [(gtype, name)]), store) for name in same_type[0]])
    provinces = [e for e in ask.entities if store.entity(e).kind == "province"]
    if len(provinces) >= 2 and _EACH_RE.search(frame.words):  # 江苏和浙江各有几个城市进了前30
        rest = [e for e in ask.entities if e not in provinces]
        return q.Each([_one_list(kind, frame, _narrow(ask, entities=rest + [p]), store) for p in provinces])
    return _one_list(kind, frame, ask, store)


def _each_group(kind: str, frame: Frame, ask: q.Ask, store) -> q.Node | None:
    """五个区域的第一名分别是谁 / 各省的第一名: the same list question for every group of the kind named."""
    kind_asked = _kind_asked(frame, store)
    if not kind_asked or kind not in ("Top", "Nth") or not re.search(r"分别|各|每个|每一个|每", frame.words):
        return None
    years = set(ask.years)
    reports = [r.key for r in store.reports() if (not years or r.year in years)
               and (not ask.reports or r.key in ask.reports or "smart" in ask.reports)]
    indicator = ask.indicators[0] if ask.indicators else None
    for report in reports:
        gtype = KIND_OF_GROUP[kind_asked][0]
        names = store.group_names(report, gtype, indicator or store.total_indicator(report))
        if len(names) >= 2:
            groups = [g for g in ask.groups if g[0] not in KIND_OF_GROUP[kind_asked] and g != ("admin_level", "省/自治区")]
            return q.Each([_one_list(kind, frame, _narrow(ask, reports=[report], years=[],
                                                         groups=groups + [(gtype, name)]), store) for name in names])
    return None


def _each_set(kind: str, frame: Frame, ask: q.Ask, store) -> list[q.Node]:
    """The sets a 都 question intersects: one per report or year named, or one per tier (of different reports)."""
    tiers = [g for g in ask.groups if g[0] == "tier"]
    if len(tiers) >= 2:
        return [q.Members(q.InGroup(q.Cities(_narrow(ask, groups=[t], reports=[], years=[])), t)) for t in tiers]
    categories = [g for g in ask.groups if g[0] == "admin_level"]
    if len(categories) >= 2:  # 既是副省级城市又是省会城市: one table per category
        rest = [g for g in ask.groups if g[0] != "admin_level"]
        return [q.Members(q.Cities(_narrow(ask, groups=[c] + rest))) for c in categories]
    indicators = [list(cands) for _surface, cands in frame.indicators if cands]
    if len(indicators) >= 2:  # 智慧经济和智慧人群都进了前十的城市: one set per indicator
        inner = "Top" if frame.n else ("Where" if frame.low is not None or frame.high is not None else "Members")
        return [_one_list(inner, frame, _narrow(ask, indicators=cands, total=False), store) for cands in indicators]
    named = _named_reports(ask)
    if len(named) < 2:
        return []
    inner = "Top" if frame.n else ("Where" if frame.low is not None or frame.high is not None else "Members")
    return [_one_list(inner, frame, _narrow(ask, reports=[key], years=[year] if year else []), store)
            for key, year in named]


def _one_list(kind: str, frame: Frame, ask: q.Ask, store) -> q.Node:
    """A list question: the set of cities, its filters, and the operation on it."""
    after_top = bool(frame.within) or bool(frame.n and re.search(AFTER_TOP, frame.words))
    before = set(frame.within[2]) if frame.within else set()
    as_filter = set(FILTER_GROUPS) | ({"admin_level", "region"} if after_top and _memberships_only(ask) else set())
    keys = _named_keys(ask) or _year_keys(ask)
    if len(keys) == 1:  # 2016年直辖市: a category or region the report has no table of filters its one table
        as_filter |= {g[0] for g in ask.groups if g[0] in ("admin_level", "region")
                      and g[1] not in REPORTS[keys[0]].scopes and not REPORTS[keys[0]].district_scopes}
    filters = [g for g in ask.groups if g[0] in as_filter and g not in before]
    if kind in ("Members", "Count") and not filters:  # 华东的省会城市: one group is the set, the others filter it
        kept = sorted((g for g in ask.groups if g[0] in ("admin_level", "region", "cluster", "circle")),
                      key=lambda g: g[0] != "admin_level")  # a category is a table (or a list); a region filters it
        filters = kept[1:] if len(kept) >= 2 else []
    inside = _inside_combined(ask)  # 2015年直辖市前三: 直辖市 is printed in the 直辖市及计划单列市 table
    filters += [g for g, _table in inside]
    provinces = [store.entity(e).province for e in ask.entities if store.entity(e).kind == "province"]
    parents = _parents(frame, store)
    base_ask = _narrow(ask, groups=[g for g in ask.groups if g not in filters] + [t for _g, t in inside]
                       + _district_table(frame, ask, parents),
                       entities=[e for e in ask.entities if store.entity(e).kind != "province" and e not in parents])
    base: q.Node = q.Cities(base_ask)
    if frame.within and len(frame.within) > 3:  # 其中…: the slice of places the previous answer showed
        base = q.Nth(base, frame.within[3], frame.within[1], frame.within[4])
    elif frame.within:  # 其中…: the top list the previous answer showed
        base = q.Top(base, frame.within[0], frame.within[1])
    wrap = [(f"{t}", g) for t, g in filters] + [("province", p) for p in provinces] + [("parent", p) for p in parents]

    def filtered(node: q.Node) -> q.Node:
        for gtype, names in _by_type(wrap).items():  # 江苏和浙江 / 一线和新一线: one type is either-or, two types both
            node = q.InGroup(node, (gtype, names[0]), tuple(names[1:]))
        for gtype, names in _by_type(frame.excluded).items():  # 不算直辖市: left out before a top or position is taken
            node = q.Outside(node, (gtype, names[0]), tuple(names[1:]))
        return node

    if kind == "Members":
        return q.Count(filtered(base)) if re.search(COUNT_WORDS, frame.words) else q.Members(filtered(base))
    if kind == "Count" and frame.low is None and frame.high is None and not frame.full_marks:
        return q.Count(filtered(base))  # 一共几个: how many a set has, no condition
    if kind in ("Where", "Count") and frame.conditions:  # 总分85以上但数据开放指数不到0.5: one Where per indicator
        first, *rest = frame.conditions
        node = filtered(q.Cities(_narrow(base_ask, indicators=first[0], total=not first[0])))
        node = q.Where(node, *first[1:])
        for names, *bounds in rest:
            node = q.Where(node, *bounds, on=names or ["总分"])
        return q.Count(node) if kind == "Count" else node
    if kind in ("Where", "Count"):
        node = q.Where(filtered(base), frame.low, frame.high, frame.low_inclusive, frame.high_inclusive)
        return q.Count(node) if kind == "Count" else node
    if kind in ("Top", "Nth") and frame.n and frame.and_last:
        return q.Each([q.Top(filtered(base), frame.n), q.Nth(filtered(base), 1, True)])  # 前五名和最后一名
    if kind in ("Nth", "Top") and (frame.position or 1) == 1 and (frame.n or 1) == 1 \
            and _HIGHEST_RE.search(frame.words) and _LOWEST_RE.search(frame.words):
        return q.Each([q.Nth(filtered(base), 1), q.Nth(filtered(base), 1, True)])  # 最高和最低的分别是谁
    if len(frame.positions) >= 2 and kind in ("Nth", "Top"):  # 第一和第三名: each place
        return q.Each([q.Nth(filtered(base), k, frame.bottom) for k in frame.positions])
    if kind == "Nth" or (kind == "Top" and frame.position and not frame.n):
        return q.Nth(filtered(base), frame.position or 1, frame.bottom, frame.position_last)
    top = q.Top(base, frame.n or 10, frame.bottom)
    if (wrap or frame.excluded) and after_top and not frame.within:
        if re.search(COUNT_WORDS, frame.words):
            return q.Count(filtered(top))  # 杭州有几个区进了区县前100
        return q.Members(filtered(top))  # 广东哪些城市进了前30: the top 30 first, then those in 广东
    if wrap or frame.excluded:
        top.of = filtered(base)
    return top


def _named_keys(ask: q.Ask) -> list[str]:
    """The reports the question names by keyword (the smart-city family is no one report)."""
    return [k for k in ask.reports if k in REPORTS]


def _year_keys(ask: q.Ask) -> list[str]:
    """The reports of the years the question names."""
    return [k for k, facts in REPORTS.items() if facts.year in ask.years]


def _by_type(groups: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Group names by their type, in order, each once."""
    by_type: dict[str, list[str]] = {}
    for gtype, name in groups:
        if name not in by_type.setdefault(gtype, []):
            by_type[gtype].append(name)
    return by_type


def _district_table(frame: Frame, ask: q.Ask, parents: list[str]) -> list[tuple[str, str]]:
    """北京哪个区的政府网站最好: a city's districts are ranked in the report's table of districts (or counties)."""
    if not parents or any(g[0] == "admin_level" for g in ask.groups):
        return []
    keys = _named_keys(ask) or _year_keys(ask)
    kind = "county" if re.search(r"县(?!区)", frame.words) else "district"
    scopes = [REPORTS[k].district_scopes[kind] for k in keys if REPORTS[k].district_scopes]
    return [("admin_level", scopes[0])] if len(set(scopes)) == 1 else []


_DEDUCTIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # store → {indicators: is a deduction}


def deduction(indicators: list[str], store) -> bool:
    """An indicator whose printed values are never above zero (减分项): a deduction, where more is lower."""
    try:
        known = _DEDUCTIONS.setdefault(store, {})
    except TypeError:  # a store that cannot be weakly referenced: worked out each time
        known = {}
    key = tuple(indicators)
    if key not in known:
        values = [v.value for r in store.reports() for name in indicators if store.indicator(r.key, name)
                  for v in store.table(r.key, name) if v.value is not None]
        known[key] = bool(values) and max(values) <= 0
    return known[key]


def _split_categories(ask: q.Ask) -> list[tuple[str, str]]:
    """区县 asked of a report that ranks districts and counties in two tables: both tables."""
    keys = _named_keys(ask) or _year_keys(ask)
    if len(keys) != 1 or ("admin_level", "区县") not in ask.groups:
        return list(ask.groups)
    facts = REPORTS[keys[0]]
    tables = list(dict.fromkeys(facts.district_scopes.values()))
    if "区县" in facts.scopes or len(tables) < 2:
        return list(ask.groups)
    return [g for g in ask.groups if g != ("admin_level", "区县")] + [("admin_level", t) for t in tables]


def _inside_combined(ask: q.Ask) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """Categories the asked report prints inside a combined table (直辖市 in 直辖市及计划单列市): (category, table)."""
    keys = _named_keys(ask) or _year_keys(ask)
    if len(keys) != 1:
        return []
    scopes = REPORTS[keys[0]].scopes
    return [(g, ("admin_level", scopes[g[1]])) for g in ask.groups
            if g[0] == "admin_level" and scopes.get(g[1]) not in (None, g[1]) and g[1] in scopes[g[1]]]  # a part, no rename


def _memberships_only(ask: q.Ask) -> bool:
    """The reports asked about hold categories and regions as memberships of one table (2015: 省会城市 among all
    151), so 前十里有几个省会城市 filters the top ten; where a category is a table of its own it stays the table."""
    keys = set(_named_keys(ask)) | set(_year_keys(ask))
    return bool(keys) and not any(REPORTS[k].category_tables for k in keys)


def _group_means(frame: Frame, ask: q.Ask, store) -> q.Node:
    """各省平均分排名 / 哪个地区平均分最高 / 省份平均分倒数第一: the groups of one kind, ranked by mean."""
    kind = _kind_asked(frame, store) or "province"
    groups = [g for g in ask.groups if g[0] not in KIND_OF_GROUP[kind] and g != ("admin_level", "省/自治区")]
    base = q.GroupMeans(_narrow(ask, groups=groups), kind=kind)
    if frame.position:
        return q.Nth(base, frame.position, frame.bottom)
    if frame.n:
        return q.Top(base, frame.n, frame.bottom)
    return base


def _same_kind(subjects: list[tuple[str, object]], store) -> bool:
    """Two groups of one type, or two provinces: compared; a province and a category: one group inside the other."""
    kinds = [(k, v[0]) if k == "group" else (k, store.entity(v).kind) for k, v in subjects]
    return kinds[0] == kinds[1]


def _city_and_group(subjects: list[tuple[str, object]], store) -> tuple[str, tuple[str, object]] | None:
    """A city and a group (or a province) among two subjects of a mean: the city's value against the group's mean."""
    cities = [v for k, v in subjects if k == "entity" and store.entity(v).kind != "province"]
    others = [(k, v) for k, v in subjects if not (k == "entity" and v in cities)]
    return (cities[0], others[0]) if len(cities) == 1 and len(others) == 1 else None


def _subject(subject: tuple[str, object]) -> dict:
    """The Ask fields of one subject of a mean: a group, or a province named as an entity."""
    kind, value = subject
    return {"groups": [value], "entities": []} if kind == "group" else {"groups": [], "entities": [value]}
