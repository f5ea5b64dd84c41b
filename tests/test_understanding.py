"""Question understanding: names, typos, ambiguity, intents, follow-ups."""
from __future__ import annotations

import pytest

from nlu.context import apply
from nlu.parse import parse


def names(frame, store):
    return [[store.entity(c).name for c in m.candidates] for m in frame.mentions]


@pytest.mark.parametrize("text, expected", [
    ("无锡排名", [["无锡"]]), ("无锡市排名", [["无锡"]]), ("魔都排名", [["上海"]]), ("帝都排名", [["北京"]]),
    ("羊城排名", [["广州"]]), ("鹏城排名", [["深圳"]]), ("蓉城排名", [["成都"]]), ("泉城排名", [["济南"]]),
    ("春城排名", [["昆明"]]), ("星城排名", [["长沙"]]), ("無錫排名", [["无锡"]]),
    ("杭洲排名", [["杭州"]]), ("无惜2015总分", [["无锡"]]), ("苏洲数字经济", [["苏州"]]),
    ("哈尔冰政府网站排名", [["哈尔滨"]]), ("乌鲁木其数字经济排名", [["乌鲁木齐"]]), ("石家装数字经济", [["石家庄"]]),
    ("六安数字经济排名", [["六安"]]), ("十堰政府网站排名", [["十堰"]]), ("七台河排名", []),
    ("深圳市南山区数字经济", [["南山区"]]), ("青岛市南区政府网站排名", [["市南区"]]), ("济南市中区政府网站", [["市中区"]]), ("凉山州政府网站排名", [["凉山彝族自治州"]]),
    ("大理2015排名", [["大理白族自治州"]]), ("wuxi数字经济排名", [["无锡"]]), ("江阴数字经济排名", [["江阴市"]]),
])
def test_entities(lex, store, text, expected):
    assert names(parse(text, lex), store) == expected


@pytest.mark.parametrize("text, options", [
    ("吉林排名", {"吉林", "吉林省"}), ("huangpuqu政府网站排名", {"黄浦区", "黄埔区"}), ("海南排名", {"海南省", "海南藏族自治州"}), ("龙城排名", {"太原", "常州", "柳州"}),
])
def test_ambiguous_names_keep_all_candidates(lex, store, text, options):
    frame = parse(text, lex)
    assert {store.entity(c).name for c in frame.mentions[0].candidates} == options


@pytest.mark.parametrize("text", ["今天天气怎么样", "你好", "排名", "哈哈哈", "我想吃火锅", "我想知道城市中心的情况",
                                  "市中心在哪", "谢谢你的回答", "这个数据准确吗"])
def test_ordinary_words_never_become_cities(lex, text):
    assert parse(text, lex).mentions == []


@pytest.mark.parametrize("text, intent", [
    # rank
    ("无锡2015智慧管理排名", "rank"), ("无锡在2015年的智慧管理排第几啊？", "rank"), ("南昌2015年名次", "rank"),
    ("帝都数字经济第几", "rank"), ("南宁市政府网站在省会城市里排第几", "rank"),
    # lookup
    ("2015年南昌智慧基础设施多少分", "lookup"), ("大连2015年加分项", "lookup"), ("羊城数字经济评分", "lookup"),
    ("三亚2016年总分", "lookup"),
    # compare
    ("杭州 宁波 智慧经济 哪个强", "compare"), ("2016 大连 vs 沈阳 总分", "compare"), ("无锡和苏州谁高", "compare"),
    ("南京和苏州数字经济差多少", "compare"),
    # region_avg
    ("2015年华东地区平均分", "region_avg"), ("长三角城市群数字经济得分", "region_avg"), ("2015年省会城市平均分", "region_avg"),
    # top
    ("2015年前十名", "top"), ("数字经济倒数第二", "top"), ("数字经济第31名是谁", "top"), ("TOP5数字经济", "top"),
    ("地市政府网站第一名", "top"), ("2016年前三名", "top"),
    # filter
    ("2015年总分70分以上的城市", "filter"), ("2016年智慧民生超过10分的城市", "filter"), ("数字经济低于40分的", "filter"),
    ("数字经济介于60和70之间", "filter"),
    # profile
    ("上海2015年智慧城市各项得分", "profile"), ("广州2016年的情况", "profile"), ("深圳数字经济画像", "profile"),
    ("杭州2015年所有得分", "profile"), ("2016年石家庄减分项是多少", "lookup"), ("大连2015年加分项", "lookup"),
    # trend
    ("北京历届排名", "trend"), ("上海2015到2016年变化", "trend"), ("广州15年到16年排名变化", "trend"),
    # tier
    ("南京是数字经济几线城市", "tier"), ("南京2021年是什么梯队", "tier"), ("2021年先锋城市有哪些", "tier"),
    ("青岛2021年是领军城市吗", "tier"),
    # meta
    ("2015年评估了多少个城市", "meta"), ("智慧基础设施包括哪些二级指标", "meta"), ("2016年有哪些评估指标", "meta"),
    ("数字经济城市画像分几类", "meta"), ("2015年智慧管理在2016年叫什么", "meta"), ("有哪些报告", "meta"),
    ("2015年满分是多少", "meta"), ("2021年报告有几个一级指标", "meta"), ("城市服务权重是多少", "meta"),
    # averages over a tier, ranks asked with 怎么样
    ("数字经济一线城市平均分", "region_avg"), ("长三角包括哪些城市", "meta"), ("2015年华南地区有哪些城市", "meta"), ("宁波市的政府网站排名怎么样", "rank"), ("南京数字经济情况", "profile"),
    # nothing
    ("今天天气", "unknown"), ("hello", "unknown"),
])
def test_intents(lex, text, intent):
    assert parse(text, lex).intent == intent


@pytest.mark.parametrize("text, indicator", [
    ("无锡2015智慧管里排名", "智慧管理"), ("2015年宁波智惠经济排名", "智慧经济"), ("常州2015数据开放服务水平得分", "数据开放服务水平"),
])
def test_indicator_typos(lex, text, indicator):
    assert indicator in [name for _, names in parse(text, lex).indicators for name in names]


@pytest.mark.parametrize("text, n, position, bottom", [
    ("2015年前十名", 10, None, False), ("top5数字经济", 5, None, False), ("前 3 名", 3, None, False),
    ("第四名呢", None, 4, False), ("第31名是谁", None, 31, False), ("倒数第二", None, 2, True), ("倒数第一", None, 1, True),
    ("数字经济最高", None, 1, False), ("数字经济最低", None, 1, True),
    ("倒数前五呢", 5, None, True), ("数字经济后三名", 3, None, True),
])
def test_counts_and_positions(lex, text, n, position, bottom):
    f = parse(text, lex)
    assert (f.n, f.position, f.bottom) == (n, position, bottom)


@pytest.mark.parametrize("text, low, high", [
    ("70分以上", 70, None), ("超过10分", 10, None), ("不低于60", 60, None), ("低于40分", None, 40),
    ("50分以下", None, 50), ("介于60和70之间", 60, 70), ("60到70分之间", 60, 70),
])
def test_filter_bounds(lex, text, low, high):
    f = parse("数字经济" + text, lex)
    assert (f.low, f.high) == (low, high)


def test_over_long_and_empty_input_are_flagged(lex):
    assert parse("无锡" * 300, lex).problem == "too_long"
    assert parse("", lex).problem == "empty"
    assert parse("？？？", lex).problem == "empty"


def _chat(engine, *questions):
    ctx, replies = None, []
    for q in questions:
        reply = engine.answer(q, ctx)
        ctx = reply.context
        replies.append(reply)
    return replies


def test_follow_up_swaps_the_city_and_keeps_report_and_indicator(engine):
    first, second = _chat(engine, "无锡2015智慧管理排名", "那杭州呢？")
    assert "杭州" in second.text and "智慧管理" in second.text and "16.83" in second.text


def test_follow_up_pronoun_keeps_the_city(engine):
    *_, third = _chat(engine, "无锡2015智慧管理排名", "那杭州呢？", "它的智慧经济呢")
    assert "杭州" in third.text and "10.84" in third.text


def test_follow_up_year_renames_the_indicator(engine):
    _, second = _chat(engine, "无锡2015智慧管理排名", "2016年呢")
    assert "智慧治理" in second.text and "2016" in second.text and "无锡" in second.text


def test_follow_up_top_ten_keeps_report(engine):
    _, second = _chat(engine, "无锡数字经济排名", "前十呢")
    assert second.intent == "top" and "数字经济" in second.text and "上海" in second.text


def test_follow_up_compare_with_new_city(engine):
    _, second = _chat(engine, "杭州2015年总分", "和宁波比呢")
    assert second.intent == "compare" and "杭州" in second.text and "宁波" in second.text


def test_follow_up_result_becomes_it(engine):
    *_, last = _chat(engine, "2016年前三名", "第四名呢", "它2015年排第几")
    assert "北京" in last.text and "79.72" in last.text


def test_follow_up_scope_keeps_the_city(engine):
    _, second = _chat(engine, "成都政府网站排名", "在省会城市里呢")
    assert second.intent == "rank" and "省会城市" in second.text and "成都" in second.text and "第1" in second.text


def test_follow_up_membership_question(engine):
    _, second = _chat(engine, "南京数字经济排名", "它在长三角吗")
    assert second.intent == "meta" and second.text.startswith("是的")


def test_no_such_position_when_ties_fill_it(engine):
    _, second = _chat(engine, "2015年智慧管理第一名", "第二名呢")
    assert "没有第2名" in second.text and "宁波" in second.text and "杭州" in second.text


def test_complete_question_starts_afresh(engine):
    _, second = _chat(engine, "无锡2015智慧管理排名", "南京数字经济排名")
    assert "数字经济" in second.text and "智慧管理" not in second.text


def test_pronoun_without_antecedent_asks(engine):
    (reply,) = _chat(engine, "它的总分呢")
    assert reply.status == "clarify"


def test_context_survives_serialisation(engine):
    from nlu.context import Context

    reply = engine.answer("无锡2015智慧管理排名")
    ctx = Context.from_dict(reply.context.to_dict())
    assert "杭州" in engine.answer("那杭州呢", ctx).text


def test_apply_without_context_is_identity(lex):
    frame = parse("无锡排名", lex)
    assert apply(frame, None) is frame


@pytest.mark.parametrize("text, typed, meant", [("数子经济 南通 排名", "数子经济", "数字经济"), ("惠州政付网站排第几", "政付网站", "政府网站")])
def test_a_report_name_one_character_off_is_corrected_and_said(lex, text, typed, meant):
    frame = parse(text, lex)
    assert (typed, meant) in frame.corrections and frame.report_keys
