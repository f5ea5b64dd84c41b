"""Which operation a question asks for: an ordered table of rules, each with its examples.

A rule matches when the slots it needs are present (a named city, a group, an
indicator, a bound …), the slots it excludes are absent, and its words occur in
the question with names and years masked.  The first rule that matches decides
the node `nlu.compose` builds.  Every rule carries the phrasings it must read and
the reading it must give; `tests/test_rules.py` runs them all and `/help` and the
README quote them, so the corpus and the code cannot drift apart.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

RANK_WORDS = (r"排名|排第|第几|名次|排行|位列|几名|排多少|排几|排老几|排在|第多少|什么位置|哪个位置|排位|多少名|rank|排到|"
              r"进(?:了|入|没进)?(?:前|top)\s*\d*[十百]?(?:了|吗|没)")
VALUE_WORDS = r"多少分|得分|分数|评分|几分|分值|得了|多少|指数是|得分率|拿了|score|points"
MEMBER_WORDS = r"哪些|有谁|名单|都有|包括|包含|有几个|多少个|几个城市|都是谁|是哪几个|占几|占多少|(?:评估|评|参评|入选|覆盖|选|选取|挑选|挑)了?几个"
COMPARE_WORDS = (r"对比|比较|vs|pk|比一比|哪个(?:更)?(?:强|高|好|低|差|弱|靠前)|谁(?:的)?.{0,8}(?:更)?(?:高|强|好|低|差|领先|靠前|大)|"
                 r"差多少|差距|相差|高多少|低多少|差几|比.{0,8}(?:高|低|强|弱|好|差)|和.{1,8}比|并列吗|一样吗")
PROFILE_WORDS = (r"各项|各个指标|全部指标|所有指标|各指标|画像|详情|详细|明细|概况|得分情况|指标情况|所有得分|全部得分|"
                 r"各方面|具体得分|得分构成|介绍|表现|所有报告|各报告|各个报告|一级指标|二级指标|三级指标|小项|各分项|细项|"
                 r"[几两二三四五六七八九十\d]+个(?:一级|二级|三级|分项)?(?:指标|指数|维度|方面|分项)|(?<![加减])分项(?:成绩|得分)?|"
                 r"各项成绩")  # 八个指数分别多少 / 分项成绩都列一下
TREND_WORDS = r"咋变|怎么变|如何变|变动|往届|前几届|以前几届|以往几届|过去几届|历次|(?:这|近|最近)?[两三几](?:年|届)(?:的|来|里|中)?(?:排名|名次|得分|总分|成绩|变化|情况)|历届|历年|哪年|哪一年|哪届|哪一届|哪几届|哪些届|哪几年|进过前|入选过|上过榜|变化|趋势|走势|各届|逐年|进步|退步|升降|涨跌|这几年|近几届|升了|降了|涨了|跌了|上升|下降|变了"
TIER_WORDS = (r"几线|梯队|哪一?线|什么线|线城市|第几线|什么水平|哪一?类城市|属于哪一?类|什么级别|哪一?档|档次|什么城市|"
              r"哪个等级|什么等级")
# Things people ask about cities that no report measures (a question about them is out of scope).
OFF_TOPIC = ("人口", "房价", "天气", "气温", "面积", "gdp", "工资", "收入", "美食", "好吃", "小吃", "旅游", "好玩", "景点",
             "高考", "大学", "医院", "地铁", "机场", "邮编", "区号", "市长", "书记", "人均", "物价", "空气", "房租", "下雨",
             "机票", "火车", "高铁", "酒店", "住宿", "怎么走", "怎么去", "多远", "路线", "历史", "方言", "特产", "新闻",
             "多少钱", "花了", "投资", "预算", "经费", "资金", "财政", "税收", "就业", "招聘", "落户", "犯罪", "治安")
# Things that are not places, though a question may rank them like one (清华大学排名多少): never an unknown city.
NOT_PLACES = ("学院", "学校", "中学", "小学", "公司", "集团", "银行", "企业", "品牌", "球队", "股票", "基金", "手机", "游戏",
              "明星", "电影", "歌手", "软件", "app", "汽车")
PICK_WORDS = (r"哪一?(?:项|个指标|个方面|方面|块|个维度)|强项|弱项|短板|长板|优势项|弱势项|薄弱|最大的?优势|"
              r"什么(?:指标|方面)最(?:强|弱|好|差|高|低)")
WHOLE_WORDS = r"全国|全部城市|所有城市|整体|总体"  # every city of a report, no group
VERSUS_PLACE = r"(?:和|跟|与|比|同|离)(?:第\S{1,3}名|第一|榜首|冠军|头名|状元).{0,6}(?:差|高|低|多|少|距离)"  # 比第一名低多少
PICK_WORST = r"弱|差|低|短板|薄弱|落后|不足"
GAIN_WORDS = (r"(?:提高|提升|上升|进步|增长|增加|涨|升|下降|退步|下滑|降|跌|减少)(?:了|得)?最(?:多|快|大|明显)|"
              r"(?:进步|退步|提升|下降|涨幅|降幅|增幅|跌幅|变化)最大|最大(?:的)?(?:进步|提升|退步|降幅|涨幅|变化)")
GAIN_DOWN = r"下降|退步|下滑|降|跌|减少|低了|更低|低的|差的|少了"
GAIN_SIGN = (r"(?:比.{0,8})?(?:下降|退步|下滑|降低|减少|提高|提升|上升|进步|增长|增加)了?的(?:城市|有|是)|"
             r"(?:分数|总分|得分|排名|名次)(?:有)?(?:下降|退步|下滑|降低|减少|提高|提升|上升|进步|增长|增加)了?的|"
             r"比□*(?:年|届)?(?:的)?.{0,4}(?:高|低|多|少|好|差)(?:了)?的(?:城市|有|是)")  # 2016年比2015年低的城市
MEAN_WORDS = r"平均|均值|均分|平均数|加权得分|加权分"


# What a question's words ask besides its operation, for the answer families (bot reads Frame.asks, not words).
ASKS = {
    "level": re.compile(r"水平(?!指数)|咋样|怎么样|怎样|如何|情况|表现|档次|位置|属于"),  # a tiers-only report: the tier
    "number": re.compile(r"指数|多少|几分|得分|分数|分值"),  # …: the number it does not publish
    "rate": re.compile(r"得分率"),
    "rank": re.compile(RANK_WORDS),  # 领军城市在数字经济里分别排第几: each member's place
    "tier": re.compile(TIER_WORDS),  # 江苏的城市分别是几线: each member's tier
    "share": re.compile(r"占比|比例|百分之|比重|占多大|几成|百分比"),  # 探索城市占比多少: of how many
    "inside": re.compile(r"在|里|中|内"),  # 杭州在江苏排第几: a place inside another
}


@lru_cache(maxsize=4096)
def asks_of(words: str) -> frozenset[str]:
    """The names of ASKS whose pattern the words match (the same few hundred word shapes recur: kept)."""
    return frozenset(name for name, pattern in ASKS.items() if pattern.search(words))


@dataclass(frozen=True)
class Rule:
    """One way of asking: slots needed and excluded, words, and the node it builds."""

    name: str
    builds: str  # node class in nlu.query
    examples: tuple[tuple[str, str], ...]  # (question, expected reading: node.show())
    words: str = ""  # must occur (regex over the question with names and years masked)
    unless: str = ""  # must not occur
    needs: tuple[str, ...] = ()  # slots that must be present (see nlu.compose.slots)
    absent: tuple[str, ...] = ()  # slots that must be absent
    kind: str = ""  # Meta / SmallTalk kind
    weak: bool = False  # guessed from slots alone: a follow-up may keep the previous operation
    help: str = ""  # the kind of question, when /help and the README show this rule's first example

    def matches(self, have: set[str], words: str) -> bool:
        return self.fits(have) and self.reads(words)

    def fits(self, have: set[str] | frozenset[str]) -> bool:
        """The slots it needs are present and those it excludes absent."""
        needs, absent = self._slots
        return needs <= have and absent.isdisjoint(have)

    def reads(self, words: str) -> bool:
        """Its words occur in the question (names and years masked), and the words it excludes do not."""
        words_re, unless_re = self._patterns
        if words_re is not None and not words_re.search(words):
            return False
        return not (unless_re is not None and unless_re.search(words))

    @cached_property
    def _slots(self) -> tuple[frozenset[str], frozenset[str]]:
        """The slots as sets, made on the rule's first try (every question tries about 38 rules: the
        generator tests and pattern-cache look-ups were a quarter of choosing one)."""
        return frozenset(self.needs), frozenset(self.absent)

    @cached_property
    def _patterns(self) -> tuple[re.Pattern | None, re.Pattern | None]:
        """The words as compiled patterns, made when the rule's slots first fit a question: a single
        `ask` compiles the ten or so its question reaches, not all 43 (about 10 ms of a cold start)."""
        return re.compile(self.words) if self.words else None, re.compile(self.unless) if self.unless else None


NOTHING_NAMED = ("entity", "indicator", "group", "report", "year", "place", "bound", "n", "position")

RULES: tuple[Rule, ...] = (
    # --- small talk ------------------------------------------------------------------------
    Rule("greeting", "SmallTalk", kind="hello", absent=NOTHING_NAMED,
         words=r"^\s*(?:你好|您好|hello|hi|嗨|哈喽|在吗|在不在|早上好|晚上好|下午好|早安|哈啰|喂)",
         examples=(("你好", "SmallTalk(hello)"), ("hi，在吗", "SmallTalk(hello)"))),
    Rule("thanks", "SmallTalk", kind="thanks", absent=NOTHING_NAMED,
         words=r"谢谢|多谢|感谢|thanks|thank you|辛苦了|好的|明白了|收到",
         examples=(("谢谢", "SmallTalk(thanks)"), ("好的 多谢", "SmallTalk(thanks)"))),
    Rule("bye", "SmallTalk", kind="bye", absent=NOTHING_NAMED, words=r"^\s*(?:再见|拜拜|bye|回头见|下次见|晚安)",
         examples=(("再见", "SmallTalk(bye)"), ("拜拜 谢啦", "SmallTalk(bye)"))),
    Rule("trust", "SmallTalk", kind="trust", absent=NOTHING_NAMED,
         words=r"准确吗|准不准|可靠吗|靠谱吗|可信吗|真的吗|数据.{0,4}(?:对吗|真实|哪来的)|会不会错",
         examples=(("你们的数据准确吗", "SmallTalk(trust)"),)),
    Rule("who", "SmallTalk", kind="who", absent=NOTHING_NAMED,
         words=r"你是谁|你叫什么|你是什么|你是机器人|是人吗|你是ai",
         examples=(("你是谁", "SmallTalk(who)"), ("你是机器人吗", "SmallTalk(who)"))),
    Rule("help", "SmallTalk", kind="help", absent=NOTHING_NAMED,
         words=r"帮助|help|怎么用|如何使用|使用说明|你能做什么|你会什么|能问什么|你能干什么|有什么功能|能干嘛|怎么问|示例|举个例子",
         examples=(("帮助", "SmallTalk(help)"), ("你能做什么", "SmallTalk(help)"), ("这个怎么用", "SmallTalk(help)"))),
    Rule("bare_rank", "Unclear", kind="which",
         words=r"^\s*(?:这个|那个|这|那)?\s*(?:排第几|" + RANK_WORDS + r"|得分|分数|总分|成绩|是|多少分|几分|多少|呢|吗|[?？])+\s*$",
         absent=NOTHING_NAMED + ("pronoun",),
         examples=(("排名", "Unclear(which)"), ("排第几？", "Unclear(which)"), ("这个多少分", "Unclear(which)"))),
    Rule("off_topic_alone", "Unclear", kind="off_topic", needs=("unread",), absent=NOTHING_NAMED + ("pronoun",),
         words="|".join(OFF_TOPIC + NOT_PLACES),
         examples=(("清华大学排名多少", "Unclear(off_topic)"), ("哪家银行利息高", "Unclear(off_topic)"))),
    Rule("bare_plural", "Unclear", kind="which", needs=("plural",), absent=NOTHING_NAMED, weak=True,
         words=r"比|差|谁|哪个|pk|vs", unless=TIER_WORDS,
         examples=(("比一下这两个城市", "Unclear(which)"),)),
    Rule("bare_compare", "Unclear", kind="which", absent=NOTHING_NAMED + ("pronoun",), weak=True,
         words=r"^\s*(?:帮我|请)?(?:比较|对比|比)一下\s*[吧呢吗?？]*\s*$",
         examples=(("比较一下", "Unclear(which)"),)),
    # --- membership ------------------------------------------------------------------------
    Rule("member_of", "Meta", kind="member_of", needs=("entity", "group"), absent=("tier", "parent"),
         words=r"吗|是否|是不是|在不在|算不算|属不属于",
         examples=(("南京在长三角吗", "Meta(member_of, 南京 cluster:长三角)"),)),
    Rule("tier_yesno", "Tier", needs=("one_city", "tier"), words=r"吗|是否|是不是|算不算|属于|属不属于|是",
         examples=(("青岛2021年是领军城市吗", "Tier(青岛 2021 tier:领军)"),)),
    Rule("group_follow", "Members", needs=("group", "follow"), absent=("entity", "indicator", "n", "position", "bound"),
         words=r"^\w{1,6}?的?(?:城市)?呢[?？]?$", weak=True,  # 三线城市呢: the last question, of this group
         examples=(("三线城市呢", "Members(InGroup(Cities(), tier:三线))"),)),
    Rule("standard", "Meta", kind="standard", needs=("tier",), unless=MEAN_WORDS,
         words=r"标准|门槛|条件|区间|范围|(?:怎么|如何|按什么|根据什么)(?:来)?(?:划|分|定|评|算)|划分|分界|阈值|多少分|什么水平|界限",
         examples=(("领军城市是什么标准", "Meta(standard, tier:领军)"), ("先锋城市是怎么划的", "Meta(standard, tier:先锋)"))),
    Rule("tier_members", "Members", needs=("tier",), absent=("bound", "n", "position", "one_city"),
         words=MEMBER_WORDS + r"|是谁|都有|有什么|城市", unless=MEAN_WORDS,
         examples=(("2021年先锋城市有哪些", "Members(InGroup(Cities(2021), tier:先锋))"),
                   ("2021年广东有哪些领军城市", "Members(InGroup(InGroup(Cities(2021), tier:领军), province:广东))"),
                   ("数字经济四线城市有哪些", "Members(InGroup(Cities(de2020 总分), tier:四线))"),
                   ("既是先锋城市又是数字经济新一线的城市", "Both(Members(InGroup(Cities(总分 tier:先锋), tier:先锋)), "
                    "Members(InGroup(Cities(总分 tier:新一线), tier:新一线)))"))),
    Rule("gains_sign", "Gains", absent=("one_city",), words=GAIN_SIGN, needs=("years2",),
         examples=(("2016年比2015年总分下降的城市有哪些", "Gains(2015 2016 总分, n=5, bottom=True, sign=-1)"),
                   ("15年到16年排名上升了的城市有几个", "Gains(2015 2016, n=5, by_rank=True, sign=1, count=True)"))),
    Rule("gains", "Gains", absent=("one_city",), words=GAIN_WORDS,
         examples=(("2016年比2015年总分提高最多的城市", "Gains(2015 2016 总分, n=5)"),
                   ("智慧经济进步最大的五个城市", "Gains(智慧经济, n=5)"),
                   ("15年到16年排名下降最多的是哪些城市", "Gains(2015 2016, n=5, bottom=True, by_rank=True)"),
                   ("江苏哪些城市16年比15年进步最大", "Gains(江苏省 2015 2016, n=5)"))),
    # --- about the reports --------------------------------------------------------------------
    Rule("rename", "Meta", kind="rename", words=r"叫什么|改名|更名|改称|名称变|对应.{0,4}指标|现在叫|原来叫|相当于.{0,8}指标|对应的是",
         examples=(("2015年智慧管理在2016年叫什么", "Meta(rename, 2015 2016 智慧管理/智慧治理)"),)),
    Rule("ranking", "Meta", kind="ranking", absent=("entity",),
         words=r"(?:为什么|为何|怎么|咋)(?:没有|没|不|未)(?:印|给|公布|标|显示)?(?:出)?(?:排名|名次)|名次是?(?:怎么|如何)(?:来|算)|"
               r"排名是?(?:怎么|如何)(?:来的|算的|算出)|(?:有没有|有无)(?:排名|名次)",
         examples=(("2016年报告为什么没有排名", "Meta(ranking, 2016)"), ("政府网站的名次是怎么算的", "Meta(ranking, gw2020)"))),
    Rule("changes", "Meta", kind="changes",
         words=r"新增|增加了|删除|删掉|删了|去掉|取消|减少了|改了啥|改了什么|有什么变化|有何变化|有什么不同|区别|差异|调整|变动|跟.{0,8}比.{0,4}(?:改|变)",
         absent=("entity",), unless=r"排名|得分|分数",
         examples=(("2015年新增了哪些指标", "Meta(changes, 2015)"), ("2016年的指标跟2015比改了啥", "Meta(changes, 2015 2016)"),
                   ("15年删掉了哪些指标", "Meta(changes, 2015)"))),
    Rule("tiers", "Meta", kind="tiers", words=r"分几类|分为几类|几个梯队|几类|分几个|哪几类|哪几个梯队|分哪些|分成",
         examples=(("2021年城市分几个梯队", "Meta(tiers, 2021 sc2021)"),)),
    Rule("weight", "Meta", kind="weight", words=r"权重|占比多少|占多少|占比|占几分|满分|分值|总分是几分", needs=("indicator",),
         absent=("entity", "group", "bound", "n", "position", "follow"), unless=RANK_WORDS + "|平均",
         examples=(("2015年智慧管理权重几分", "Meta(weight, 2015 智慧管理/智慧治理)"),
                   ("城市服务的权重", "Meta(weight, 城市服务)"))),
    Rule("weights", "Meta", kind="indicators", words=r"权重|占比|各占", absent=("entity", "indicator", "group",
         "bound", "n", "position", "follow"), unless=RANK_WORDS + "|平均",
         examples=(("2015年各项指标的权重", "Meta(indicators, 2015)"), ("数字经济指数各维度占比", "Meta(indicators, de2020 总分)"))),
    Rule("method", "Meta", kind="method", words=r"(?:加权|gdp).{0,8}(?:怎么|如何|什么|方法|方式|计算|算的|算法)|怎么加权|如何加权",
         absent=("entity",),
         examples=(("城市群数字经济的加权得分是怎么算的", "Meta(method, de2020 总分)"),)),
    Rule("model", "Meta", kind="model", absent=("entity",),
         words=r"模型|理论框架|理论基础|方法论|用(?:了|的)?(?:什么|啥)(?:方法|理论)|评估方法|(?:依据|根据|基于)(?:什么|啥)(?:理论|框架)",
         examples=(("2021年的评估基于什么模型", "Meta(model, 2021)"), ("15年那个评估用的什么理论", "Meta(model, 2015)"))),
    Rule("collection", "Meta", kind="collection", absent=("entity",),
         words=r"(?:怎么|如何|怎样|咋)(?:收集|采集|获取|获得|调查|统计)|收集方法|采集方法|调查方法|数据(?:是)?(?:怎么|如何|从哪)(?:来|得)",
         examples=(("2015年评估的资料是如何采集的", "Meta(collection, 2015)"),)),
    Rule("count", "Meta", kind="count", absent=("entity", "group", "bound", "indicator", "n", "position", "plural"),
         words=r"(?:评估|评|参评|入评|覆盖|包括|包含|选取|选)了?(?:多少|几)个?(?:城市|个)|多少个城市|几个城市|多少城市|"
               r"(?:参评|入评|入选|评估|被评|参与)的?(?:城市|对象|地方)(?:数量|总数|个数|数)?(?:一共|总共|共|有|是)*(?:多少|几)|"
               r"(?:城市|对象)(?:数量|总数|个数)",
         help="报告本身", examples=(("2015年评估了多少个城市", "Meta(count, 2015)"), ("2016年一共评了多少个城市", "Meta(count, 2016)"))),
    Rule("cities", "Meta", kind="cities", absent=("entity", "group", "bound"),
         words=r"(?:评估|评|选取|选)了?哪些城市|哪些城市(?:参评|入选|被评估)|评估对象|评估范围|"
               r"(?:怎么|如何|按什么|根据什么|凭什么|依据什么|什么标准)(?:来)?(?:选|挑|确定|选取|选择|选出)|选(?:取|择)?(?:的)?标准|入选标准",
         examples=(("2021年评估了哪些城市", "Meta(cities, 2021)"),)),
    Rule("contains", "Meta", kind="contains", needs=("named_thing",), absent=("entity", "bound", "n", "position", "group"),
         unless=TIER_WORDS,
         words=r"包括|包含|含有|由|分为|下设|有哪些|包含什么|包括什么|包括啥|包含啥|是什么意思|指什么|什么意思|考察什么|考察哪些|"
               r"考察啥|看什么|由什么组成|下面有|含什么|是什么|是啥|有啥|怎么算|如何计算|计算方法|怎么计算|怎么得出|"
               r"(?:怎么|如何|怎样|咋)(?:评|测|打分|衡量|考察|考核)|评的是什么|评什么|看的是什么|"
               r"下分|分哪|分为哪|分成哪|分几块|哪几块|哪两块|哪几部分|由哪几",
         help="指标含义", examples=(("智慧基础设施包括哪些二级指标", "Meta(contains, 智慧基础设施)"), ("平台统一度包括啥", "Meta(contains, 平台统一度)"),
                   ("加分项考察什么", "Meta(contains, 加分项)"), ("市民生活网络化水平是怎么评的", "Meta(contains, 市民生活网络化水平)"),
                   ("数字经济指数的一级指标是什么", "Meta(indicators, de2020 总分)"),
                   ("数字经济指数怎么算", "Meta(indicators, de2020 总分)"))),
    Rule("mean_of_indicator", "Mean", needs=("indicator",), absent=("entity", "bound", "n", "position"),
         words=r"平均", unless=r"几线|梯队|什么线",  # 技术支撑度这个一级指标整体平均是多少: its mean, not the tree
         examples=(("资源准备度这个一级指标平均是多少", "Mean(资源准备度)"),)),
    Rule("indicators", "Meta", kind="indicators", absent=("entity", "bound", "n", "position"),
         words=r"(?:有|都有)?哪些(?:评估)?(?:一级|二级|三级)?(?:指标|指数|维度|方面)|什么指标|几个(?:一级|二级|三级)?指标|指标体系|"
               r"评估指标|(?:一级|二级|三级)指标|哪几个指数|哪些指数|哪几个指标|几个指数|什么维度|"
               r"指标(?:都)?(?:有|是)(?:哪些|哪几个|什么|啥)",
         examples=(("2015年评估的一级指标有哪些", "Meta(indicators, 2015)"), ("区县政府网站用了哪几个指数", "Meta(indicators, gw2020 admin_level:区县)"), ("2021报告的一级指标", "Meta(indicators, 2021)"),
                   ("2021年智慧城市评估有多少个三级指标", "Meta(indicators, 2021 smart)"))),
    Rule("maxscore", "Meta", kind="maxscore", absent=("entity", "indicator"),
         words=r"满分|总分多少分制|几分制|百分制|最高(?:能|可以)?(?:得|拿)?多少分",
         examples=(("2015满分是多少", "Meta(maxscore, 2015)"),)),
    Rule("publisher", "Meta", kind="publisher", absent=("entity",),
         words=r"哪个机构|什么机构|哪家机构|哪家单位|哪个单位|什么单位|哪家公司|哪个公司|什么公司|谁做的|谁发布|谁出的|谁编|谁评的|谁搞的|发布方|发布机构|"
               r"出品方|编制单位|主办|出自哪|作者是|是谁做|由谁|(?:谁|哪家|哪个|哪些|什么)(?:机构|单位|部门|公司)?.{0,3}"
               r"(?:发布|出品|编制|编写|撰写|制作|做|出|搞|评|弄)的|(?:发布|出品|编制|编写|撰写|制作)(?:者|人|单位|机构|方)|出处|来源于",
         examples=(("政府网站绩效评估是哪个机构做的", "Meta(publisher, gw2020 总分)"), ("数字经济白皮书谁发布的", "Meta(publisher, de2020 总分)"))),
    Rule("reports", "Meta", kind="reports", absent=("entity",),
         words=r"哪些报告|什么报告|几份报告|报告有哪些|有哪些报告|数据来源|数据从哪|资料来源|哪几份|哪些评估|报告最新|最新的报告|"
               r"哪个报告|几届|多少届|哪几届|数据是哪一?年|哪一?年的数据|数据.{0,4}(?:时间|年份)|"
               r"(?:是|在|于)(?:哪一?年|什么时候|何时)|(?:哪一?年|什么时候|何时)(?:的|发布|做|搞|出|评)|第几届",
         examples=(("都有哪些报告可以查", "Meta(reports)"), ("第六届评估是哪一年的", "Meta(reports, 2016)"),
                   ("2015年的报告是第几届", "Meta(reports, 2015)"))),
    # --- lists of cities ----------------------------------------------------------------------
    Rule("profile_pick", "Profile", words=PICK_WORDS, absent=("n", "bound", "entities2", "group"),
         examples=(("长沙2015年哪项指标最强", "Profile(长沙 2015, best)"), ("哪一项最弱", "Profile(worst)"),
                   ("温州智慧城市的短板是什么", "Profile(温州 smart, worst)"),
                   ("无锡2015年智慧基础设施哪一项最弱", "Profile(无锡 2015 智慧基础设施, worst)"))),
    Rule("group_ranking", "GroupMeans", needs=("kind",), absent=("one_city", "bound"), words=MEAN_WORDS,
         help="各组排名", examples=(("2015年省份平均分倒数第一", "Nth(GroupMeans(2015, province), k=1, bottom=True)"),
                   ("2015年哪个地区平均分最高", "Nth(GroupMeans(2015, region), k=1)"),
                   ("数字经济各城市群平均得分排名", "GroupMeans(de2020 总分, cluster)"),
                   ("16年各省智慧经济平均分前五", "Top(GroupMeans(2016 智慧经济, province), n=5)"))),
    Rule("mean_of_group", "Mean", words=MEAN_WORDS, unless=r"几线|梯队|什么线",
         help="平均分", examples=(("2015年华东地区平均分", "Mean(2015 region:华东)"), ("江苏参评城市2015平均得分是多少", "Mean(江苏省 2015)"),
                   ("2021长三角经济圈平均指数比全国高多少", "Mean(2021 cluster:长三角, Mean(2021))"),
                   ("浙江省2015平均分排第几", "Mean(浙江省 2015, ranked=True)"),
                   ("金融数字化Top10城市平均多少分", "Mean(金融数字化 top:Top10)"),
                   ("数字经济前十城市平均分", "Mean(de2020 总分 top:Top10)"),
                   ("长三角和京津冀数字经济加权得分差多少", "Mean(de2020 总分 cluster:长三角, Mean(de2020 总分 cluster:京津冀))"),
                   ("数字经济市辖区平均分比县市高多少", "Mean(de2020 总分 admin_level:市辖区, Mean(de2020 总分 admin_level:县市))"),
                   ("2015年华东和华南平均分", "Each(Mean(2015 region:华东), Mean(2015 region:华南))"),
                   ("上海各区政府网站平均分", "Mean(gw2020 parent:上海)"))),
    Rule("members", "Members", absent=("bound", "n", "position", "pronoun", "one_city"), needs=("group_or_province",),
         words=MEMBER_WORDS + r"|参评|入选|入围|上榜|出现|同时|既是|都是|的.{0,5}城市[?？]?$",
         unless=r"排第几|排多少|排名第几|第几名|排几|排老几",  # 在福建参评城市里排第几: a place, not a list
         examples=(("长三角包括哪些城市", "Members(InGroup(Cities(), cluster:长三角))"),
                   ("2015年浙江有哪些城市参评", "Members(InGroup(Cities(2015), province:浙江))"))),
    Rule("compare_place", "Compare", needs=("position",), absent=("entities2", "n", "bound", "group_or_province"),
         words=VERSUS_PLACE,
         examples=(("无锡2015年总分和第一名差多少", "Compare(无锡 2015 总分, diff=True, place=1)"),
                   ("苏州2016年比第十名高多少", "Compare(苏州 2016, diff=True, place=10)"))),
    Rule("compare_tiers", "Compare", needs=("entities2",), words=rf"^(?=.*(?:{TIER_WORDS})).*(?:{COMPARE_WORDS}|哪(?:个|一个|座).{{0,4}}更?(?:高|好|强|靠前|低|差|弱))",
         examples=(("2021年绍兴和台州哪个梯队更高", "Compare(绍兴 台州 2021 sc2021)"),
                   ("宝鸡和泰安数字经济谁的档次高", "Compare(宝鸡 泰安 de2020 总分)"))),
    Rule("tier", "Tier", words=TIER_WORDS, unless=r"哪些城市|有哪些|名单", absent=("n", "position"),
         help="分级", examples=(("南京是数字经济几线城市", "Tier(南京 de2020 总分)"), ("临沂2021年是什么城市", "Tier(临沂 2021)"),
                   ("宝鸡和泰安数字经济分别几线", "Each(Tier(宝鸡 de2020 总分), Tier(泰安 de2020 总分))"))),
    Rule("trend", "Change", needs=("entity",), words=TREND_WORDS,
         help="历年变化", examples=(("北京历届排名", "Change(北京)"), ("广州15年到16年排名变化", "Change(广州 2015 2016)"),
                   ("徐州从2015到2016排名上升了多少位", "Change(徐州 2015 2016)"))),
    Rule("trend_years", "Change", needs=("entity", "years2", "one_city"), absent=("named_report",),
         examples=(("无锡智慧基础设施2014和2015对比", "Change(无锡 2014 2015 智慧基础设施)"),)),
    Rule("count_where", "Count", needs=("bound",), words=r"(?<![那这])几个|多少个|多少城市|有多少|数量|几座|几家|多少家",
         help="计数", examples=(("2016年减分项为0的城市有几个", "Count(Where(Cities(2016 减分项), =0))"),
                   ("2015年一共有几个城市总分超过60", "Count(Where(Cities(2015 总分), >60))"),
                   ("2016年减分项扣了2分的城市有几个", "Count(Where(Cities(2016 减分项), =-2))"),
                   ("16年没被扣分的城市有几个", "Count(Where(Cities(2016 减分项), =0))"))),
    Rule("where", "Where", needs=("bound",),
         help="筛选", examples=(("2015年总分70分以上的城市", "Where(Cities(2015 总分), >=70)"),
                   ("数字经济介于60和70之间", "Where(Cities(de2020 总分), >=60 <=70)"))),
    Rule("off_topic", "Unclear", kind="off_topic", needs=("entity", "unread"),
         absent=("named_thing", "year", "group", "pronoun", "n", "position", "bound"),
         unless="|".join((RANK_WORDS, VALUE_WORDS, COMPARE_WORDS, PROFILE_WORDS, TREND_WORDS, TIER_WORDS, "报告|评估")),
         examples=(("帮我订一张去成都的机票", "Unclear(off_topic)"), ("杭州明天下雨吗", "Unclear(off_topic)"), ("宁波到舟山怎么走", "Unclear(off_topic)"),
                   ("长治有什么好吃的", "Unclear(off_topic)"))),
    Rule("compare", "Compare", needs=("entities2",), unless=TIER_WORDS,
         help="对比", examples=(("杭州 宁波 智慧经济 哪个强", "Compare(杭州 宁波 智慧经济)"), ("2016 大连 vs 沈阳 总分", "Compare(大连 沈阳 2016 总分)"))),
    Rule("compare_follow", "Compare", needs=("follow",), words=COMPARE_WORDS, absent=("n", "position"),
         examples=(("和常熟差多少", "Compare(常熟市, diff=True)"),)),
    Rule("profile", "Profile", needs=("entity",), words=PROFILE_WORDS, unless=RANK_WORDS,
         help="各项得分", examples=(("上海2015年各项得分", "Profile(上海 2015)"), ("介绍下无锡2015年智慧城市情况", "Profile(无锡 2015 smart)"),
                   ("宁波智慧基础设施的三个二级指标2015得分", "Profile(宁波 2015 智慧基础设施)"),
                   ("绍兴政府网站的几个指数分别多少", "Profile(绍兴 gw2020)"),
                   ("扬州2016年一级指标都是多少分", "Profile(扬州 2016)"))),
    Rule("profile_follow", "Profile", needs=("follow",), absent=("entity", "indicator", "n", "position", "bound"), words=PROFILE_WORDS,
         unless=RANK_WORDS + "|" + MEMBER_WORDS, examples=(("16年的各项呢", "Profile(2016)"), ("那各项得分呢", "Profile()"))),
    Rule("profile_data", "Profile", needs=("entity",), absent=("indicator",), words=r"数据|资料|信息|档案",
         unless=RANK_WORDS, examples=(("给我看看南山区的数据", "Profile(南山区)"),)),
    Rule("profile_how", "Profile", needs=("entity",), absent=("part",), words=r"情况|怎么样|如何|咋样", unless=RANK_WORDS,
         examples=(("宁波的政府网站情况怎么样", "Profile(宁波 gw2020)"),)),
    Rule("bare_group", "Mean", needs=("group",), absent=("entity", "n", "position"), weak=True,
         unless=RANK_WORDS + r"|哪些|有谁|前|名单|最|第一|冠军|谁",
         examples=(("长三角城市群数字经济得分", "Mean(de2020 总分 cluster:长三角)"),)),
    Rule("nth", "Nth", needs=("position",), absent=("one_city",),
         help="第几名", examples=(("数字经济第31名是谁", "Nth(Cities(de2020 总分), k=31)"), ("数字经济倒数第二", "Nth(Cities(de2020 总分), k=2, bottom=True)"),
                   ("2015智慧经济倒数第一", "Nth(Cities(2015 智慧经济), k=1, bottom=True)"),
                   ("数字经济排名第50到55名是哪些城市", "Nth(Cities(de2020 总分), k=50, last=55)"),
                   ("全国哪个城市最智慧", "Nth(Cities(smart), k=1)"),
                   ("数字经济各城市群第一名", "Each(Nth(InGroup(Cities(de2020 总分), cluster:京津冀), k=1), "
                    "Nth(InGroup(Cities(de2020 总分), cluster:成渝), k=1), Nth(InGroup(Cities(de2020 总分), "
                    "cluster:粤港澳大湾区), k=1), Nth(InGroup(Cities(de2020 总分), cluster:长三角), k=1))"))),
    Rule("results", "Top", needs=("report_or_year",), absent=("entity", "group", "bound", "n", "position", "place"),
         words=r"结果|榜单|排行榜|榜|成绩|得分表|排名表|总排名|情况|概况|怎么样|咋样|如何",
         examples=(("2016年的评估结果", "Top(Cities(2016), n=10)"), ("数字经济指数榜单", "Top(Cities(de2020 总分), n=10)"),
                   ("第七届智慧城市评估结果", "Top(Cities(2017 smart), n=10)"))),
    Rule("bare_report", "Top", needs=("report_or_year",), weak=True,
         absent=("entity", "group", "bound", "n", "position", "place", "unread", "indicator", "pronoun", "follow", "plural"),
         words=r"^[^哪谁吗几多少怎么什么为何是]*$",
         examples=(("数字经济", "Top(Cities(de2020 总分), n=10)"), ("第八届智慧城市", "Top(Cities(2018 smart), n=10)"))),
    Rule("top", "Top", absent=("one_city",), needs=("list_asked",),
         help="前几名", examples=(("2015年前十名", "Top(Cities(2015), n=10)"), ("2016倒数五名", "Top(Cities(2016), n=5, bottom=True)"),
                   ("广东哪些城市进了数字经济前30", "Members(InGroup(Top(Cities(de2020 总分), n=30), province:广东))"),
                   ("深圳有哪些区进了区县政府网站前100", "Members(InGroup(Top(Cities(gw2020 admin_level:区县), n=100), parent:深圳))"),
                   ("杭州有几个区进了区县政府网站前100", "Count(InGroup(Top(Cities(gw2020 admin_level:区县), n=100), parent:杭州))"),
                   ("苏州下辖的县市数字经济排名", "Top(InGroup(Cities(de2020 总分 admin_level:县市), parent:苏州), n=10)"),
                   ("2015年和2016年都进了前十的城市有哪些", "Both(Top(Cities(2015), n=10), Top(Cities(2016), n=10))"))),
    Rule("value", "Value", needs=("entity",), words=VALUE_WORDS, unless=RANK_WORDS,
         help="得分", examples=(("2015年南昌智慧基础设施多少分", "Value(南昌 2015 智慧基础设施)"), ("羊城数字经济评分", "Value(广州 de2020 总分)"))),
    Rule("value_weak", "Value", needs=("entity", "indicator_or_total"), unless=RANK_WORDS, weak=True,
         examples=(("北京市政府网站数据开放指数", "Value(北京 gw2020 数据开放指数)"),
                   ("无锡，，2015 ， 智慧经济？？", "Value(无锡 2015 智慧经济)"))),
    Rule("rank", "Rank", needs=("entity",), words=RANK_WORDS,
         help="排名", examples=(("无锡2015智慧管理排名", "Rank(无锡 2015 智慧管理/智慧治理)"), ("第六届评估里南宁排多少", "Rank(南宁 2016)"), ("舟山 能耗 排名 2015", "Rank(舟山 2015 经济产出能耗水平)"),
                   ("合肥在安徽排第几", "Rank(合肥 province:安徽)"),
                   ("无锡2015智慧管理和智慧经济分别排第几", "Each(Rank(无锡 2015 智慧管理/智慧治理), Rank(无锡 2015 智慧经济))"),
                   ("杭州在长三角数字经济排名", "Rank(杭州 de2020 总分 cluster:长三角)"),
                   ("仪征市在政府网站和数字经济两个报告里各排第几", "Each(Rank(仪征市 gw2020 总分), Rank(仪征市 de2020 总分))"))),
    Rule("rank_weak", "Rank", needs=("entity",), weak=True,
         examples=(("舟山", "Rank(舟山)"), ("2016 宁波", "Rank(宁波 2016)"))),
)


def help_examples() -> list[tuple[str, str]]:
    """(kind, question) for /help and the README: the first example of every rule that has a help label."""
    order = ("排名", "得分", "对比", "前几名", "第几名", "筛选", "计数", "平均分", "各组排名", "各项得分", "历年变化", "分级",
             "指标含义", "报告本身")
    shown = [(rule.help, rule.examples[0][0]) for rule in RULES if rule.help]
    return sorted(shown, key=lambda kind_question: order.index(kind_question[0]) if kind_question[0] in order else len(order))
