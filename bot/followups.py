"""Follow-up questions built from an answer's own query: concrete next steps, never a loop.

`candidates()` reads what the answer was about (its query node and frame: city, report,
indicator, scope, list) and proposes next questions with short concrete labels —
「2016年」「智慧管理前十」「和合肥比」「苏州呢」「各项得分」.  Each question names everything it
needs, so it means the same whether it is tapped at once or later.  `keep()` asks each one
and keeps those that are answered (status ok) with a different message than the answer they
sit on and than each other; the engine calls it, so the console and Telegram offer the same.
"""
from __future__ import annotations

from collections.abc import Callable

from bot.reply import Reply
from nlu import query as q
from nlu.frame import Frame
from store.catalogue import EDITIONS, REPORTS, TIER_REPORT, TIERS_ONLY

MAX = 4  # buttons under one answer
TOTALS = ("总分", "数字经济指数")


def _report_words(engine, report: str) -> str:
    """How a question names a report: 2015年 for an edition of the smart-city evaluation, else its keyword."""
    return REPORTS[report].keyword or f"{engine.store.report(report).year}年"


def _say(engine, entity_id: str) -> str:
    """The name a question can use for an entity without being ambiguous (吉林 → 吉林市)."""
    e = engine.store.entity(entity_id)
    senses = [s.value for s in engine.lex.senses(e.name) if s.kind == "entity"]
    return e.name if senses == [entity_id] else e.full_name


def _shown(indicator: str) -> str:
    return "" if indicator in TOTALS else indicator


# A scope whose own name a question does not read as that one table (「省/自治区」 reads as every category).
SAY_SCOPE = {"省/自治区": "省份"}


def _say_scope(scope: str) -> str:
    """How a question names a ranking scope: nothing for the whole table, else the scope (省份 for 省/自治区)."""
    return "" if scope in ("全部", "附件1") else SAY_SCOPE.get(scope, scope)


def _scope_words(report: str, scope: str) -> str:
    """A category with a table of its own is named in the question (政府网站地市…前十)."""
    return _say_scope(scope) if REPORTS[report].category_tables else ""


def _top_label(report: str, indicator: str, scope: str) -> str:
    what = _shown(indicator) or REPORTS[report].keyword or "总分"
    if scope not in ("全部", "附件1") and REPORTS[report].category_tables:
        what = scope
    return f"{what}前十"


def _neighbour(engine, report: str, indicator: str, scope: str, entity_id: str) -> str | None:
    """The city to compare with: the one tied with it, else the one just above, else the one just below."""
    table = [v for v in engine.store.table(report, indicator, scope) if v.value is not None]
    ids = [v.entity_id for v in table]
    if entity_id not in ids:
        return None
    i = ids.index(entity_id)
    mine = table[i]
    tied = [v.entity_id for v in table if v.value == mine.value and v.entity_id != entity_id]
    if tied:
        return tied[0]
    if i > 0:
        return ids[i - 1]
    return ids[1] if len(ids) > 1 else None


def _subject(engine, f: Frame) -> tuple[list[str], str | None]:
    """The reports answered for the frame's city (newest first) and the first with per-city numbers."""
    keys, problem = engine._reports(f)
    if problem or not f.entity_ids:
        return [], None
    holding = [k for k in keys if k in engine.store.reports_with(f.entity_ids[0])]
    numeric = next((k for k in holding if REPORTS[k].per_city_numbers), None)
    return holding, numeric


def _scope_of(engine, f: Frame, report: str, entity_id: str, indicator: str) -> str:
    scope = engine._scope(f, report)
    if scope:
        return scope
    scopes = engine.store.scopes(report, entity_id, indicator)
    return scopes[0] if scopes else "全部"


def _about_city(engine, f: Frame, family: str) -> list[tuple[str, str]]:
    """rank / lookup / profile / tier / trend of one city."""
    entity_id = f.entity_ids[0]
    city = _say(engine, entity_id)
    holding, report = _subject(engine, f)
    if not holding:
        return []
    out: list[tuple[str, str]] = []
    if family == "trend":
        for key in EDITIONS:
            if key in engine.store.reports_with(entity_id):
                out.append((f"{engine.store.report(key).year}各项", f"{city}{_report_words(engine, key)}各项得分"))
        return out
    if family == "tier":
        tier_report = next((k for k in holding if REPORTS[k].tier_kind), None) or engine._tier_report(f, holding)
        return _about_tier(engine, entity_id, tier_report)
    if report is None:  # a tier-only report holds the city: its tier
        return _about_tier(engine, entity_id, next((k for k in holding if k in TIERS_ONLY), TIERS_ONLY[0]))
    if len(holding) > 1 and not (f.years or f.report_keys or f.indicators):  # the every-report overview
        if any(k in holding for k in EDITIONS):
            out.append(("历届变化", f"{city}历届排名"))
        smart = next((k for k in holding if k in EDITIONS), None)
        if smart:
            out.append((f"{engine.store.report(smart).year}各项", f"{city}{_report_words(engine, smart)}各项得分"))
        total = engine._total(report)
        other = _neighbour(engine, report, total, _scope_of(engine, f, report, entity_id, total), entity_id)
        if other:
            out.append((f"和{_say(engine, other)}比", f"{city}和{_say(engine, other)}{_report_words(engine, report)}对比"))
        return out
    indicator, _ = engine._indicator(f, report)
    scope = _scope_of(engine, f, report, entity_id, indicator)
    words = _report_words(engine, report)
    other_edition = REPORTS[report].other_edition
    if other_edition and other_edition in engine.store.reports_with(entity_id):
        asked = "各项得分" if family == "profile" else f"{_shown(indicator)}排名"
        year = engine.store.report(other_edition).year
        out.append((f"{year}年", f"{city}{year}年{asked}"))
    if family != "profile" and indicator in (engine._total(report),) and REPORTS[report].parts_per_city:
        out.append(("各项得分", f"{city}{words}各项得分"))
    out.append((_top_label(report, indicator, scope),
                f"{words}{_scope_words(report, scope)}{_shown(indicator)}前十"))
    other = _neighbour(engine, report, indicator, scope, entity_id)
    if other:
        out.append((f"和{_say(engine, other)}比", f"{words}{city}和{_say(engine, other)}{_shown(indicator)}对比"))
    if not other_edition and family != "profile":  # 政府网站 ↔ 数字经济: the city in the other 2020 report
        same_year = [k for k in engine.store.reports_with(entity_id) if k != report and REPORTS[k].keyword
                     and engine.store.report(k).year == engine.store.report(report).year]
        for key in same_year[:1]:
            out.append((REPORTS[key].keyword, f"{city}{REPORTS[key].keyword}排名"))
    return out


def _about_tier(engine, entity_id: str, report: str) -> list[tuple[str, str]]:
    """A city's tier: the other members of its tier, and the next city's tier."""
    tier = next((g for _r, t, g, _ in engine.store.memberships(entity_id, report) if t == "tier"), None)
    if tier is None:
        return []
    words = _report_words(engine, report)
    out = [(f"{tier}城市有哪些", f"{words}{tier}城市有哪些")]
    facts = REPORTS[report]
    if facts.per_city_numbers:  # a tier beside scores: the next city's tier, this city's rank
        other = _neighbour(engine, report, engine._total(report), "全部", entity_id)
        if other:
            out.append((f"{_say(engine, other)}呢", f"{_say(engine, other)}是{facts.keyword}几线城市"))
        out.append((f"{facts.keyword}排名", f"{_say(engine, entity_id)}{facts.keyword}排名"))
    return out


def _about_compare(engine, f: Frame) -> list[tuple[str, str]]:
    ids = list(dict.fromkeys(f.entity_ids))
    keys, problem = engine._reports(f)
    common = [k for k in keys if all(k in engine.store.reports_with(i) for i in ids) and REPORTS[k].per_city_numbers]
    if problem or len(ids) < 2 or not common:
        return []
    report = common[0]
    indicator, _ = engine._indicator(f, report)
    names = [_say(engine, i) for i in ids]
    pair = "和".join(names)
    out = []
    other = REPORTS[report].other_edition
    if other and all(other in engine.store.reports_with(i) for i in ids) and not set(common) >= {report, other}:
        year = engine.store.report(other).year
        out.append((f"{year}年", f"{year}年{pair}{_shown(indicator)}对比"))
    scope = _scope_of(engine, f, report, ids[0], indicator)
    out.append((_top_label(report, indicator, scope),
                f"{_report_words(engine, report)}{_scope_words(report, scope)}{_shown(indicator)}前十"))
    if REPORTS[report].parts_per_city:
        out += [(f"{n}各项", f"{n}{_report_words(engine, report)}各项得分") for n in names[:2]]
    return out


def _about_list(engine, node: q.Top, f: Frame) -> list[tuple[str, str]]:
    """A top-N list: longer, the other end, the other edition, the first city's profile."""
    keys, problem = engine._reports(f)
    keys = [k for k in keys if REPORTS[k].per_city_numbers]
    if problem or not keys:
        return []
    report = keys[0]
    indicator, _ = engine._indicator(f, report)
    scope = engine._scope(f, report) or "全部"
    words = _report_words(engine, report) + _say_scope(scope)
    what = _shown(indicator)
    n = node.n or 10
    out = []
    if node.bottom:
        out.append(("前十", f"{words}{what}前十"))
    else:
        if n < 20:
            out.append(("前20", f"{words}{what}前20名"))
        out.append(("倒数十名", f"{words}{what}倒数十名"))
    other = REPORTS[report].other_edition
    if other:
        ind_other = engine._indicator_in(other, indicator) if what else indicator
        if ind_other:
            year = engine.store.report(other).year
            out.append((f"{year}年", f"{year}年{_shown(ind_other)}{'倒数十名' if node.bottom else f'前{min(n, 20)}名'}"))
    rows = engine.store.top(report, indicator, 1, scope, node.bottom)
    if rows and REPORTS[report].parts_per_city:
        first = _say(engine, rows[0].entity_id)
        out.append((f"{first}各项", f"{first}{_report_words(engine, report)}各项得分"))
    return out


def _about_nth(engine, node: q.Nth, f: Frame, reply: Reply) -> list[tuple[str, str]]:
    """「2015年倒数第一」「数字经济第31名是谁」: the next place, the list it is in, the city found."""
    keys, problem = engine._reports(f)
    keys = [k for k in keys if REPORTS[k].per_city_numbers]
    if problem or not keys or node.last or isinstance(node.of, q.GroupMeans):
        return []
    report = keys[0]
    if f.years and engine.store.report(report).year not in f.years:  # 2013年第一名: the history table, not 2015's
        return []
    indicator, _ = engine._indicator(f, report)
    scope = engine._scope(f, report) or "全部"
    words = _report_words(engine, report) + _say_scope(scope)
    what, end = _shown(indicator), "倒数" if node.bottom else ""
    out = []
    if isinstance(node.of, q.Cities):  # a plain table: its next place and its first (last) ten
        out.append((f"{end}第{node.k + 1}{'' if end else '名'}", f"{words}{what}{end}第{node.k + 1}名是谁"))
        out.append(("倒数十名" if end else "前十", f"{words}{what}{'倒数十名' if end else '前十'}"))
    found = (reply.context.focus or [None])[0] if reply.context else None
    if found and report in engine.store.reports_with(found):
        name = _say(engine, found)
        if REPORTS[report].parts_per_city:
            out.append((f"{name}各项", f"{name}{_report_words(engine, report)}各项得分"))
        else:
            out.append((f"{name}排名", f"{name}{_report_words(engine, report)}排名"))
    return out


def _about_tier_list(engine, f: Frame) -> list[tuple[str, str]]:
    """「2021年领军城市有哪些」: the other tiers of the same report."""
    tier = next((g for t, g in f.groups if t == "tier"), None)
    if tier is None:
        return []
    report = TIER_REPORT[tier]
    words = _report_words(engine, report)
    return [(f"{g}城市", f"{words}{g}城市有哪些") for _, g in engine.store.groups(report, "tier") if g != tier]


KIND_RANKING = {"province": "各省", "region": "各地区", "cluster": "各城市群"}  # how a question ranks groups of a kind


def _about_mean(engine, node: q.Mean, f: Frame) -> list[tuple[str, str]]:
    """「2015年华东地区平均分」: the group's first five, every group of its kind ranked by mean."""
    keys, problem = engine._reports(f)
    keys = [k for k in keys if REPORTS[k].per_city_numbers]
    if problem or not keys or node.minus is not None or node.of is not None:
        return []
    report = keys[0]
    words = _report_words(engine, report)
    indicator, _ = engine._indicator(f, report)
    what = _shown(indicator)
    groups = [(t, g) for t, g in node.ask.groups if t in KIND_RANKING]
    groups += [("province", engine.store.entity(e).province) for e in node.ask.entities
               if engine.store.entity(e).kind == "province"]
    out = []
    for gtype, name in groups[:1]:
        out.append((f"{name}前五", f"{words}{name}{what}前五"))
        out.append((f"{KIND_RANKING[gtype]}排名", f"{words}{KIND_RANKING[gtype]}{what}平均分排名"))
    return out


def _about_filtered(engine, node: q.Node, f: Frame) -> list[tuple[str, str]]:
    """A list filtered by a province (广东哪些城市进了前30, 2016年广西最好的城市): the province's first five and mean."""
    provinces = [n.group[1] for n in q.walk(node) if isinstance(n, q.InGroup) and n.group[0] == "province"]
    keys, problem = engine._reports(f)
    keys = [k for k in keys if REPORTS[k].per_city_numbers]
    if not provinces or problem or not keys:
        return []
    report, province = keys[0], provinces[0]
    words = _report_words(engine, report) + _scope_words(report, engine._scope(f, report) or "全部")
    what = _shown(engine._indicator(f, report)[0])
    return [(f"{province}前五", f"{words}{province}{what}前五"), (f"{province}平均分", f"{words}{province}{what}平均分")]


def candidates(engine, node: q.Node, f: Frame, reply: Reply) -> list[tuple[str, str]]:
    """(label, question) pairs worth offering after `reply`, best first, not yet checked."""
    if isinstance(node, q.Each) or reply.status != "ok":
        return []
    if isinstance(node, q.Compare) or reply.intent == "compare":
        return _about_compare(engine, f)
    if isinstance(node, q.Top) and not f.entity_ids:
        return _about_list(engine, node, f)
    if isinstance(node, q.Nth) and not f.entity_ids:
        return _about_nth(engine, node, f, reply)
    if reply.intent == "tier" and not f.entity_ids:
        return _about_tier_list(engine, f)
    if isinstance(node, (q.Rank, q.Value, q.Profile, q.Tier, q.Change)) and f.entity_ids:
        return _about_city(engine, f, node.family)
    if isinstance(node, q.Mean):
        return _about_mean(engine, node, f)
    if isinstance(node, (q.Members, q.Count, q.Where, q.Top, q.Nth)):
        return _about_filtered(engine, node, f)
    return []


def each_report(engine, reply: Reply) -> list[str]:
    """For an answer about one city in every report (「无锡排名」): the question for each report alone, newest
    first — what inline mode offers as separate results.  [] for any other answer."""
    ctx = reply.context
    if reply.status != "ok" or reply.intent != "rank" or ctx is None or len(ctx.entities) != 1 \
            or ctx.years or ctx.report_keys or ctx.indicators or "\n• " not in reply.text:
        return []
    city = _say(engine, ctx.entities[0])
    return [f"{city}{_report_words(engine, k)}排名" for k in engine.all_keys
            if k in engine.store.reports_with(ctx.entities[0])]


def keep(pairs: list[tuple[str, str]], reply: Reply, ask: Callable[[str], Reply]) -> list[tuple[str, str]]:
    """The pairs whose question is answered with at least one figure (an answer holding none, such as a
    province's empty profile, is a dead end), differently from `reply` and from each other (at most MAX)."""
    seen = {reply.text}
    kept = []
    for label, question in pairs:
        if len(kept) == MAX:
            break
        got = ask(question)
        if got.status == "ok" and got.facts and got.text not in seen:
            seen.add(got.text)
            kept.append((label, question))
    return kept
