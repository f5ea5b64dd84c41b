"""The vocabulary the parser matches, generated once from the store.

Surface form → senses: an entity (every printed name, official name and short
stem the store knows, plus well-known nicknames), an indicator (every indicator
of every report, its synonyms and common short forms), a group (regions, admin
levels, tiers, clusters, provinces), a report keyword, or a known place that no
report evaluates.  jieba gets every surface as a user word, so tokenisation keeps
names whole.  A toneless-pinyin index of entity names serves typo correction.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import re
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from store.query import Store

os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")  # single-character readings: 10× faster to load, same on both sides

from nlu.normalize import basic  # noqa: E402


def _import_jieba():
    """jieba 0.42 imports pkg_resources only to open its own model files (0.1 s of a cold start)
    and opens them by path when that import fails: make it fail for jieba alone."""
    if "pkg_resources" in sys.modules:
        import jieba
    else:
        sys.modules["pkg_resources"] = None  # `import pkg_resources` raises ImportError while this is here
        try:
            import jieba
        finally:
            if sys.modules.get("pkg_resources", 0) is None:
                del sys.modules["pkg_resources"]
    return jieba


jieba = _import_jieba()

jieba.setLogLevel(logging.WARNING)

NICKNAMES = {
    "魔都": ["上海"], "申城": ["上海"], "沪": ["上海"], "帝都": ["北京"], "首都": ["北京"], "京城": ["北京"],
    "羊城": ["广州"], "花城": ["广州"], "穗": ["广州"], "鹏城": ["深圳"], "蓉城": ["成都"], "泉城": ["济南"],
    "春城": ["昆明"], "江城": ["武汉"], "星城": ["长沙"], "龙城": ["太原", "常州", "柳州"], "绿城": ["郑州", "南宁"],
    "山城": ["重庆"], "雾都": ["重庆"], "渝": ["重庆"], "津门": ["天津"], "金陵": ["南京"], "姑苏": ["苏州"],
    "锡城": ["无锡"], "甬城": ["宁波"], "榕城": ["福州"], "鹭岛": ["厦门"], "冰城": ["哈尔滨"], "岛城": ["青岛"],
    "邕城": ["南宁"], "洪城": ["南昌"], "庐州": ["合肥"], "杭城": ["杭州"], "筑城": ["贵阳"], "林城": ["贵阳"],
    "襄樊": ["襄阳"], "思茅": ["普洱"], "大庸": ["张家界"], "渡口": ["攀枝花"], "徽州": ["黄山"], "浑江": ["白山"],
    "淮阴": ["淮安"], "通什": ["五指山"], # former names of prefectures (renamed 1987–2010)
    "青城": ["呼和浩特"], "金城": ["兰州"], "夏都": ["西宁"], "凤城": ["银川"], "盛京": ["沈阳"], "并州": ["太原"],
    "长安": ["西安"], "古都": ["西安"], "石门": ["石家庄"], "商都": ["郑州"], "滨城": ["大连"], "英雄城": ["南昌"],
    "北国春城": ["长春"], "维扬": ["扬州"],
    "日光城": ["拉萨"], "呼市": ["呼和浩特"], "乌市": ["乌鲁木齐"], "哈市": ["哈尔滨"], "石市": ["石家庄"], "椰城": ["海口"], "鹿城": ["温州", "包头", "三亚"], "莞城": ["东莞"], "禅城": [],
    "钢城": ["包头", "鞍山", "攀枝花"], "鹤城": ["齐齐哈尔", "鹤壁"], "钢都": ["鞍山"], "煤都": ["抚顺", "大同"], "瓷都": ["景德镇"], "药都": ["亳州"],
}
# Short forms people type → indicator names (any report that has the name).
INDICATOR_FORMS = {
    "基础设施": ["智慧基础设施"], "管理": ["智慧管理"], "治理": ["智慧治理"], "民生": ["智慧民生"],
    "人群": ["智慧人群"], "经济": ["智慧经济"], "服务": ["智慧服务", "城市服务"], "保障": ["保障体系"], "加分": ["加分项"], "减分": ["减分项"], "扣分": ["减分项"],
    "基础网络": ["基础网络建设水平"], "网络建设": ["基础网络建设水平"],
    "信息资源": ["基础信息资源建设与共享"], "基础信息资源": ["基础信息资源建设与共享"],
    "云平台": ["城市云平台应用情况"], "政府在线服务": ["政府在线服务水平"], "在线服务": ["政府在线服务水平"],
    "公共资源交易": ["公共资源交易平台"], "社会化媒体": ["社会化媒体参与度"], "社交媒体": ["社会化媒体参与度"],
    "民生服务": ["社会化民生服务水平"], "社会化民生服务": ["社会化民生服务水平"],
    "数据开放": ["数据开放服务水平", "数据开放指数"], "创新创业": ["城市创新创业水平"], "双创": ["城市创新创业水平"], "大众创业": ["城市创新创业水平"],
    "能耗": ["经济产出能耗水平"], "经济产出": ["经济产出能耗水平"], "互联网产业": ["互联网产业发展水平"],
    "信息服务业": ["信息服务业从业人员情况"], "从业人员": ["信息服务业从业人员情况"],
    "网络化": ["市民生活网络化水平"], "市民生活": ["市民生活网络化水平"], "发展规划": ["发展规划制定情况"],
    "规划": ["发展规划制定情况"], "宣传培训": ["市民信息化宣传培训"], "培训": ["市民信息化宣传培训"],
    "绩效考核": ["绩效考核情况"], "考核": ["绩效考核情况"],
    "信息发布": ["信息发布指数"], "解读回应": ["解读回应指数"], "办事服务": ["办事服务指数"],
    "互动交流": ["互动交流指数"], "管理保障": ["管理保障指数"], "功能推广": ["功能推广指数"],
    "创新案例": ["创新案例指数"], "数字经济指数": ["数字经济指数"], "发展水平指数": ["发展水平指数"],
}
TOTAL_FORMS = ["总分", "综合", "总排名", "综合排名", "总得分", "总成绩", "总评分", "总体", "整体", "总指数",
               "智慧城市排名", "智慧城市指数", "智慧城市发展水平", "发展水平"]
REPORT_FORMS = {
    "政府网站": "gw2020", "网站": "gw2020", "门户网站": "gw2020", "政务网站": "gw2020", "网站绩效": "gw2020",
    "数字经济": "de2020", "白皮书": "de2020", "新华三": "de2020", "城市画像": "de2020",
    "梯队": "sc2021", "调查评估": "sc2021", "智慧城市": "smart", "国脉": "smart", "智慧化": "smart",
}
GROUP_FORMS = {
    "华东": ("region", "华东"), "华南": ("region", "华南"), "华北": ("region", "华北"), "东北": ("region", "东北"),
    "华中": ("region", "华中"), "西北": ("region", "西北"), "西南": ("region", "西南"),
    "华北与东北": ("region", "华北与东北"), "华北和东北": ("region", "华北与东北"), "华北东北": ("region", "华北与东北"),
    "西北与西南": ("region", "西北与西南"), "西北和西南": ("region", "西北与西南"), "西北西南": ("region", "西北与西南"),
    "直辖市及计划单列市": ("admin_level", "直辖市及计划单列市"), "直辖市": ("admin_level", "直辖市"),
    "计划单列市": ("admin_level", "计划单列市"), "省会城市": ("admin_level", "省会城市"), "省会": ("admin_level", "省会城市"),
    "地级市": ("admin_level", "地级市"), "地市": ("admin_level", "地级市"), "地市级": ("admin_level", "地级市"),
    "副省级城市": ("admin_level", "副省级城市"), "副省级": ("admin_level", "副省级城市"),
    "省级": ("admin_level", "省/自治区"), "省份": ("admin_level", "省/自治区"), "各省": ("admin_level", "省/自治区"),
    "区县": ("admin_level", "区县"), "市辖区": ("admin_level", "市辖区"), "县市": ("admin_level", "县市"),
    "县域": ("admin_level", "区县"), "县级市": ("admin_level", "县市"),  # 县域（市、区）: the report's word for both
    "一线": ("tier", "一线"), "新一线": ("tier", "新一线"), "二线": ("tier", "二线"), "三线": ("tier", "三线"),
    "四线": ("tier", "四线"), "领军": ("tier", "领军"), "先锋": ("tier", "先锋"), "探索": ("tier", "探索"),
    "长三角": ("cluster", "长三角"), "京津冀": ("cluster", "京津冀"), "粤港澳大湾区": ("cluster", "粤港澳大湾区"),
    "粤港澳": ("cluster", "粤港澳大湾区"), "大湾区": ("cluster", "粤港澳大湾区"), "成渝": ("cluster", "成渝"),
    "珠三角": ("cluster", "珠三角"),
    "自治州": ("place_kind", "自治州"), "民族自治州": ("place_kind", "自治州"),  # a kind of place, by its official name
}

# Cities people name together in one joined word (苏锡常): each a city of its own.
JOINED_NAMES = {"苏锡常": ["苏州", "无锡", "常州"], "锡常": ["无锡", "常州"], "苏锡": ["苏州", "无锡"],
                "长株潭": ["长沙", "株洲", "湘潭"], "广佛": ["广州", "佛山"], "广深": ["广州", "深圳"],
                "深莞惠": ["深圳", "东莞", "惠州"], "厦漳泉": ["厦门", "漳州", "泉州"], "沪宁杭": ["上海", "南京", "杭州"],
                "宁杭": ["南京", "杭州"], "杭嘉湖": ["杭州", "嘉兴", "湖州"], "宁绍": ["宁波", "绍兴"], "京津": ["北京", "天津"],
                "成渝两地": ["成都", "重庆"], "乌昌": ["乌鲁木齐", "昌吉回族自治州"], "呼包鄂": ["呼和浩特", "包头", "鄂尔多斯"]}

# Function words that would otherwise lend a character to a name (其中山东 is 其中 + 山东, not 中山).
JOINING_WORDS = ("其中", "当中", "之中", "其余", "其他")

# Kinds of group asked about as a whole (各省 / 哪个地区 / 城市群): the groups of that kind, ranked by mean.
KIND_FORMS = {
    **dict.fromkeys(("省份", "各省", "各省份", "哪个省", "哪些省", "哪一个省", "哪省", "省区", "各省区", "哪个省份",
                     "哪些省份", "全国各省"), "province"),
    **dict.fromkeys(("地区", "各地区", "哪个地区", "哪些地区", "区域", "各区域", "哪个区域", "大区", "片区", "各大区"), "region"),
    **dict.fromkeys(("城市群", "各城市群", "哪个城市群", "哪些城市群", "经济圈", "都市圈", "城市圈", "哪个经济圈"), "cluster"),
    **dict.fromkeys(("行政级别", "各级别", "城市类型", "哪类城市", "哪一类城市", "各类城市"), "admin_level"),
    **dict.fromkeys(("各梯队", "哪个梯队", "各线城市", "哪一线城市"), "tier"),
}

# Words the questions are made of besides names: kept whole by the tokenizer.
FUNCTION_WORDS = {
    "排名", "排第几", "第几", "名次", "多少", "多少分", "得分", "分数", "评分", "指数", "情况", "怎么样", "如何",
    "请问", "帮我", "查询", "一下", "看看", "告诉", "知道", "城市", "哪些", "哪个", "什么", "对比", "比较", "之间",
    "平均", "平均分", "平均值", "第一", "第一名", "倒数", "前十", "前五", "最高", "最低", "今年", "现在", "是否",
    "属于", "几线", "评估", "报告", "结果", "数据", "水平", "发展", "分析", "表现", "成绩", "排行", "位列",
    "有没有", "还是", "以及", "以上", "以下", "超过", "高于", "低于", "变化", "历届", "各项", "画像", "得分率",
    "排在", "哪里", "怎样", "全国", "中国", "地区", "名单", "一共", "共有", "总共", "多少个", "的", "了", "吗",
    "呢", "啊", "吧", "在", "是", "和", "与", "跟", "比", "那", "它", "我", "你", "想", "请", "有", "都", "谁",
}


MAX_CUTS = 20_000  # pieces of questions whose tokenisation a lexicon keeps


@dataclass(frozen=True)
class Sense:
    kind: str  # entity | indicator | total | group | kind | report | place
    value: object  # entity id, indicator name, (group_type, name), group type, report key, place name


@lru_cache(maxsize=1)
def _pypinyin():
    """pypinyin, imported on first use: loading its table takes 60–100 ms, and only pinyin and typo
    look-ups need it (the names' readings are cached on disk), not most questions."""
    import pypinyin

    return pypinyin


@lru_cache(maxsize=1)
def _rapidfuzz():
    """(rapidfuzz.process.extract, Levenshtein.distance), imported on the first typo check that needs them."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    return process.extract, Levenshtein.distance


def toneless(text: str) -> str:
    return "".join(_pypinyin().lazy_pinyin(text))


def readings(text: str, limit: int = 16) -> list[str]:
    """Every toneless reading of a name, polyphonic characters included (at most `limit`), default first."""
    pypinyin = _pypinyin()
    out = [""]
    for options in pypinyin.pinyin(text, style=pypinyin.Style.NORMAL, heteronym=True):
        out = [head + o for head in out for o in dict.fromkeys(options)][:limit]
    default = toneless(text)
    return [default] + [r for r in dict.fromkeys(out) if r != default]


# The store's tables the lexicon is made from (their content is the cache's key, with this module's code).
DERIVED_FROM = ("reports", "entities", "aliases", "indicators", "indicator_synonyms", "stats")


class Lexicon:
    """Surface forms and their senses, built from the store.

    What the build derives from the store (surfaces and senses, each report's indicator names) is kept
    in the private cache directory under a key made of the content of the tables it reads, the code of
    this module and of the gazetteer, and the division tables of `cpca`: a start with the same store
    reads it (3 ms) instead of building it (60–110 ms with the gazetteer's import and tables)."""

    def __init__(self, store: Store):
        self.store = store
        path = cache_dir() / f"lexicon-{_lexicon_key(store)}.json"
        restored = self._restore(path)
        if not restored:
            self.surfaces: dict[str, list[Sense]] = defaultdict(list)
            self.report_indicators: dict[str, set[str]] = defaultdict(set)
            self._build(store)
        self.tokenizer, dictionary = _tokenizer(list(self.surfaces) + sorted(FUNCTION_WORDS),
                                                restored.get("jieba") if restored else None)
        if not restored:
            _write_atomic(path, json.dumps({**self._saved(), "jieba": dictionary}, ensure_ascii=False))
        self.report_words = [f for f in REPORT_FORMS if len(f) >= 4]  # names long enough to correct a typo in
        # A stretch one character off a report word, or the word itself: a question without one, most of
        # them, is rejected by one search instead of trying every word at every position.  (Any character
        # where the two differ: with [\u4e00-\u9fff] there the pattern took 18 ms to compile.)
        self.report_words_near = re.compile("|".join(
            re.escape(f[:i]) + "." + re.escape(f[i + 1:])
            for f in self.report_words for i in range(len(f)) if _HAN_RE.fullmatch(f[:i] + f[i + 1:])))
        self._cuts: dict[str, tuple[str, ...]] = {}
        self.max_len = max(len(s) for s in self.surfaces)
        self.prefixes = {s[:k] for s in self.surfaces for k in range(2, len(s))}  # the scan grows a piece while it is one
        self.starts = {s[:2] for s in self.surfaces if len(s) >= 2}  # and starts one only where a surface can begin
        self.entity_forms = _by_length(a for a, ss in self.surfaces.items() if len(a) >= 3 and any(s.kind == "entity" for s in ss))
        self.indicator_forms = _by_length(
            a for a, ss in self.surfaces.items() if len(a) >= 4 and any(s.kind == "indicator" for s in ss))

    def _saved(self) -> dict:
        return {"surfaces": [[surface, [[s.kind, s.value] for s in senses]] for surface, senses in self.surfaces.items()],
                "report_indicators": {key: sorted(names) for key, names in self.report_indicators.items()}}

    def _restore(self, path: Path) -> dict | None:
        """Read the cached build; what else it kept, or None when there is none (or it cannot be read)."""
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
            surfaces = defaultdict(list, ((surface, [Sense(kind, tuple(value) if isinstance(value, list) else value)
                                                     for kind, value in senses])
                                          for surface, senses in saved["surfaces"]))
            report_indicators = defaultdict(set, ((key, set(names)) for key, names in saved["report_indicators"].items()))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        self.surfaces, self.report_indicators = surfaces, report_indicators
        return {"jieba": saved.get("jieba")}

    @cached_property
    def pinyin(self) -> dict[str, list[tuple[str, str]]]:
        """Toneless reading → (alias, entity id) of every entity name of two or more characters (every
        reading of a polyphonic name), made on the first pinyin or typo look-up."""
        names = [(alias, s.value) for alias, senses in self.surfaces.items() for s in senses
                 if s.kind == "entity" and len(alias) >= 2]
        index: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for alias, entity_id, reading in _pinyin_index(names):
            index[reading].append((alias, entity_id))
        return index

    def is_county_level(self, name: str) -> bool:
        """Whether a name is an official district, county or county-level city (吴中区): read from the division
        tables on the first question that needs it (a city followed by a district no report evaluates)."""
        if self._county_level is None:
            from store import gazetteer  # 40 ms, rarely: most questions never ask

            self._county_level = frozenset(gazetteer.county_level_names())
        return name in self._county_level

    _county_level: frozenset[str] | None = None

    def warm(self) -> None:
        """Load now what the first pinyin or typo look-up would (pypinyin, the names' readings,
        rapidfuzz): for front ends that wait for questions, so no user waits for it."""
        toneless("")
        _rapidfuzz()
        self.pinyin  # noqa: B018 - made and kept on first access

    def _build(self, store: Store) -> None:
        self._entities(store)
        self._indicators(store)
        for form, key in REPORT_FORMS.items():
            self._add(form, Sense("report", key))
        for form, group in GROUP_FORMS.items():
            self._add(form, Sense("group", group))
        for form in JOINING_WORDS:  # 其中山东的: 其中 is read whole, so 中山 is not a city there
            self._add(form, Sense("word", form))
        for form, names in JOINED_NAMES.items():  # 苏锡常: three cities in one word
            ids = [next((x.value for x in self.surfaces.get(n, []) if x.kind == "entity"), None) for n in names]
            if all(ids) and not any(x.kind == "entity" for x in self.surfaces.get(form, [])):
                self._add(form, Sense("joined", tuple(ids)))
        for form, kind in KIND_FORMS.items():
            self._add(form, Sense("kind", kind))
        for form in TOTAL_FORMS:
            self._add(form, Sense("total", "total"))
        for surface in list(self.surfaces):  # 政府网站得分, 数字经济指数, 智慧城市排名 also name their report
            for form, key in REPORT_FORMS.items():
                if form in surface and form != surface and not any(x.kind == "entity" for x in self.surfaces[surface]):
                    self._add(surface, Sense("report", key))
        self._totals_as_reports(store)

    def _add(self, surface: str, sense: Sense) -> None:
        for form in dict.fromkeys((surface, basic(surface) or surface)):  # as a question reads after normalising
            if sense not in self.surfaces[form]:  # (信息（数据）资源标准规范 → 信息数据资源标准规范)
                self.surfaces[form].append(sense)

    def _entities(self, store: Store) -> None:
        from store import gazetteer  # only building needs it (it reads cpca's division tables)

        by_name: dict[str, list[str]] = defaultdict(list)
        for alias, entity_id, _source in store.aliases():
            self._add(alias, Sense("entity", entity_id))
            by_name[alias].append(entity_id)
        for e in store.entities():
            if e.kind in ("city", "municipality", "prefecture"):
                by_name.setdefault(e.name, []).append(e.id)
        for e in store.entities():  # 海南州, 凉山州: an autonomous prefecture by its stem and 州
            if e.full_name.endswith("自治州") and len(gazetteer.stem(e.full_name)) >= 2:
                self._add(gazetteer.stem(e.full_name) + "州", Sense("entity", e.id))
        for nick, names in NICKNAMES.items():
            for name in names:
                for entity_id in by_name.get(name, []):
                    if store.entity(entity_id).kind in ("city", "municipality"):
                        self._add(nick, Sense("entity", entity_id))
            if names and not any(by_name.get(name) for name in names):  # 瓷都: a city no report evaluates
                self._add(nick, Sense("place", names[0]))
        districts: dict[str, list[str]] = defaultdict(list)
        for e in store.entities():  # 崂山 / 市南 / 江宁: a district by its name without 区, where that is safe
            stem = e.name[:-1] if e.kind in ("district", "county") and e.name.endswith(("区", "县")) else ""
            if len(stem) >= 2 and stem[0] not in "区县省城" and stem[-1] not in "中里内外上下前后城" \
                    and stem not in self.surfaces and stem not in FUNCTION_WORDS:
                districts[stem].append(e.id)
        for stem, ids in districts.items():
            for entity_id in ids:
                self._add(stem, Sense("entity", entity_id))
        known = set(self.surfaces)
        for name in gazetteer.prefecture_names():
            short = gazetteer.stem(name)
            for form in (name, short):
                if len(form) >= 2 and form not in known:
                    self._add(form, Sense("place", name))

    def _indicators(self, store: Store) -> None:
        for rep in store.reports():
            for ind in store.indicators(rep.key):
                self.report_indicators[rep.key].add(ind.name)
                self._add(ind.name, Sense("indicator", ind.name))
                for suffix in ("指数", "水平", "情况"):
                    if ind.name.endswith(suffix) and len(ind.name) - len(suffix) >= 4:
                        self._add(ind.name[: -len(suffix)], Sense("indicator", ind.name))
            for st in store.stats(rep.key):  # 金融数字化: printed only as averages, never per city
                if st.indicator and st.indicator not in self.report_indicators[rep.key] and st.kind in ("mean", "weighted_mean"):
                    self.report_indicators[rep.key].add(st.indicator)
                    self._add(st.indicator, Sense("indicator", st.indicator))
        for _report, synonym, indicator in store.indicator_synonyms():
            if synonym in ("总分",):
                continue
            self._add(synonym, Sense("indicator", indicator))
        for form, names in INDICATOR_FORMS.items():
            for name in names:
                self._add(form, Sense("indicator", name))

    def _totals_as_reports(self, store: Store) -> None:
        """数字经济 / 数字经济指数 name a report and that report's overall score: read them as the report and
        its total, never as an indicator another report lacks (「在政府网站和数字经济里各排第几」)."""
        for surface, senses in self.surfaces.items():
            totals = {i.name for s in senses if s.kind == "report" for i in store.indicators(s.value) if i.level == 0}
            if any(s.kind == "indicator" and s.value in totals for s in senses):
                kept = [s for s in senses if not (s.kind == "indicator" and s.value in totals)]
                self.surfaces[surface] = kept + [Sense("total", "total")]

    def cut(self, text: str) -> tuple[str, ...]:
        """The tokenizer's words of `text`, kept: what is left of questions once names and years are masked
        is mostly the same few hundred pieces (排名, 得分多少 …), and jieba took 15-20 µs even for two
        characters.  At most MAX_CUTS pieces are kept (then forgotten all at once)."""
        words = self._cuts.get(text)
        if words is None:
            if len(self._cuts) >= MAX_CUTS:
                self._cuts.clear()
            words = self._cuts[text] = tuple(self.tokenizer.lcut(text))
        return words

    def senses(self, surface: str) -> list[Sense]:
        return self.surfaces.get(surface, [])

    def indicator_names(self, surface: str) -> list[str]:
        return [s.value for s in self.senses(surface) if s.kind == "indicator"]

    def indicator_in_text(self, text: str) -> tuple[str, str] | None:
        """(indicator surface, typed form): a stretch of text one character off the names of exactly one
        indicator of four or more characters (智慧管里 → 智慧管理)."""
        for window, hits in _one_off(text, self.indicator_forms, self.surfaces):
            if len({self.indicator_names(h)[0] for h in hits}) == 1:
                return hits[0], window
        return None

    def entity_in_text(self, text: str) -> tuple[str, list[str]] | None:
        """(typed form, entity id): a stretch of text one character off exactly one entity's name of three
        or more characters (哈尔冰 → 哈尔滨).  A different last 市/区/县 … is a different word (市中心, not 市中区)."""
        for window, hits in _one_off(text, self.entity_forms, self.surfaces):
            hits = [h for h in hits if not (h[-1] in "市区县州旗盟省" and h[-1] != window[-1])]
            ids = sorted({s.value for h in hits for s in self.senses(h) if s.kind == "entity"})
            if len(ids) == 1:
                return window, ids
        return None


def _by_length(forms) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    for form in forms:
        out[len(form)].append(form)
    return dict(out)


_HAN_RE = re.compile(r"[\u4e00-\u9fff]+")


def _one_off(text: str, forms: dict[int, list[str]], known):
    """(window, forms one substitution away) for every all-Chinese window of the text, longest first,
    that is not itself a known surface."""
    for length in sorted(forms, reverse=True):
        if length > len(text):
            continue
        for i in range(0, len(text) - length + 1):
            window = text[i : i + length]
            if window in known or not _HAN_RE.fullmatch(window):
                continue
            extract, distance = _rapidfuzz()
            hits = extract(window, forms[length], scorer=distance, score_cutoff=1, limit=None)
            if hits:
                yield window, [h[0] for h in hits]


def _pinyin_index(names: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(alias, entity id, reading) for every reading of every name (0.1 s of pypinyin), kept in a file
    named by the names' digest beside the jieba dictionary, so a start with the same store reads it."""
    key = json.dumps([names, _package_stamp("pypinyin", "__init__.py", "pinyin_dict.py")], ensure_ascii=False)
    path = cache_dir() / f"pinyin-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:12]}.json"
    try:
        return [tuple(x) for x in json.loads(path.read_text(encoding="utf-8"))]
    except (OSError, ValueError):
        pass
    index = [(alias, entity_id, r) for alias, entity_id in names for r in readings(alias)]  # 厦门 by each reading
    _write_atomic(path, json.dumps(index, ensure_ascii=False))
    return index


def _package_stamp(package: str, *files: str) -> list:
    """Where an installed package's files are, with their sizes and times: part of a cache key, found
    without importing the package (importlib.metadata alone took 30 ms to import)."""
    spec = importlib.util.find_spec(package)
    base = Path(spec.origin).parent if spec and spec.origin else None
    out: list = [package]
    for name in files:
        try:
            st = (base / name).stat()
            out.append([str(base / name), st.st_size, st.st_mtime_ns])
        except (OSError, TypeError):
            out.append([name, None])
    return out


def _lexicon_key(store: Store) -> str:
    """The cached lexicon's name: a digest of what building it reads (see Lexicon)."""
    here = Path(__file__).resolve()
    code = [here.read_bytes(), (here.parent.parent / "store" / "gazetteer.py").read_bytes()]
    stamp = _package_stamp("cpca", "resources/adcodes.csv", "resources/56_nations.csv")
    h = hashlib.sha256(store.digest(DERIVED_FROM).encode("ascii"))
    for part in code + [json.dumps(stamp).encode("utf-8")]:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def cache_dir() -> Path:
    """Where the derived caches live: $XDG_CACHE_HOME/cityq (default ~/.cache/cityq), private to the user
    (mode 0700), never a predictable name in the shared temporary directory; a fresh private temporary
    directory when the home is not writable (the caches are then rebuilt each start)."""
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache" if Path.home().is_dir() else None)
    if base:
        path = Path(base) / "cityq"
        try:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
            if path.stat().st_uid == os.getuid() and os.access(path, os.W_OK):
                if path.stat().st_mode & 0o077:  # made earlier with a looser mode: made private again
                    path.chmod(0o700)
                return path
        except OSError:
            pass
    return Path(tempfile.mkdtemp(prefix="cityq-"))


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:  # an unwritable cache costs the next start a rebuild, nothing else
        pass


def _tokenizer(words: list[str], digest: str | None = None) -> tuple[jieba.Tokenizer, str]:
    """A jieba tokenizer whose dictionary is the store's vocabulary (plus function words), and the
    dictionary's digest (its file's name).  Given the digest a cached lexicon kept, the file is only
    checked (its content still hashes to the digest) instead of being written out again.

    jieba's own 350k-word dictionary takes about a second to load and adds nothing
    here: only words outside this vocabulary are tokenised, and its HMM segmenter
    handles those.
    """
    path = cache_dir() / f"jieba-{digest}.dict"
    try:
        fresh = bool(digest) and hashlib.sha1(path.read_bytes()).hexdigest()[:12] == digest
    except OSError:
        fresh = False
    if not fresh:
        text = "".join(f"{w} 1000\n" for w in sorted(set(words)) if w.strip() and not any(c.isspace() for c in w))
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
        path = cache_dir() / f"jieba-{digest}.dict"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            _write_atomic(path, text)
    tokenizer = jieba.Tokenizer(dictionary=str(path))
    tokenizer.tmp_dir = str(cache_dir())  # jieba's own model cache beside it, not in the shared /tmp
    tokenizer.initialize()
    return tokenizer, digest


@lru_cache(maxsize=4)
def lexicon_for(store: Store) -> Lexicon:
    return Lexicon(store)
