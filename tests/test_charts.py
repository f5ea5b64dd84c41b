"""Charts: the plotted data read back from the matplotlib figure, for every kind of chart."""
from __future__ import annotations

import logging
import math
import warnings

import pytest

from bot import charts

BARS = {"title": "2015 智慧城市评估（第五届） 总分前10名", "labels": ["无锡", "上海", "北京", "杭州"],
        "values": [80.2, 80.05, 79.72, 76.97], "texts": ["80.20", "80.05", "79.72", "76.97"]}
RATES = {"kind": "rates", "title": "上海 2015 各项得分率", "labels": ["智慧基础设施", "智慧管理", "加分项"],
         "values": [85.4, 61.5, 100.0], "texts": ["85.40%", "61.50%", "100%"]}
RANKS = {"kind": "ranks", "title": "北京 智慧城市评估历届排名", "labels": ["2011", "2012", "2013", "2015", "2016"],
         "values": [1, 2, None, 3, 4], "texts": ["第1", "第2", "", "第3（并列）", "第4"],
         "computed": [False, False, False, False, True]}


def bars_top_to_bottom(ax) -> list[tuple[str, float]]:
    """(label, width) of each bar as seen from the top of the chart down."""
    labels = {round(t.get_position()[1]): t.get_text().replace("\n", "") for t in ax.get_yticklabels()}
    bars = sorted(ax.patches, key=lambda p: p.get_y(), reverse=ax.yaxis_inverted() is False)
    return [(labels[round(p.get_y() + p.get_height() / 2)], p.get_width()) for p in bars]


def test_bars_are_drawn_in_the_given_order_first_at_the_top():
    values = [3.0, 9.0, 1.0, 5.0]  # deliberately not sorted: the order is the answer's, not the chart's
    ax = charts.figure({**BARS, "values": values}).axes[0]
    assert ax.yaxis_inverted()
    assert bars_top_to_bottom(ax) == list(zip(BARS["labels"], values))
    written = [t.get_text() for t in ax.texts]
    assert written == BARS["texts"]


def test_highlighted_bar_has_its_own_colour():
    ax = charts.figure({**BARS, "highlight": 2}).axes[0]
    colours = [p.get_facecolor() for p in sorted(ax.patches, key=lambda p: p.get_y())]
    assert colours[2] != colours[0] and len({colours[i] for i in (0, 1, 3)}) == 1
    assert ax.get_yticklabels()[2].get_color() != ax.get_yticklabels()[0].get_color()
    plain = charts.figure(BARS).axes[0]
    assert len({p.get_facecolor() for p in plain.patches}) == 1


def test_rates_stay_on_a_0_to_100_percent_axis():
    ax = charts.figure(RATES).axes[0]
    assert [w for _, w in bars_top_to_bottom(ax)] == RATES["values"]
    assert all(0 <= p.get_width() <= 100 for p in ax.patches)
    assert ax.get_xlim()[0] == 0 and max(ax.get_xticks()) == 100
    assert ax.get_xlabel() == "得分率（%）"
    low = charts.figure({**RATES, "values": [3.0, 40.0, 7.5]}).axes[0]  # small rates keep the whole axis
    assert max(low.get_xticks()) == 100


def test_ranks_put_rank_one_at_the_top_with_a_gap_for_a_missing_edition():
    fig = charts.figure(RANKS)
    ax = fig.axes[0]
    assert ax.yaxis_inverted()
    assert 1 in ax.get_yticks() and min(ax.get_yticks()) >= 1
    (line,) = ax.get_lines()
    ys = list(line.get_ydata())
    assert ys[:2] == [1, 2] and math.isnan(ys[2]) and ys[3:] == [3, 4]
    assert [t.get_text() for t in ax.get_xticklabels()] == RANKS["labels"]
    assert [t.get_text().replace("\n", "") for t in ax.texts] == ["第1", "第2", "第3（并列）", "第4"]
    hollow = [c.get_facecolor()[0].tolist() for c in ax.collections]
    assert hollow[-1] != hollow[0]  # the computed rank is drawn differently
    assert any(charts.COMPUTED_NOTE in t.get_text() for t in fig.texts)
    printed = charts.figure({**RANKS, "computed": None})
    assert not any(charts.COMPUTED_NOTE in t.get_text() for t in printed.texts)


def test_default_rank_texts_and_a_given_note():
    fig = charts.figure({"kind": "ranks", "title": "广州", "labels": ["2015", "2016"], "values": [12, 47],
                         "note": "2016 年的名次按总分排出"})
    assert [t.get_text() for t in fig.axes[0].texts] == ["第12名", "第47名"]
    assert any("按总分排出" in t.get_text() for t in fig.texts)


PANELS = {"kind": "panels", "title": "杭州、南京 对比", "panels": [
    {**BARS, "title": "2016 智慧经济", "labels": ["杭州", "南京"], "values": [9.8, 8.3], "texts": ["9.8", "8.3"]},
    {**BARS, "title": "2015 智慧经济", "labels": ["南京", "杭州", "宁波"], "values": [11.0, 10.84, 7.87],
     "texts": ["11.00", "10.84", "7.87"]}]}


@pytest.mark.parametrize("chart", [BARS, RATES, RANKS, PANELS], ids=["bars", "rates", "ranks", "panels"])
def test_every_axis_has_a_label(chart):
    for ax in charts.figure(chart).axes:
        assert ax.get_xlabel() and ax.get_ylabel()


def test_panels_draw_each_report_on_its_own_axis_in_its_own_order():
    fig = charts.figure(PANELS)
    assert len(fig.axes) == 2
    for ax, panel in zip(fig.axes, PANELS["panels"]):
        assert bars_top_to_bottom(ax) == list(zip(panel["labels"], panel["values"]))
        assert ax.get_title(loc="left") == panel["title"]


def test_rank_ticks_start_at_one_and_are_evenly_spaced():
    for worst in (4, 7, 9, 14, 20, 151):
        ticks = list(charts.figure({**RANKS, "values": [1, 2, None, 3, worst]}).axes[0].get_yticks())
        assert ticks[0] == 1 and max(ticks) <= worst and len(ticks) >= 3, (worst, ticks)
        if worst <= 20:
            assert len({b - a for a, b in zip(ticks, ticks[1:])}) == 1, (worst, ticks)


def test_axis_label_comes_from_xlabel_or_unit():
    assert charts.figure({**BARS, "xlabel": "总分"}).axes[0].get_xlabel() == "总分"
    assert charts.figure({**BARS, "unit": "指数"}).axes[0].get_xlabel() == "指数"


def test_title_says_what_part_of_a_longer_list_is_shown():
    fig = charts.figure({**BARS, "title": "2016 总分前30名", "shown_of": 30})
    assert "前4名" in fig._suptitle.get_text().replace("\n", "")
    assert "图中" not in charts.figure({**BARS, "shown_of": 4})._suptitle.get_text()


def test_long_names_wrap_at_a_natural_break():
    assert charts._wrap("红河哈尼族彝族自治州（云南）", 8) == "红河哈尼族彝族自治州\n（云南）"
    assert charts._wrap("无锡", 8) == "无锡"
    assert all(len(line) <= 10 for line in charts._wrap("一二三四五六七八九十一二三四五六七八九十", 8).splitlines())


@pytest.mark.parametrize("chart", [BARS, {**BARS, "highlight": 1}, RATES, RANKS, PANELS],
                         ids=["old", "highlight", "rates", "ranks", "panels"])
def test_every_kind_renders_without_missing_glyphs_or_font_fallbacks(chart, caplog):
    with warnings.catch_warnings(), caplog.at_level(logging.WARNING, logger="matplotlib"):
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)"
        png = charts.render(chart)
    assert png.startswith(b"\x89PNG") and len(png) > 5000
    assert not [r for r in caplog.records if r.name.startswith("matplotlib")]  # e.g. "findfont: … bold"
    parts = chart.get("panels") or [chart]
    text = "".join([x for p in parts for x in p["labels"] + p["texts"] + [p["title"]]]
                   + [chart["title"], charts.COMPUTED_NOTE, "得分率（%）城市/地区指标年份排名图中为前名第"])
    assert not {ch for ch in text if not ch.isspace()} - charts.covered_characters()


# --- the charts answers come with, read back ------------------------------------------------------
def test_profile_plots_each_score_against_its_own_maximum(engine):
    reply = engine.answer("上海2015年智慧城市各项得分")
    ax = charts.figure(reply.chart).axes[0]
    drawn = dict(bars_top_to_bottom(ax))
    assert drawn["智慧人群"] == pytest.approx(67.8) and drawn["智慧管理"] == pytest.approx(61.5)  # 6.78/10, 12.30/20
    assert "得分率" in ax.get_xlabel() and "6.78/10" in [t.get_text() for t in ax.texts]


def test_compare_chart_is_in_the_order_of_the_text(engine):
    reply = engine.answer("2015年泉州 福州 厦门 智慧基础设施对比")
    names = [name for name, _ in bars_top_to_bottom(charts.figure(reply.chart).axes[0])]
    assert names == ["厦门", "泉州", "福州"]
    assert [reply.text.index(n) for n in names] == sorted(reply.text.index(n) for n in names)
    assert "比泉州高" in reply.text and "比福州高" in reply.text  # every city is compared


def test_a_comparison_in_two_reports_charts_both_in_the_order_of_the_text(engine):
    reply = engine.answer("杭州 宁波 南京 智慧经济 哪个强")
    fig = charts.figure(reply.chart)
    assert reply.chart["kind"] == "panels" and len(fig.axes) == 2
    for ax, line in zip(fig.axes, reply.text.splitlines()):
        assert line[:4] in ax.get_title(loc="left")  # the report of that line (2016, then 2015)
        names = [name for name, _ in bars_top_to_bottom(ax)]
        assert [line.index(n) for n in names] == sorted(line.index(n) for n in names)


def test_a_profile_without_maximums_labels_its_axis_as_indicators(engine):
    ax = charts.figure(engine.answer("上海2016年各项得分").chart).axes[0]
    assert ax.get_ylabel() == "指标" and "报告未印各项满分" in ax.get_xlabel()
    assert [name for name, _ in bars_top_to_bottom(ax)][:2] == ["智慧基础设施", "智慧治理"]


def test_a_rank_history_ends_where_the_city_was_last_ranked(engine):
    chart = engine.answer("浦东新区历届排名").chart  # a district: in the 2011–2014 top tens, not in 2015 or 2016
    assert chart["labels"] == ["2011", "2012", "2013", "2014"] and not chart["note"]
    nanjing = engine.answer("南京历届排名").chart  # not in the 2012 and 2013 top tens
    assert None in nanjing["values"] and "未进前十" in nanjing["note"]


def test_trend_comes_with_a_rank_chart_across_editions(engine):
    chart = engine.answer("北京历届排名").chart
    ax = charts.figure(chart).axes[0]
    xs, ys = ax.lines[0].get_data()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2011", "2012", "2013", "2014", "2015", "2016"]
    assert list(ys) == [9, 7, 6, 3, 3, 4] and ax.yaxis_inverted()
    assert chart["computed"] == [False] * 5 + [True] and "2021" in chart["note"]  # 2016 ranks are computed


def test_rank_in_a_small_table_highlights_the_city(engine):
    reply = engine.answer("杭州在省会城市中排第几")
    ax = charts.figure(reply.chart).axes[0]
    names = [name for name, _ in bars_top_to_bottom(ax)]
    assert names[reply.chart["highlight"]] == "杭州" and len(names) == 23
    assert engine.answer("无锡2015智慧管理排名").chart is None  # 151 rows: no chart


def test_top_list_chart_says_it_draws_fewer_than_listed(engine):
    fig = charts.figure(engine.answer("2015年前20名").chart)
    assert "图中为前15名" in fig._suptitle.get_text().replace("\n", "")
