"""Follow-up buttons: built from the answer's own query, concrete, and never a loop.

Every offered question is asked, in the context the answer leaves (as a tap in Telegram or a
typed follow-up in the console is), and must be answered — with a different message."""
from __future__ import annotations

import pytest

from bot import cli, render

# One question per answer kind where a next step is natural.
KINDS = [
    ("无锡2015智慧管理排名", "rank"), ("无锡排名", "rank"), ("吉林市排名", "rank"), ("无锡政府网站排名", "rank"),
    ("大连2015年加分项", "lookup"), ("上海2015年智慧城市各项得分", "profile"), ("北京市政府网站各项指数", "profile"),
    ("2015年常州和镇江总分差多少", "compare"), ("杭州 宁波 南京 智慧经济 哪个强", "compare"),
    ("2015年前十名", "top"), ("数字经济前十", "top"), ("2016倒数五名", "top"),
    ("南京是数字经济几线城市", "tier"), ("2021年领军城市有哪些", "tier"), ("北京历届排名", "trend"),
    ("2015年倒数第一", "top"), ("数字经济第31名是谁", "top"), ("省级政府网站第三名是谁", "top"),
    ("杭州政府网站排名", "rank"), ("吉林省排名", "rank"),
    ("2015年华东地区平均分", "region_avg"), ("江苏参评城市2015平均得分是多少", "region_avg"),
    ("广东哪些城市进了数字经济前30", "filter"), ("2016年广西最好的城市", "top"),
]
VAGUE = {"另一年份", "其他报告", "该指标前十", "与上一名对比"}


@pytest.mark.parametrize("question, intent", KINDS)
def test_every_button_leads_to_a_different_answered_question(engine, question, intent):
    reply = engine.answer(question)
    assert (reply.status, reply.intent) == ("ok", intent)
    assert len(reply.suggestions) >= (1 if question == "吉林省排名" else 2), reply.suggestions
    answers = {reply.text}
    for label, asked in reply.suggestions:
        assert label not in VAGUE and len(label) <= 8
        got = engine.answer(asked, reply.context)
        assert got.status == "ok" and got.facts, (label, asked, got.text)  # answered, with figures
        assert got.text not in answers, f"「{label}」 repeats an answer: {asked}"
        assert engine.answer(asked).text == got.text, f"「{label}」 means something else when tapped later: {asked}"
        answers.add(got.text)


def test_labels_name_the_year_the_indicator_and_the_city(engine):
    labels = [label for label, _ in engine.answer("无锡2015智慧管理排名").suggestions]
    assert labels == ["2016年", "智慧管理前十", "和合肥比"]  # 合肥 is tied with 无锡
    tier = engine.answer("无锡是数字经济几线城市").suggestions
    assert ("广州呢", "广州是数字经济几线城市") in tier  # the city ranked just above


def test_a_position_offers_the_next_place_its_list_and_the_city_found(engine):
    assert engine.answer("2015年倒数第一").suggestions == [
        ("倒数第2", "2015年倒数第2名是谁"), ("倒数十名", "2015年倒数十名"), ("漯河各项", "漯河2015年各项得分")]
    assert [label for label, _ in engine.answer("数字经济第31名是谁").suggestions] == ["第32名", "前十", "珠海排名"]


@pytest.mark.parametrize("scope", ["直辖市", "省/自治区", "副省级城市", "省会城市", "地市", "区县"])
def test_a_category_named_in_a_button_reads_that_one_table(engine, scope):
    from bot import followups

    for asked in (f"政府网站{followups._say_scope(scope)}前十", f"政府网站{followups._say_scope(scope)}第2名是谁"):
        got = engine.answer(asked)
        assert got.status == "ok" and "\n" not in got.text and f"·{scope} " in got.text, (asked, got.text)


def test_no_button_leads_to_an_answer_without_figures(engine):
    # 2015 ranks provinces by their cities' mean and prints no parts for them: 「吉林省2015年各项得分」 is a header only
    assert not engine.answer("吉林省2015年各项得分").facts
    assert "吉林省2015年各项得分" not in [q for _, q in engine.answer("吉林省排名").suggestions]
    assert not [q for _, q in engine.answer("江苏省2015年排名").suggestions if "各项" in q]


def test_keep_drops_repeats_unanswered_and_duplicate_questions(engine):
    from bot import followups

    reply = engine.answer("无锡2015智慧管理排名")
    pairs = [("同一个", "无锡2015年智慧管理排名"), ("伦敦", "伦敦排名"), ("前十", "2015年智慧管理前十"),
             ("又是前十", "2015年智慧管理前10名"), ("2016年", "无锡2016年智慧管理排名")]
    kept = followups.keep(pairs, reply, lambda q: engine.answer(q, reply.context, follow_ups=False))
    assert kept == [("前十", "2015年智慧管理前十"), ("2016年", "无锡2016年智慧管理排名")]


def test_overview_offers_no_way_back_to_itself(engine):
    reply = engine.answer("无锡排名")
    assert all(engine.answer(q, reply.context).text != reply.text for _, q in reply.suggestions)
    assert "无锡排名" not in [q for _, q in reply.suggestions]


def test_clarify_and_out_of_scope_offer_no_follow_ups(engine):
    assert engine.answer("吉林排名").suggestions == []
    assert engine.answer("今天天气怎么样").suggestions == []


def test_console_suggests_the_same_checked_questions(engine):
    reply = engine.answer("无锡2015智慧管理排名")
    line = cli.suggestions_line(reply, "无锡2015智慧管理排名")
    assert line == "可以接着问：" + " / ".join(q for _, q in reply.suggestions)


def test_buttons_are_laid_out_two_or_three_a_row():
    short = [(x, x) for x in ("2016年", "各项得分", "和合肥比", "杭州呢")]
    assert [len(r) for r in render.rows(short)] == [3, 1]
    assert [len(r) for r in render.rows([(x, x) for x in ("智慧管理前十", "和合肥比", "2016年")])] == [2, 1]
    assert [len(r) for r in render.rows([("无锡2015智慧管理排名", "q")] * 2)] == [1, 1]  # whole example questions
