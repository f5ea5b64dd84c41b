"""Wording a reader on a phone meets: one bracket at a time, totals that say what the table is,
computed ranks that say the report printed none."""
from __future__ import annotations

import re

import pytest

QUESTIONS = ["2016年无锡的智慧管理得分", "2016年福州的智慧服务得分", "杭州2016年智慧管理排名", "合肥在安徽排第几",
             "绵阳在成渝城市群里数字经济排第几", "无锡排名", "苏州政府网站排名", "吉林省政府网站排名",
             "无锡2015智慧管理排名", "2021年领军城市有哪些"]


@pytest.mark.parametrize("question", QUESTIONS)
def test_no_doubled_brackets_or_opaque_words(engine, question):
    text = engine.answer(question).text
    assert "）（" not in text and "按分值" not in text, text
    assert not re.search(r"前\d+名表中[^。\n]*，共 \d+ 个", text), text  # a partial table never reads 「共 131 个」


def test_a_computed_rank_and_a_renamed_indicator_share_one_bracket(engine):
    text = engine.answer("2016年无锡的智慧管理得分").text
    assert "（报告未印名次，按得分算出；2016 年报告中「智慧管理」称为「智慧治理」）" in text


def test_a_rank_inside_a_province_says_the_report_prints_none(engine):
    assert engine.answer("合肥在安徽排第几").text.endswith("报告未印组内名次，按得分算出。")


def test_partial_tables_and_ties_read_as_the_table_prints_them(engine):
    assert "前100名表中与苏州并列第2（该表列出 131 个）" in engine.answer("无锡政府网站排名").text
    assert "与合肥并列第3，共 151 个" in engine.answer("无锡2015智慧管理排名").text
