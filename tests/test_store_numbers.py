"""The store holds every number exactly as the reports print it."""
from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from pathlib import Path

import pytest

from store.parse_sc2015 import LEVEL1

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"


def rows(db_path, sql, params=()):
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.mark.parametrize("report, table_like, scope, expected", [
    ("sc2015", "图表 6 %", "全部", 151 * 8),
    ("sc2015", "附件 1%", "附件1", 151 * 18),
    ("sc2016", "%", "全部", 201 * 9),
    ("de2020", "城市评分及排名%", "全部", 148),
    ("de2020", "%", "市辖区", 50),
    ("de2020", "%", "县市", 50),
    ("gw2020", "直辖市%", "直辖市", 4 * 9),
    ("gw2020", "%", "省/自治区", 23 * 9),
    ("gw2020", "%", "副省级城市", 15 * 9),
    ("gw2020", "%", "省会城市", 23 * 9),
    ("gw2020", "%", "地市", 131 * 9),
    ("gw2020", "%", "区县", 124 * 8),
    ("sc2015", "%华东%", "华东", 57),
    ("sc2015", "%地级市%", "地级市", 115),
])
def test_row_counts(db_path, report, table_like, scope, expected):
    (count,) = rows(db_path, "select count(*) from scores where report = ? and source_table like ? and scope = ?",
                    (report, table_like, scope))[0]
    assert count == expected


def test_tier_and_cluster_sizes(store):
    sizes = {g: len(store.members("de2020", "tier", g)) for _, g in store.groups("de2020", "tier")}
    assert sizes == {"一线": 6, "新一线": 29, "二线": 69, "三线": 26, "四线": 18}
    clusters = {g: len(store.members("de2020", "cluster", g)) for _, g in store.groups("de2020", "cluster")}
    assert clusters == {"京津冀": 13, "粤港澳大湾区": 9, "成渝": 16, "长三角": 41}
    tiers2021 = {g: len(store.members("sc2021", "tier", g)) for _, g in store.groups("sc2021", "tier")}
    assert tiers2021 == {"领军": 8, "先锋": 17, "探索": 25}


def test_2015_level2_sum_to_level1_and_level1_to_total(db_path):
    annex = defaultdict(dict)
    for city, ind, v in rows(db_path, "select printed_name, indicator, value from scores where report='sc2015' and scope='附件1'"):
        annex[city][ind] = v
    overall = defaultdict(dict)
    for city, ind, v in rows(db_path, "select printed_name, indicator, value from scores where report='sc2015' "
                                      "and source_table like '图表 6 %'"):
        overall[city][ind] = v
    assert len(annex) == 151
    for city in annex:
        for l1, parts in LEVEL1.items():
            assert sum(annex[city][p] for p in parts) == pytest.approx(overall[city][l1], abs=0.011), (city, l1)
        total = sum(overall[city][l1] for l1 in LEVEL1) + overall[city]["加分项"]
        assert total == pytest.approx(overall[city]["总分"], abs=0.011), city


def test_2016_parts_sum_to_total_within_printed_rounding(db_path):
    table = defaultdict(dict)
    for city, ind, v, text in rows(db_path, "select printed_name, indicator, value, value_text from scores where report='sc2016'"):
        table[city][ind] = (v, text)
    worst = 0.0
    for city, cols in table.items():
        parts = [k for k in cols if k != "总分"]
        # a value printed with one decimal (or none: a dropped trailing zero) is off by up to 0.05
        tolerance = sum(0.005 if re.search(r"\.\d\d$", cols[k][1]) else 0.05 for k in parts) + 1e-9
        gap = abs(sum(cols[k][0] for k in parts) - cols["总分"][0])
        worst = max(worst, gap)
        assert gap <= tolerance, city
    assert worst == pytest.approx(0.13, abs=0.005)  # the gap the README documents


def test_2015_ranking_tables_agree_with_annex(db_path):
    annex = {(c, i): t for c, i, t in rows(db_path, "select printed_name, indicator, value_text from scores "
                                                    "where report='sc2015' and scope='附件1'")}
    checked = 0
    for city, ind, text, table in rows(db_path, "select printed_name, indicator, value_text, source_table from scores "
                                                "where report='sc2015' and scope='全部' and year=2015 and measure='score'"):
        if (city, ind) in annex:
            assert float(text) == float(annex[(city, ind)]), (city, ind, table)
            checked += 1
    assert checked > 151 * 20


def test_scores_never_rise_as_printed_ranks_fall_except_recorded_anomalies(db_path, store):
    groups = defaultdict(list)
    for report, table, scope, ind, year, measure, rank, value, line in rows(
            db_path, "select report, source_table, scope, indicator, year, measure, rank, value, source_line "
                     "from scores where rank_kind = 'printed'"):
        groups[(report, table, scope, ind, year, measure)].append((rank, -value, line))
    assert len(groups) > 40
    recorded = {(a["report"], a["line"]) for a in store.anomalies()}
    violations = []
    for key, ranked in groups.items():
        ranked.sort()
        for (r1, v1, _), (r2, v2, line) in zip(ranked, ranked[1:]):
            if -v2 > -v1 + 1e-9 or (r1 == r2 and v1 != v2):
                violations.append((key[0], line))
    assert violations, "the 2015 cloud-platform table ties 金昌 1.10 with the 1.00 group"
    assert set(violations) <= recorded


def test_digital_economy_ranks_1_to_148_once(db_path):
    ranks = [r for (r,) in rows(db_path, "select rank from scores where report='de2020' and scope='全部'")]
    assert sorted(ranks) == list(range(1, 149))


@pytest.mark.parametrize("report, city, indicator, text, rank, ties", [
    ("sc2015", "无锡", "智慧管理", "15.73", 3, ["合肥"]),
    ("sc2015", "宁波", "智慧管理", "16.83", 1, ["杭州"]),
    ("sc2015", "无锡", "总分", "80.20", 1, []),
    ("sc2015", "荆州", "总分", "35.56", 86, ["淮安"]),
    ("sc2016", "鞍山", "总分", "36.01", 161, []),
    ("de2020", "烟台", "数字经济指数", "66.4", 32, []),
    ("de2020", "六安", "数字经济指数", "39.8", 131, []),
    ("gw2020", "无锡", "总分", "91.5", 2, ["苏州"]),
])
def test_spot_checks(store, eid, report, city, indicator, text, rank, ties):
    v = store.value(report, eid(city), indicator)
    assert (v.value_text, v.rank, sorted(v.ties)) == (text, rank, sorted(ties))


def test_a_city_across_reports(store, eid):
    got = {(v.report, v.indicator, v.value_text) for v in store.across(eid("无锡"))}
    assert got == {("gw2020", "总分", "91.5"), ("de2020", "数字经济指数", "80.6"), ("sc2016", "总分", "76.71"),
                   ("sc2015", "总分", "80.20")}
    assert [v.report for v in store.across(eid("杭州"), "智慧经济")] == ["gw2020", "de2020", "sc2016", "sc2015"]


def test_2015_printed_regions_match_the_province_mapping(store):
    for _, region in store.groups("sc2015", "region"):
        for m in store.members("sc2015", "region", region):
            assert store.entity(m.entity_id).region in region.split("与"), (m.entity, region)


def test_2015_province_counts_and_means_match_the_printed_table(store):
    counts = {st.subject: int(st.value_text) for st in store.stats("sc2015", kind="count") if st.subject.startswith("province:")}
    assert len(counts) == 27
    for subject, printed in counts.items():
        province = subject.split(":")[1]
        assert len(store.group_entities("sc2015", "province", province)) == printed, province
        mean = store.group_mean("sc2015", "总分", "province", province)
        assert mean.computed == pytest.approx(mean.printed.value, abs=0.05), province  # printed to 1 or 2 decimals


def test_2016_ranks_are_computed_and_marked(store, eid):
    v = store.value("sc2016", eid("北京"), "总分")
    assert (v.rank, v.rank_kind) == (4, "computed")


def test_city_missing_from_a_ranking_table_falls_back_to_annex_values(store, eid):
    v = store.value("sc2015", eid("天津"), "基础信息资源建设与共享")
    assert v.value_text == "6.50" and v.rank_kind == "computed"


def test_printed_text_is_kept(store, eid):
    assert store.value("sc2015", eid("无锡"), "总分").value_text == "80.20"
    assert store.value("sc2016", eid("石家庄"), "减分项").value_text == "-0.5"


def test_every_printed_weight_and_stat_is_in_the_raw_text(store):
    raw = "".join(p.read_text(encoding="utf-8") for p in RAW.glob("*.txt"))
    compact = re.sub(r"\s+", "", raw)
    for rep in store.reports():
        for st in store.stats(rep.key):
            assert re.sub(r"\s+", "", st.value_text) in compact, (rep.key, st)
            assert re.sub(r"\s+", "", st.sentence)[:20] in compact or st.sentence.startswith(("表 3-13", "图表"))


def test_anomalies_file_matches_the_build(store):
    from store.__main__ import anomalies_markdown

    assert (ROOT / "data" / "ANOMALIES.md").read_text(encoding="utf-8") == anomalies_markdown(store.anomalies())


@pytest.mark.parametrize("needle", ["宁波 重复", "缺少 天津", "缺少 雅安", "荆州", "表头印作", "照抄", "标题互换", "未对齐", "二线城市名单"])
def test_known_traps_are_recorded(store, needle):
    assert any(needle in a["what"] for a in store.anomalies())


def test_failed_build_leaves_previous_database(tmp_path, db_path):
    from store.build import build

    target = tmp_path / "scores.db"
    target.write_bytes(Path(db_path).read_bytes())
    before = target.read_bytes()
    bad_raw = tmp_path / "raw"
    bad_raw.mkdir()
    for p in RAW.glob("*.txt"):
        (bad_raw / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    de = next(bad_raw.glob("003_*.txt"))
    de.write_text(de.read_text(encoding="utf-8").replace("排名 城市 评分", "xx"), encoding="utf-8")
    with pytest.raises(ValueError, match="header"):
        build(target, bad_raw)
    assert target.read_bytes() == before
    assert not list(tmp_path.glob(".scores-*"))


def test_store_opens_read_only(store):
    with pytest.raises(sqlite3.DatabaseError):  # more in test_store_open.py
        store.conn.execute("delete from scores")


def test_the_county_indicator_system_is_stored_as_printed_and_its_weights_add_up(store):
    """数字经济's appendix prints a second system for its 市辖区 and 县市 tables: every weight in it is printed in
    the appendix, and the weights of each level add up to 100%."""
    text = (RAW / "003_5df1c8c77506a7d3.txt").read_text(encoding="utf-8")
    county = text[text.index("县域（市、区）数字经济指标体系", text.index("附录")):]
    for scope in ("市辖区", "县市"):
        title, inds = store.indicator_system("de2020", scope)
        assert title == "县域（市、区）数字经济指标体系"
        top = [i for i in inds if i.level == 1]
        assert [i.name for i in top] == ["数据及信息化基础设施", "服务与治理", "产业融合"]
        assert sum(int(i.weight.rstrip("%")) for i in top) == 100
        for parent in top:
            parts = [i for i in inds if i.parent == parent.name]
            assert sum(int(i.weight.rstrip("%")) for i in parts) == 100, parent.name
            assert f"{parent.name} {parent.weight}" in text and all(f"{i.name} {i.weight}" in text for i in parts)
        assert "服务与治理 40%" in county
    assert store.indicator_system("de2020", "全部") is None and store.indicator_system("sc2015", "县市") is None


@pytest.mark.parametrize("report, model", [("sc2015", "PSF 智慧城市评估模型"), ("sc2021", "SMART 理论模型")])
def test_the_model_a_report_states_is_stored_with_its_sentence_and_line(store, report, model):
    said = store.stats(report, "model", kind="model")
    assert [s.value_text for s in said] == [model]
    raw = {"sc2015": "001_538fd9eeac6a60e1.txt", "sc2021": "004_c4404687618f5804.txt"}[report]
    line = (RAW / raw).read_text(encoding="utf-8").splitlines()[said[0].line - 1]
    assert model in line and model in said[0].sentence
