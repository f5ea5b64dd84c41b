"""Follow-ups as edits of the previous question: a corpus of conversations, each turn's full reading.

Every turn is asked in the context the previous answer left (as a chat does) and must be read as
written (the query tree, nlu.query `show()`) and answered with the status given.  The last column
names a value the answer must carry, checked against the store rather than written here.
"""
from __future__ import annotations

import pytest

CONVERSATIONS = {
    "a province's members after its mean stay in that mean's edition; 亚军 is the second place": [
        ("浙江15年参评城市的平均得分", "Mean(浙江省 2015)", "ok"),
        ("浙江一共几个城市参评", "Count(InGroup(Cities(2015), province:浙江))", "ok"),
        ("华南那边15年亚军是谁", "Nth(Cities(2015 region:华南), k=2)", "ok"),
    ],
    "这项 with a city named is the indicator just asked; 再往前 12年呢 the city's earlier edition": [
        ("2016年智慧民生前五", "Top(Cities(2016 智慧民生/智慧服务), n=5)", "ok"),
        ("宁波在2016年这项上排第几", "Rank(宁波 2016 智慧民生/智慧服务)", "ok"),
        ("这项全国平均多少分", "Mean(2016 智慧民生/智慧服务)", "ok"),
        ("杭州在第四届评估里排第几", "Rank(杭州 2014)", "ok"),
        ("再往前，12年呢", "Rank(杭州 2012)", "ok"),
    ],
    "这几个里面… after a group's members ranks that group in the report the question names": [
        ("2021年浙江有哪些城市是先锋城市", "Members(InGroup(InGroup(Cities(2021), tier:先锋), province:浙江))", "ok"),
        ("这几个里面数字经济最高的是哪个",
         "Nth(InGroup(InGroup(Cities(de2020 总分), tier:先锋), province:浙江), k=1)", "ok"),
    ],
    "在福建参评城市里排第几 ranks the city just asked inside the province": [
        ("漳州2015年总分", "Value(漳州 2015 总分)", "ok"),
        ("在福建参评城市里排第几", "Rank(漳州 2015 总分 province:福建)", "ok"),
    ],
    "再加上X adds a city to the comparison just made": [
        ("福田区和罗湖区政府网站谁高", "Compare(福田区（深圳） 罗湖区（深圳） gw2020)", "ok"),
        ("再加上南山区，三个里谁最低", "Compare(福田区（深圳） 罗湖区（深圳） 南山区（深圳） gw2020)", "ok"),
    ],
    "换成… after a comparison edits that comparison; 全国 drops the group": [
        ("兰州和银川数字经济谁高", "Compare(兰州 银川 de2020 总分)", "ok"),
        ("换成2016年的总分呢", "Compare(兰州 银川 2016 总分)", "ok"),
        ("2015年华南智慧人群平均分", "Mean(2015 智慧人群 region:华南)", "ok"),
        ("全国平均呢", "Mean(2015 智慧人群)", "ok"),
    ],
    "和第八名差多少 compares the city with whoever stands at that place of its table": [
        ("市辖区数字经济第五名是哪个", "Nth(Cities(de2020 总分 admin_level:市辖区), k=5)", "ok"),
        ("它和第八名差多少", "Compare(黄埔区（广州） de2020 总分 admin_level:市辖区, diff=True, place=8)", "ok"),
        ("常州2015年总分", "Value(常州 2015 总分)", "ok"),
        ("比第一名低多少", "Compare(常州 2015 总分, diff=True, place=1)", "ok"),
    ],
    "最高的那个 / 最差的那个 are the ends of the last comparison or list": [
        ("南宁 柳州 桂林 数字经济 比较", "Compare(南宁 柳州 桂林 de2020 总分)", "ok"),
        ("最高的那个是几线城市", "Tier(南宁 de2020 总分)", "ok"),
        ("最差的那个排第几", "Rank(桂林 de2020 总分)", "ok"),
        ("2015年前三", "Top(Cities(2015), n=3)", "ok"),
        ("最低的那个2016年排第几", "Rank(北京 2016)", "ok"),
    ],
    "比X低多少 after a mean: the mean just given against X's": [
        ("2021年产业生态平均指数", "Mean(2021 产业生态)", "ok"),
        ("比网络基础低多少", "Mean(2021 产业生态, Mean(2021 网络基础))", "ok"),
        ("2015年华北平均分", "Mean(2015 region:华北)", "ok"),
        ("比东北高多少", "Mean(2015 region:华北, Mean(2015 region:东北))", "ok"),
    ],
    "a province's cities after a filtered list keep the condition": [
        ("2016年总分60分以上的城市", "Where(Cities(2016 总分), >=60)", "ok"),
        ("江苏的城市呢", "Where(InGroup(Cities(2016 总分), province:江苏), >=60)", "ok"),
    ],
    "a bare group with 呢 asks the last question of that group": [
        ("数字经济一线城市平均多少分", "Mean(de2020 总分 tier:一线)", "ok"),
        ("新一线城市呢", "Mean(de2020 总分 tier:新一线)", "ok"),
        ("2016年前五", "Top(Cities(2016), n=5)", "ok"),
        ("浙江的城市呢", "Top(InGroup(Cities(2016), province:浙江), n=5)", "ok"),
    ],
    "下一个 / 上一名 step from the place just shown": [
        ("2016年第二十名是谁", "Nth(Cities(2016), k=20)", "ok"),
        ("下一个呢", "Nth(Cities(2016), k=21)", "ok"),
        ("上一名呢", "Nth(Cities(2016), k=20)", "ok"),
    ],
    "排名咋变的 after two editions asked is the city's change": [
        ("嘉兴2015年总分", "Value(嘉兴 2015 总分)", "ok"),
        ("第六届呢", "Value(嘉兴 2016 总分)", "ok"),
        ("排名咋变的", "Change(嘉兴 2015 2016 总分)", "ok"),
    ],
    "那年 / 这项 are the year and the indicator just asked, never a place": [
        ("泰州2016年总分", "Value(泰州 2016 总分)", "ok"),
        ("那年名次是多少", "Rank(泰州 2016 总分)", "ok"),
        ("2015年智慧经济得分", "Value(泰州 2015 智慧经济)", "ok"),
        ("这项排第几", "Rank(泰州 2015 智慧经济)", "ok"),
    ],
    "a group compared with 它 after a group's mean: the two means and their difference": [
        ("2015年华东平均分", "Mean(2015 region:华东)", "ok"),
        ("华南比它高多少", "Mean(2015 region:华南, Mean(2015 region:华东))", "ok"),
    ],
    "a clarify answered by the parent of one candidate: X的那个": [
        ("通州区得分", "Value()", "clarify"),
        ("北京的那个", "Value(通州区（北京）)", "ok"),
    ],
    "各项呢 after a city's total asks every part of it, in the year the follow-up names": [
        ("绍兴2015年总分", "Value(绍兴 2015 总分)", "ok"),
        ("各项呢", "Profile(绍兴 2015)", "ok"),
        ("16年的各项呢", "Profile(绍兴 2016)", "ok"),
    ],
    "change between the two years just asked": [
        ("常州2015年总分多少", "Value(常州 2015 总分)", "ok"),
        ("那2016年呢", "Value(常州 2016 总分)", "ok"),
        ("涨了多少分", "Change(常州 2015 2016 总分)", "ok"),
    ],
    "其中… asks inside the top list just shown": [
        ("2016年倒数十名", "Top(Cities(2016), n=10, bottom=True)", "ok"),
        ("其中甘肃的有几个", "Count(InGroup(Top(Cities(2016), n=10, bottom=True), province:甘肃))", "ok"),
    ],
    "a category inside a top list of a report that ranks it in one table filters the list": [
        ("2015年前二十", "Top(Cities(2015), n=20)", "ok"),
        ("这里面有几个省会城市", "Count(InGroup(Top(Cities(2015), n=20), admin_level:省会城市))", "ok"),
    ],
    "在新疆的城市里排第几 ranks the city just asked about inside the province, words between": [
        ("乌鲁木齐16年总分多少", "Value(乌鲁木齐 2016 总分)", "ok"),
        ("16年在新疆的城市里排第几", "Rank(乌鲁木齐 2016 总分 province:新疆)", "ok"),
    ],
    "a tier named in a follow-up replaces the tier before": [
        ("广东有哪些领军城市", "Members(InGroup(InGroup(Cities(), tier:领军), province:广东))", "ok"),
        ("那江苏的先锋城市呢", "Members(InGroup(InGroup(Cities(), tier:先锋), province:江苏))", "ok"),
    ],
    "两个 reaches back to the last two cities": [
        ("嘉兴2015智慧服务排名", "Rank(嘉兴 2015 智慧服务/智慧民生)", "ok"),
        ("湖州呢", "Rank(湖州 2015 智慧服务/智慧民生)", "ok"),
        ("两个差多少", "Compare(湖州 嘉兴 2015 智慧服务/智慧民生, diff=True)", "ok"),
    ],
    "这个榜 is the last answer's table; a filter of the whole set carries on": [
        ("滨江区数字经济排名", "Rank(滨江区（杭州） de2020 总分)", "ok"),
        ("浙江有几个区进了这个榜", "Count(InGroup(Cities(de2020 总分 admin_level:市辖区), province:浙江))", "ok"),
        ("最高的是哪个", "Nth(InGroup(Cities(de2020 总分 admin_level:市辖区), province:浙江), k=1)", "ok"),
    ],
    "a filter of a top list is a side question": [
        ("2016年总分前十", "Top(Cities(2016 总分), n=10)", "ok"),
        ("前十里有哪些是广东的", "Members(InGroup(Top(Cities(2016 总分), n=10), province:广东))", "ok"),
        ("第十二名呢", "Nth(Cities(2016 总分), k=12)", "ok"),
    ],
    "a list question naming nothing reads the previous list; 它 is its answer": [
        ("数字经济前五", "Top(Cities(de2020 总分), n=5)", "ok"),
        ("第十七名是谁", "Nth(Cities(de2020 总分), k=17)", "ok"),
        ("它是几线", "Tier(福州 de2020)", "ok"),
    ],
    "a clarify keeps its candidates; the next turn's report settles them": [
        ("吉林排名", "Rank()", "clarify"),
        ("数字经济的", "Rank(de2020 总分)", "ok"),
    ],
    "a city alone stays in the conversation's table": [
        ("2015年基础网络建设水平前五", "Top(Cities(2015 基础网络建设水平), n=5)", "ok"),
        ("温州排第几", "Rank(温州 2015 基础网络建设水平)", "ok"),
    ],
    "a group mean stays in the conversation's report": [
        ("2015年华南地区前三", "Top(Cities(2015 region:华南), n=3)", "ok"),
        ("华南地区平均分是多少", "Mean(2015 region:华南)", "ok"),
    ],
    "在安徽排第几 ranks the city just asked about inside its province": [
        ("合肥2015年总分排名", "Rank(合肥 2015 总分)", "ok"),
        ("在安徽排第几", "Rank(合肥 2015 总分 province:安徽)", "ok"),
    ],
    "哪项最强 after a profile is that city's strongest part": [
        ("株洲2015年各项得分", "Profile(株洲 2015)", "ok"),
        ("哪项最强", "Profile(株洲 2015, best)", "ok"),
        ("哪一项最弱", "Profile(株洲 2015, worst)", "ok"),
    ],
    "它 after a position is that city's own figure": [
        ("数字经济县市前五", "Top(Cities(de2020 总分 admin_level:县市), n=5)", "ok"),
        ("第六名呢", "Nth(Cities(de2020 总分 admin_level:县市), k=6)", "ok"),
        ("它的数字经济指数呢", "Value(常熟市（苏州） de2020 总分)", "ok"),
    ],
    "两个差多少 after two provinces' means is the difference of the means": [
        ("2015年山东参评城市平均分", "Mean(山东省 2015)", "ok"),
        ("河南呢", "Mean(河南省 2015)", "ok"),
        ("两个差多少", "Mean(河南省 2015, Mean(山东省 2015))", "ok"),
    ],
    "两者差多少 after two indicators' means": [
        ("2021年网络基础平均指数", "Mean(2021 网络基础)", "ok"),
        ("物联网呢", "Mean(2021 物联网)", "ok"),
        ("两者差多少", "Mean(2021 网络基础, Mean(2021 物联网))", "ok"),
    ],
    "这三个 are the last three cities asked about": [
        ("宁波政府网站排名", "Rank(宁波 gw2020)", "ok"),
        ("温州呢", "Rank(温州 gw2020)", "ok"),
        ("台州呢", "Rank(台州 gw2020)", "ok"),
        ("这三个里谁最高", "Compare(台州 温州 宁波 gw2020)", "ok"),
    ],
    "它们 after a shared place are the cities sharing it": [
        ("2016年加分项第一名", "Nth(Cities(2016 加分项), k=1)", "ok"),
        ("它们的智慧经济谁高", "Compare(北京 上海 深圳 天津 2016 智慧经济)", "ok"),
    ],
    "a report named after a city's question is that city's figure there, not the report's list": [
        ("洛阳2015年智慧城市排第几", "Rank(洛阳 2015 smart)", "ok"),
        ("数字经济那个排名呢", "Rank(洛阳 de2020 总分)", "ok"),
    ],
    "比湘潭高吗 compares the city just asked about with the one named": [
        ("株洲2016年得了多少分", "Value(株洲 2016)", "ok"),
        ("比湘潭高吗", "Compare(株洲 湘潭 2016)", "ok"),
    ],
    "几线城市 after a city is its tier; a report without tiers then answers its rank": [
        ("惠州数字经济排多少", "Rank(惠州 de2020 总分)", "ok"),
        ("几线城市", "Tier(惠州 de2020)", "ok"),
        ("政府网站呢", "Rank(惠州 gw2020)", "ok"),
    ],
    "有几个 after a filtered list counts that same list": [
        ("数字经济前50名里河南有哪些", "Members(InGroup(Top(Cities(de2020 总分), n=50), province:河南))", "ok"),
        ("有几个", "Count(InGroup(Top(Cities(de2020 总分), n=50), province:河南))", "ok"),
    ],
    "哪个最高 after a province's mean is among that province's cities": [
        ("2016年四川的城市平均总分多少", "Mean(四川省 2016 总分)", "ok"),
        ("哪个最高", "Nth(InGroup(Cities(2016 总分), province:四川), k=1)", "ok"),
    ],
    "它们平均多少分 after a top list is the mean of its members; after a province's list, the province's mean": [
        ("2016年前五", "Top(Cities(2016), n=5)", "ok"),
        ("它们平均多少分", "Mean(2016, Top(Cities(2016), n=5))", "ok"),
        ("2015年安徽参评城市有哪些", "Members(InGroup(Cities(2015), province:安徽))", "ok"),
        ("这些城市平均分", "Mean(安徽省 2015)", "ok"),
    ],
    "它们 after a top list are every city it showed; 它俩 its first two": [
        ("2016年总分前三", "Top(Cities(2016 总分), n=3)", "ok"),
        ("它们的智慧人群分别多少", "Compare(深圳 上海 杭州 2016 智慧人群)", "ok"),
        ("数字经济前五", "Top(Cities(de2020 总分), n=5)", "ok"),
        ("它俩谁高", "Compare(上海 深圳 de2020 总分)", "ok"),
    ],
    "比市辖区平均分高多少 after a district's score is that district against the mean": [
        ("南山区数字经济多少分", "Value(南山区（深圳） de2020 总分)", "ok"),
        ("比市辖区平均分高多少", "Mean(南山区（深圳） de2020 总分, Mean(de2020 总分 admin_level:市辖区))", "ok"),
    ],
    "a reply to a clarify can name the city the candidate lies in": [
        ("通州区排第几", "Rank()", "clarify"),
        ("北京的", "Rank(通州区（北京）)", "ok"),
    ],
    "它 inside a province's category table after a district or county": [
        ("昆山市数字经济多少分", "Value(昆山市（苏州） de2020 总分)", "ok"),
        ("江苏的县市里它排第几", "Rank(昆山市（苏州） de2020 总分 admin_level:县市 province:江苏)", "ok"),
    ],
    "这几个城市各是几线 after a list is each listed city's tier": [
        ("数字经济前三", "Top(Cities(de2020 总分), n=3)", "ok"),
        ("这几个城市各是几线", "Each(Tier(上海 de2020), Tier(深圳 de2020), Tier(北京 de2020))", "ok"),
    ],
    "其中… after a condition or a tier keeps them, and adds the new filter": [
        ("2015年总分50分以上的城市", "Where(Cities(2015 总分), >=50)", "ok"),
        ("其中江苏的有几个", "Count(Where(InGroup(Cities(2015 总分), province:江苏), >=50))", "ok"),
        ("数字经济二线城市有哪些", "Members(InGroup(Cities(de2020 总分), tier:二线))", "ok"),
        ("其中哪些在长三角", "Members(InGroup(InGroup(Cities(de2020 总分), cluster:长三角), tier:二线))", "ok"),
    ],
    "排名变化大吗 after two years of one city is the change between them": [
        ("扬州2015年总分", "Value(扬州 2015 总分)", "ok"),
        ("2016年呢", "Value(扬州 2016 总分)", "ok"),
        ("排名变化大吗", "Change(扬州 2015 2016 总分)", "ok"),
    ],
    "另一个呢 after a settled clarify is the candidate not picked": [
        ("吉林排名", "Rank()", "clarify"),
        ("市", "Rank(吉林)", "ok"),
        ("另一个呢", "Rank(吉林省)", "ok"),
    ],
    "江苏第几 after a city of 江苏 is that city inside the province": [
        ("南通政府网站排名", "Rank(南通 gw2020)", "ok"),
        ("江苏第几", "Rank(南通 gw2020 province:江苏)", "ok"),
    ],
    "差多少 after two groups' means is their difference": [
        ("长三角数字经济加权得分", "Mean(de2020 总分 cluster:长三角)", "ok"),
        ("成渝呢", "Mean(de2020 总分 cluster:成渝)", "ok"),
        ("差多少", "Mean(de2020 总分 cluster:长三角, Mean(de2020 总分 cluster:成渝))", "ok"),
    ],
    "其中… after a slice of places asks inside that slice; 它 after a list of one is that city": [
        ("数字经济第21到40名", "Nth(Cities(de2020 总分), k=21, last=40)", "ok"),
        ("其中山东的有哪些", "Members(InGroup(Nth(Cities(de2020 总分), k=21, last=40), province:山东))", "ok"),
        ("2016年最后一名", "Top(Cities(2016), n=1, bottom=True)", "ok"),
        ("它在西藏排第几", "Rank(林芝 2016 province:西藏)", "ok"),
    ],
    "a full question after a clarify is read as asked, not as a reply to it": [
        ("通州区排名", "Rank()", "clarify"),
        ("北京的", "Rank(通州区（北京）)", "ok"),
        ("南通数字经济排名", "Rank(南通 de2020 总分)", "ok"),
    ],
    "另一个呢 after naming the candidate outright": [
        ("吉林排名", "Rank()", "clarify"),
        ("吉林市的", "Rank(吉林)", "ok"),
        ("另一个呢", "Rank(吉林省)", "ok"),
    ],
    "有几个 after 其中… counts inside the same list": [
        ("数字经济前五", "Top(Cities(de2020 总分), n=5)", "ok"),
        ("其中广东的有哪些", "Members(InGroup(Top(Cities(de2020 总分), n=5), province:广东))", "ok"),
        ("有几个", "Count(InGroup(Top(Cities(de2020 总分), n=5), province:广东))", "ok"),
    ],
    "它 after a question about an indicator is that indicator": [
        ("智慧管理包括哪些二级指标", "Meta(contains, 智慧管理/智慧治理)", "ok"),
        ("它的权重呢", "Meta(weight, 智慧管理/智慧治理)", "ok"),
    ],
    "这两个省 are the two provinces just asked about": [
        ("广东政府网站排名", "Rank(广东省 gw2020)", "ok"),
        ("福建呢", "Rank(福建省 gw2020)", "ok"),
        ("这两个省谁高", "Compare(福建省 广东省 gw2020)", "ok"),
    ],
    "第六到第十呢 is a range of the list just shown": [
        ("2016年前五", "Top(Cities(2016), n=5)", "ok"),
        ("第六到第十呢", "Nth(Cities(2016), k=6, last=10)", "ok"),
    ],
    "再往后几名 lists the places after the list just shown": [
        ("数字经济前十", "Top(Cities(de2020 总分), n=10)", "ok"),
        ("再往后几名", "Nth(Cities(de2020 总分), k=11, last=20)", "ok"),
        ("再往后五名", "Nth(Cities(de2020 总分), k=21, last=25)", "ok"),
    ],
    "a reply to a clarify picks by kind or order": [
        ("龙城排名", "Rank()", "clarify"),
        ("第二个", "Rank(常州)", "ok"),
    ],
    "省那个 picks the province": [
        ("吉林排名", "Rank()", "clarify"),
        ("省那个", "Rank(吉林省)", "ok"),
    ],
    "排第几 asks for the place of what was just asked; a name continues it": [
        ("2015年湖北省平均分", "Mean(湖北省 2015)", "ok"),
        ("排第几", "Rank(湖北省 2015)", "ok"),
        ("湖南呢", "Rank(湖南省 2015)", "ok"),
    ],
    "其中 filters the last list; 一共几个 counts it": [
        ("数字经济二线城市有哪些", "Members(InGroup(Cities(de2020 总分), tier:二线))", "ok"),
        ("其中浙江的有哪些", "Members(InGroup(InGroup(Cities(de2020 总分), tier:二线), province:浙江))", "ok"),
        ("一共几个", "Count(InGroup(InGroup(Cities(de2020 总分), tier:二线), province:浙江))", "ok"),
    ],
    "它俩 after a tie: the city and the one it ties with": [
        ("四川省政府网站排名", "Rank(四川省 gw2020)", "ok"),
        ("和它并列的有哪些", "Rank(四川省 gw2020)", "ok"),
        ("它俩数据开放指数谁高", "Compare(四川省 福建省 gw2020 数据开放指数)", "ok"),
    ],
    "它在深圳排第几 after a district: among the city's districts": [
        ("罗湖区政府网站排名", "Rank(罗湖区（深圳） gw2020)", "ok"),
        ("它在深圳排第几", "Rank(罗湖区（深圳） gw2020 parent:深圳)", "ok"),
    ],
    "具体多少分 after a tier: the value": [
        ("宁波是数字经济几线", "Tier(宁波 de2020 总分)", "ok"),
        ("具体多少分", "Value(宁波 de2020 总分)", "ok"),
    ],
    "a group's average after its members": [
        ("成渝城市群包括哪些城市", "Members(InGroup(Cities(), cluster:成渝))", "ok"),
        ("加权得分多少", "Mean(cluster:成渝)", "ok"),
    ],
    "a city with a request about something else": [
        ("昆明有什么好吃的", "Unclear(off_topic)", "out_of_scope"),
        ("那它的数字经济排名呢", "Rank(昆明 de2020 总分)", "ok"),
    ],
}


@pytest.mark.parametrize("name", list(CONVERSATIONS))
def test_conversation_reads_every_turn_as_written(engine, name):
    ctx = None
    for question, reading, status in CONVERSATIONS[name]:
        reply = engine.answer(question, ctx, follow_ups=False)
        assert (reply.query, reply.status) == (reading, status), (question, reply.text)
        ctx = reply.context


def test_change_states_the_difference_of_the_printed_totals(engine, store):
    ctx = None
    for question in ("常州2015年总分多少", "那2016年呢", "涨了多少分"):
        reply = engine.answer(question, ctx, follow_ups=False)
        ctx = reply.context
    city = next(e.id for e in store.entities() if e.name == "常州")
    old, new = (store.value(k, city, "总分") for k in ("sc2015", "sc2016"))
    diff = f"{new.value - old.value:.2f}".rstrip("0").rstrip(".")
    assert f"分数提高 {diff}" in reply.text and f"第{old.rank}→第{new.rank}名" in reply.text


def test_rank_inside_a_province_counts_the_provinces_cities_above(engine, store):
    reply = engine.answer("南京在江苏2016年排第几", follow_ups=False)
    city = next(e.id for e in store.entities() if e.name == "南京")
    mine = store.value("sc2016", city, "总分")
    above = [v for v in store.table("sc2016", "总分") if store.entity(v.entity_id).province == "江苏"
             and v.value > mine.value]
    assert f"排第{len(above) + 1}（全表第{mine.rank}名）" in reply.text


def test_a_false_premise_is_corrected_before_the_figures(engine):
    reply = engine.answer("徐州2016年排名下降了多少", follow_ups=False)
    assert reply.text.startswith("其实没有下降，而是上升了。") and "名次上升" in reply.text


def test_a_long_story_is_read_by_its_question_and_its_city(engine):
    story = ("我在写一篇关于家乡的作文，想引用一些数据说明这几年的发展变化，我老家是浙江的湖州，小时候那里还很安静。"
             "它在2015年智慧城市评估里总分是多少？")
    reply = engine.answer(story, follow_ups=False)
    assert (reply.query, reply.status) == ("Value(湖州 2015 smart 总分)", "ok"), reply.text


def test_both_keeps_the_cities_in_every_set(engine, store):
    reply = engine.answer("2015年和2016年都进了前十的城市有哪些", follow_ups=False)
    first = {v.entity_id for v in store.table("sc2015", "总分") if v.rank <= 10}
    second = {v.entity_id for v in store.table("sc2016", "总分") if v.rank <= 10}
    assert f"共 {len(first & second)} 个" in reply.text
    assert all(store.entity(e).name in reply.text for e in first & second)
    assert not any(store.entity(e).name + "（" in reply.text for e in first ^ second)


def test_which_city_leaves_out_the_provinces_own_table(engine):
    reply = engine.answer("政府网站做得最好的是哪个城市", follow_ups=False)
    assert reply.status == "ok" and "省/自治区" not in reply.text and "青岛" in reply.text



@pytest.mark.parametrize("question, reading, status, must", [
    ("2015年省会城市智慧经济前五", "Top(Cities(2015 智慧经济 admin_level:省会城市), n=5)", "ok", "按全表排出"),
    ("2015年智慧经济得分率在60%以上的城市", "Where(Cities(2015 智慧经济), >=60)", "ok", "得分率 60%及以上"),
    ("既是副省级城市又是省会城市的有哪些",
     "Both(Members(Cities(admin_level:副省级城市)), Members(Cities(admin_level:省会城市)))", "ok", "都有的"),
    ("2021年的领军城市在数字经济里排名怎么样", "Members(InGroup(Cities(de2020 总分), tier:领军))", "ok", "城市评分及排名"),
    ("江苏县市数字经济平均分", "Mean(江苏省 de2020 总分 admin_level:县市)", "ok", "县市·江苏省"),
    ("第七届智慧城市评估前十", "Top(Cities(2017 smart), n=10)", "no_data", "没有 2017 年"),
    ("2018年智慧城市评估结果", "Top(Cities(2018 smart), n=10)", "no_data", "没有 2018 年"),
    ("2015年智慧人群前十里有几个地级市", "Count(InGroup(Top(Cities(2015 智慧人群), n=10), admin_level:地级市))", "ok",
     "前10名地级市共"),
    ("上海哪个区的政府网站最好", "Nth(InGroup(Cities(gw2020 admin_level:区县), parent:上海), k=1)", "ok", "上海的第1"),
    ("数字经济市辖区里广东占几个", "Count(InGroup(Cities(de2020 总分 admin_level:市辖区), province:广东))", "ok", "广东的共"),
    ("华南地区有几个省会城市", "Count(InGroup(Cities(admin_level:省会城市), region:华南))", "ok", "华南共 3 个"),
    ("数字经济二线和三线城市加起来多少个", "Count(InGroup(Cities(de2020 总分), tier:二线/三线))", "ok", "二线、三线城市中共"),
    ("福建和江西有几个城市进了数字经济前50", "Count(InGroup(Top(Cities(de2020 总分), n=50), province:福建/江西))", "ok",
     "福建、江西的共"),
    ("湖南和湖北各有几个城市进了数字经济前40", "Each(Count(InGroup(Top(Cities(de2020 总分), n=40), province:湖南)), "
     "Count(InGroup(Top(Cities(de2020 总分), n=40), province:湖北)))", "ok", "湖北的共"),
    ("不算直辖市，2016年前五名", "Top(Outside(Cities(2016), admin_level:直辖市), n=5)", "ok", "（不含直辖市）前5名"),
    ("除了深圳和广州，广东数字经济最好的是哪个",
     "Nth(Outside(InGroup(Cities(de2020 总分), province:广东), entity:深圳/广州), k=1)", "ok", "佛山"),
    ("数字经济前二十里除去一线城市还有几个", "Count(Outside(Top(Cities(de2020 总分), n=20), tier:一线))", "ok", "（不含一线）"),
    ("政府网站评估分几个类别", "Meta(tiers, gw2020)", "ok", "地市（前100名表，列出 131 个）"),
    ("无锡新区政府网站排名", "Rank(gw2020)", "no_data", "「无锡新区」"),
    ("南京鼓楼区政府网站排名", "Rank(gw2020)", "no_data", "「南京鼓楼区」"),
    ("2016年各项指标的权重", "Meta(indicators, 2016)", "ok", "智慧治理"),
    ("数字经济里城市治理平均分比数据及信息化基础设施高多少",
     "Mean(de2020 城市治理, Mean(de2020 数据及信息化基础设施))", "ok", "两者相差"),
    ("数字经济市辖区和县市的平均分差几分", "Mean(de2020 总分 admin_level:市辖区, Mean(de2020 总分 admin_level:县市))",
     "ok", "两者相差"),
    ("2016年减分项前十", "Top(Cities(2016 减分项), n=10)", "ok", "减分项"),
    ("2015年减分项最低的城市", "Nth(Cities(2015 减分项), k=1, bottom=True)", "no_data", "没有「减分项」这个指标"),
    ("2015年华东地区最高和最低的分别是谁", "Each(Nth(Cities(2015 region:华东), k=1), Nth(Cities(2015 region:华东), k=1, "
     "bottom=True))", "ok", "倒数第1"),
    ("数字经济市辖区30强里广东占了几个", "Count(InGroup(Top(Cities(de2020 总分 admin_level:市辖区), n=30), province:广东))",
     "ok", "前30名广东的共"),
    ("2016年衢州数字经济指数", "Value(衢州 2016 de2020 总分)", "no_data", "不是 2016 年的报告"),
    ("宁波城市建设花了多少钱", "Value(宁波)", "out_of_scope", "多少钱"),
    ("数字经济三线城市平均多少分", "Mean(de2020 总分 tier:三线)", "ok", "简单平均"),
    ("佛山2021年智慧城市啥水平", "Rank(佛山 2021 smart)", "ok", "佛山属"),
    ("佛山2021年智慧城市指数多少", "Value(佛山 2021 smart 发展水平指数)", "no_data", "只公布梯队"),
    ("南京的江宁区数字经济多少分", "Value(江宁区（南京） de2020 总分)", "ok", "江宁区"),
    ("2015年参评的省会城市、地级市各几个", "Each(Count(Cities(2015 admin_level:省会城市)), Count(Cities(2015 "
     "admin_level:地级市)))", "ok", "共 27 个"),
    ("比一下这两个城市", "Unclear(which)", "clarify", "哪个城市"),
    ("包头2015年智慧人群多少名", "Rank(包头 2015 智慧人群)", "ok", "排名第"),
    ("2021年哪个城市发展指数最高", "Nth(Cities(2021 发展水平指数), k=1)", "no_data", "只公布梯队"),
    ("2016年比2015年总分下降的城市有哪些", "Gains(2015 2016 总分, n=5, bottom=True, sign=-1)", "ok", "得分下降的城市"),
    ("15年到16年排名上升了的城市有几个", "Gains(2015 2016, n=5, by_rank=True, sign=1, count=True)", "ok", "名次上升的城市"),
    ("智慧服务和智慧人群都进了2015年前十的城市", "Both(Top(Cities(2015 智慧服务/智慧民生), n=10), Top(Cities(2015 智慧人群), "
     "n=10))", "ok", "都有的"),
    ("数字经济第200名", "Nth(Cities(de2020 总分), k=200)", "no_data", "只有 148 个名次"),
    ("数字经济排名第21到25", "Nth(Cities(de2020 总分), k=21, last=25)", "ok", "第21–25名"),
    ("高雄2015年总分", "Value(2015 总分)", "no_data", "高雄"),
    ("比较一下", "Unclear(which)", "clarify", "哪个城市"),
    ("2021年探索城市占比多少", "Members(InGroup(Cities(2021), tier:探索))", "ok", "占全部 50 个的 50%"),
    ("2015年得分率超过70%的城市有哪些", "Where(Cities(2015), >70)", "ok", "按满分 105 计算"),
    ("2016年无锡的得分率", "Value(无锡 2016)", "no_data", "没有印出得分率"),
    ("2016年前三和倒数第一", "Each(Top(Cities(2016), n=3), Nth(Cities(2016), k=1, bottom=True))", "ok", "倒数第1"),
    ("政府网站直辖市和副省级城市一共有几个", "Each(Count(Cities(gw2020 admin_level:直辖市)), Count(Cities(gw2020 "
     "admin_level:副省级城市)))", "ok", "合计 19 个"),
    ("2021年江苏的城市分别是什么梯队", "Members(InGroup(Cities(2021 sc2021), province:江苏))", "ok", "无锡（领军城市）"),
    ("武汉在副省级城市和省会城市里分别排第几", "Each(Rank(武汉 gw2020 admin_level:副省级城市), Rank(武汉 gw2020 "
     "admin_level:省会城市))", "ok", "省会城市"),
    ("常州和镇江2015、2016年的总分", "Each(Change(常州 2015 2016 总分), Change(镇江 2015 2016 总分))", "ok", "镇江历届"),
    ("2016年哪个城市扣分最多", "Nth(Cities(2016 减分项), k=1, bottom=True)", "ok", "-2"),
    ("2016年加分项最多的城市", "Nth(Cities(2016 加分项), k=1)", "ok", "北京 4"),
    ("南京智慧城市和数字经济哪个排名更靠前", "Each(Rank(南京 de2020 总分), Rank(南京 smart 总分))", "ok", "2016 智慧城市评估"),
    ("数字经济", "Top(Cities(de2020 总分), n=10)", "ok", "前10名"),
    ("第八届智慧城市", "Top(Cities(2018 smart), n=10)", "no_data", "没有 2018 年"),
    ("2015年直辖市前三", "Top(InGroup(Cities(2015 admin_level:直辖市及计划单列市), admin_level:直辖市), n=3)", "ok", "天津"),
    ("2015年计划单列市有几个", "Count(InGroup(Cities(2015 admin_level:直辖市及计划单列市), admin_level:计划单列市))", "ok",
     "共 5 个"),
    ("2016年总分比2015年低的城市有哪些", "Gains(2015 2016 总分, n=5, bottom=True, sign=-1)", "ok", "得分下降的城市"),
    ("2016年加分项拿3分的城市", "Where(Cities(2016 加分项), =3)", "ok", "为 3 的共"),
    ("数字经济白皮书评估了多少个区县", "Each(Count(Cities(de2020 总分 admin_level:市辖区)), Count(Cities(de2020 总分 "
     "admin_level:县市)))", "ok", "合计 100 个"),
    ("政府网站评估了多少个区县", "Count(Cities(gw2020 admin_level:区县))", "ok", "（该表只列出前100名）"),
    ("2016年浙江最好的三个城市", "Top(InGroup(Cities(2016), province:浙江), n=3)", "ok", "浙江的前3名"),
    ("数字经济最差的五个城市", "Top(Cities(de2020 总分), n=5, bottom=True)", "ok", "倒数5名"),
    ("杭州在江苏排第几", "Rank(杭州 江苏省)", "ok", "杭州不在江苏省（它在浙江）"),
    ("政府网站副省级城市和省会城市各有几个", "Each(Count(Cities(gw2020 admin_level:副省级城市)), Count(Cities(gw2020 "
     "admin_level:省会城市)))", "ok", "只算一次"),
    ("上海数字经济哪项最强", "Profile(上海 de2020 总分, best)", "no_data", "没有公布各城市的分项得分"),
    ("数字经济哪个省的城市最多", "Top(Cities(de2020 总分), n=10)", "ok", "前10名"),
    ("苏锡常2016年智慧人群比较", "Compare(苏州 无锡 常州 2016 智慧人群)", "ok", "常州"),
    ("长株潭数字经济谁最强", "Compare(长沙 株洲 湘潭 de2020 总分)", "ok", "湘潭"),
    ("冰城2016年排名", "Rank(哈尔滨 2016)", "ok", "哈尔滨总分"),
    ("2021年的城市是怎么选的", "Meta(cities, 2021)", "ok", "GDP"),
    ("常州2015年和2016年以及数字经济里分别排第几", "Each(Rank(常州 de2020 总分), Rank(常州 2015 总分), Rank(常州 2016 总分))",
     "ok", "数字经济指数"),
    ("2015年南昌智慧环境得分", "Value(南昌 2015 smart)", "no_data", "南昌"),
    ("21年徐州是哪个梯队", "Tier(徐州 2021 sc2021)", "ok", "徐州属"),
    ("yichang 2016 zongfen", "Value(宜昌 2016 总分)", "ok", "宜昌总分"),
    ("政府网站省会城市排最后的三个", "Top(Cities(gw2020 admin_level:省会城市), n=3, bottom=True)", "ok", "倒数3名"),
    ("2015年智慧经济垫底的两个城市", "Top(Cities(2015 智慧经济), n=2, bottom=True)", "ok", "倒数2名"),
    ("2016年江苏末尾的两个", "Top(InGroup(Cities(2016), province:江苏), n=2, bottom=True)", "ok", "江苏的倒数2名"),
    ("数字经济最后的三名", "Top(Cities(de2020 总分), n=3, bottom=True)", "ok", "倒数3名"),
    ("2015年排末尾的是谁", "Nth(Cities(2015), k=1, bottom=True)", "ok", "倒数第1"),
    ("2015年加分项得满5分的有几个", "Count(Where(Cities(2015 加分项), =5))", "ok", "为 5 的共"),
    ("淮安2016年几个一级指标的得分", "Profile(淮安 2016)", "ok", "智慧民生"),
    ("2021年绍兴和台州哪个梯队更高", "Compare(绍兴 台州 2021 sc2021)", "ok", "同一梯队"),
    ("南京和杭州数字经济几线，谁更高", "Compare(南京 杭州 de2020 总分)", "ok", "杭州所在梯队更高"),
    ("常州14、15、16三年名次", "Change(常州 2014 2015 2016)", "ok", "2014 年：未进前十名"),
    ("嘉兴这三年的名次", "Change(嘉兴)", "ok", "历届"),
    ("数字经济区县的指标有哪些", "Meta(indicators, de2020 总分 admin_level:区县)", "ok", "服务与治理（40%）"),
    ("数字经济县域前三", "Each(Top(Cities(de2020 总分 admin_level:市辖区), n=3), Top(Cities(de2020 总分 "
     "admin_level:县市), n=3))", "ok", "县市前3名"),
    ("数字经济县域平均分", "Each(Mean(de2020 总分 admin_level:市辖区), Mean(de2020 总分 admin_level:县市))", "ok",
     "市辖区"),
    ("政府网站省会城市评了几个", "Count(Cities(gw2020 admin_level:省会城市))", "ok", "共 23 个"),
    ("2012年评了几个城市", "Meta(count, 2012)", "no_data", "只留下前十名"),
    ("第六届是哪年", "Meta(reports, 2016)", "ok", "2016 智慧城市评估（第六届）"),
    ("通州区(南通)数字经济排名", "Rank(通州区（南通） de2020 总分)", "ok", "通州区（南通）"),
    ("这个县多少分", "Value()", "clarify", "指的是哪个"),
    ("宁波在往届评估里都排多少", "Change(宁波)", "ok", "历届"),
    ("海南省的政府网站排名第几", "Rank(海南省 gw2020)", "ok", "海南省"),
    ("15年华东那几个城市里总分过60的有哪些", "Where(Cities(2015 总分 region:华东), >60)", "ok", "60 分以上"),
    ("2016年总分过60的城市有几个", "Count(Where(Cities(2016 总分), >60))", "ok", "共"),
    ("药都数字经济多少分", "Value(亳州 de2020 总分)", "ok", "亳州"),
    ("瓷都2016年排名", "Rank(2016)", "no_data", "景德镇"),
    ("卢州数字经济指数", "Value(泸州 de2020 总分)", "ok", "泸州"),
    ("临沂2015年总分的得分率是多少", "Value(临沂 2015 总分)", "ok", "所印）：33.88%"),
    ("2016年一级指标和二级指标各有多少个", "Meta(indicators, 2016)", "ok", "二级指标"),
    ("2015年的评估依据什么理论框架", "Meta(model, 2015)", "ok", "PSF"),
    ("2015年株州在华中地区排多少名", "Rank(株洲 2015 region:华中)", "ok", "株洲"),
    ("我们市的数字经济排第几", "Rank(de2020 总分)", "clarify", "指的是哪个"),
    ("无锡惠山区数字经济得分", "Value(de2020 总分)", "no_data", "无锡惠山区"),
    ("惠山区政府网站排名", "Rank(gw2020)", "no_data", "惠山区"),
    ("无锡新吴区数字经济得分", "Value(新吴区（无锡） de2020 总分)", "ok", "新吴区（无锡）"),
    ("县市数字经济第2和第3名是谁", "Nth(Cities(de2020 总分 admin_level:县市), k=2, last=3)", "ok", "第2–3名"),
    ("2016年第一和第四名", "Each(Nth(Cities(2016), k=1), Nth(Cities(2016), k=4))", "ok", "第4名"),
    ("16年总榜从后往前数第三是哪个城市", "Nth(Cities(2016), k=3, bottom=True)", "ok", "倒数第3"),
    ("深圳第一届到第四届排名变化", "Change(深圳 2011 2012 2013 2014)", "ok", "2013 年"),
    ("数字经济县区一共选了几个样本", "Meta(count, de2020 总分)", "ok", "共 100 个"),
    ("福田比罗湖政府网站高出多少分", "Compare(福田区（深圳） 罗湖区（深圳） gw2020, diff=True)", "ok", "罗湖区（深圳）"),
    ("江宁数字经济排名", "Rank(江宁区（南京） de2020 总分)", "ok", "江宁区（南京）"),
    ("深圳政府网站绩效考评排名多少", "Rank(深圳 gw2020 总分)", "ok", "副省级城市"),
    ("信息服务业从业人员情况是怎么评的", "Meta(contains, 信息服务业从业人员情况)", "ok", "信息服务业从业人员情况"),
    ("SMART理论模型的五个字母代表什么", "Meta(model)", "ok", "管理（Management）"),
    ("2015年评估的资料是如何采集的", "Meta(collection, 2015)", "ok", "电话调查"),
    ("2016年总分落在40~50分区间的城市数量", "Count(Where(Cities(2016 总分), >=40 <=50))", "ok", "共"),
    ("宁波16年的分项成绩都列一下", "Profile(宁波 2016)", "ok", "智慧民生"),
    ("2021年服务完备度下分哪几块", "Meta(contains, 2021 服务完备度)", "ok", "服务完备度"),
    ("浙江义乌数字经济几分", "Value(义乌市（金华） de2020 总分)", "ok", "义乌市（金华）"),
    ("海门比如东数字经济高出几分", "Compare(海门市（南通） 如东县（南通） de2020 总分, diff=True)", "ok", "如东县（南通）"),
    ("数字经济排第80的城市是谁，几线", "Nth(Cities(de2020 总分), k=80)", "ok", "线城市"),
    ("制造业数字化整体平均和Top10平均分别多少", "Each(Mean(制造业数字化), Mean(制造业数字化 top:Top10))", "ok", "57.8"),
    ("鹤城2016年总分", "Value(2016 总分)", "clarify", "齐齐哈尔"),
    ("绍兴2015年二级指标得分", "Profile(绍兴 2015)", "ok", "社会化媒体参与度"),
    ("那前三呢", "Unclear(which)", "clarify", "想查哪个"),
    ("2016年季军是哪个城市", "Nth(Cities(2016), k=3)", "ok", "第3"),
    ("2012年智慧人群第一", "Nth(Cities(2012 智慧人群), k=1)", "no_data", "只留下总排名前十名"),
    ("2015年智慧基础设施比2014年有什么变化", "Meta(changes, 2014 2015 智慧基础设施)", "ok", "权重由 25 分调整为 20 分"),
    ("数字经济白皮书用的什么模型", "Meta(model, de2020 总分)", "no_data", "没有说明"),
    ("苏州以前几届智慧城市评估排第几", "Change(苏州 smart)", "ok", "历届"),
])

def test_compositions_read_and_answered(engine, question, reading, status, must):
    reply = engine.answer(question, follow_ups=False)
    assert (reply.query, reply.status) == (reading, status) and must in reply.text, reply.text



@pytest.mark.parametrize("question, report, province", [("广东的城市数字经济前五", "de2020", "广东"),
                                                       ("2016年山东前三名", "sc2016", "山东")])
def test_a_top_list_inside_a_province_counts_places_in_the_province(engine, store, question, report, province):
    reply = engine.answer(question, follow_ups=False)
    n = 5 if "五" in question else 3
    indicator = store.total_indicator(report)
    best = [v for v in store.table(report, indicator) if store.entity(v.entity_id).province == province][:n]
    assert f"共 {n} 个" in reply.text and all(store.entity(v.entity_id).name in reply.text for v in best), reply.text


@pytest.mark.parametrize("question, rank, bottom", [("2016年比2015年总分提高最多的城市", False, False),
                                                   ("总分下降最多的3个城市", False, True),
                                                   ("15年到16年排名上升最多的城市", True, False)])
def test_cities_ranked_by_their_change_between_editions(engine, store, question, rank, bottom):
    reply = engine.answer(question, follow_ups=False)
    before = {v.entity_id: v for v in store.table("sc2015", "总分")}
    after = {v.entity_id: v for v in store.table("sc2016", "总分")}
    change = {e: (before[e].rank - after[e].rank if rank else after[e].value - before[e].value) for e in after if e in before}
    extreme = (min if bottom else max)(change.values())
    first = next(e for e, d in change.items() if d == extreme)
    assert reply.status == "ok" and f"1. {store.entity(first).name} " in reply.text, reply.text


@pytest.mark.parametrize("question, worst", [("合肥2015年哪项指标最强", False), ("合肥2015年的短板是哪一项", True)])
def test_the_strongest_or_weakest_part_of_a_profile_by_its_rate(engine, store, question, worst):
    reply = engine.answer(question, follow_ups=False)
    city = next(e.id for e in store.entities() if e.name == "合肥")
    parts = [(store.value("sc2015", city, i.name), float(i.max_score)) for i in store.indicators("sc2015")
             if i.level == 1 and i.max_score and not i.name.endswith("分项") and i.name != "总分"]
    v, top = (min if worst else max)(parts, key=lambda p: p[0].value / p[1])
    assert f"是{v.indicator}，得分率" in reply.text and v.value_text in reply.text, reply.text


def test_the_mean_of_a_list_just_shown_is_computed_from_its_members(engine, store):
    ctx = engine.answer("2016年前五", follow_ups=False).context
    reply = engine.answer("它们平均多少分", ctx, follow_ups=False)
    five = [v.value for v in store.table("sc2016", "总分")[:5]]
    assert f"简单平均为 {round(sum(five) / 5, 2):g}" in reply.text, reply.text


@pytest.mark.parametrize("question, city, report, indicator, group", [
    ("南京数字经济比新一线城市平均分高多少", "南京", "de2020", "数字经济指数", ("tier", "新一线")),
    ("杭州2016年智慧经济比浙江平均高多少", "杭州", "sc2016", "智慧经济", ("province", "浙江"))])
def test_a_city_against_a_groups_mean(engine, store, question, city, report, indicator, group):
    reply = engine.answer(question, follow_ups=False)
    own = store.value(report, next(e.id for e in store.entities() if e.name == city), indicator)
    members = [v.value for v in store.table(report, indicator) if (store.entity(v.entity_id).province == group[1]
               if group[0] == "province" else v.entity_id in store.group_entities("de2020", *group))]
    mean = round(sum(members) / len(members), 2)
    assert f"两者相差 {round(own.value - mean, 2):g}" in reply.text, reply.text


def test_a_condition_on_each_of_two_indicators(engine, store):
    reply = engine.answer("2015年总分50分以上但智慧人群不到5分的城市", follow_ups=False)
    assert reply.query == "Where(Where(Cities(2015 总分), >=50), 智慧人群 <5)", reply.query
    both = [v for v in store.table("sc2015", "总分") if v.value >= 50
            and store.value("sc2015", v.entity_id, "智慧人群").value < 5]
    assert both and f"共 {len(both)} 个" in reply.text and all(store.entity(v.entity_id).name in reply.text for v in both)


def test_autonomous_prefectures_are_a_kind_of_place_a_list_can_keep(engine, store):
    reply = engine.answer("2016年自治州有几个", follow_ups=False)
    theirs = [v for v in store.table("sc2016", "总分") if store.entity(v.entity_id).full_name.endswith("自治州")]
    assert reply.query == "Count(InGroup(Cities(2016), place_kind:自治州))" and f"共 {len(theirs)} 个" in reply.text


def test_several_short_questions_in_one_message_are_each_answered_in_turn(engine, store):
    reply = engine.answer("数字经济四线城市有几个？最高分是哪个", follow_ups=False)
    fourth = [v for v in store.table("de2020", "数字经济指数") if v.entity_id in store.group_entities("de2020", "tier", "四线")]
    assert reply.status == "ok" and f"共 {len(fourth)} 个" in reply.text
    assert f"第1：{store.entity(fourth[0].entity_id).name} {fourth[0].value_text}" in reply.text, reply.text
    assert reply.query.count("查询") == 0 and " ; " in reply.query  # both readings, the second in the first's context


def test_a_city_against_all_cities_reads_both_from_one_report(engine, store):
    reply = engine.answer("无锡比全国平均高多少", follow_ups=False)
    wuxi = next(e.id for e in store.entities() if e.name == "无锡")
    own = store.value("de2020", wuxi, "数字经济指数")
    assert f"无锡 {own.value_text}" in reply.text and "两者相差" in reply.text and "2020 城市数字经济指数" in reply.text


def test_a_clarify_inside_several_questions_is_still_asked(engine):
    reply = engine.answer("吉林排名？无锡2015排名呢", follow_ups=False)
    assert "请问是哪一个" in reply.text and "无锡总分 80.20" in reply.text


def test_a_list_leaves_out_what_the_question_excludes(engine, store):
    reply = engine.answer("不算直辖市，2016年前五名", follow_ups=False)
    rest = [v for v in store.table("sc2016", "总分") if store.entity(v.entity_id).kind != "municipality"][:5]
    assert all(f"{store.entity(v.entity_id).name} {v.value_text}" in reply.text for v in rest), reply.text
    assert not any(name in reply.text for name in ("上海", "北京", "天津", "重庆"))


def test_a_set_asked_by_rank_shows_each_place_in_the_table(engine, store):
    reply = engine.answer("2021年的先锋城市在数字经济里分别排第几", follow_ups=False)
    pioneers = store.group_entities("sc2021", "tier", "先锋")
    shown = [v for v in store.table("de2020", "数字经济指数") if v.entity_id in pioneers]
    assert shown and all(f"{store.entity(v.entity_id).name} {v.value_text}（第{v.rank}名）" in reply.text for v in shown)


@pytest.mark.parametrize("question", ["南京智慧交通得分", "武汉 智慧医疗 排名"])
def test_an_indicator_no_report_has_is_no_data_never_another_number(engine, question):
    reply = engine.answer(question, follow_ups=False)
    assert reply.status == "no_data" and "这个指标" in reply.text and "排名第" not in reply.text


def test_a_region_whose_own_table_lacks_the_indicator_is_taken_from_the_full_table(engine):
    """2015's regional tables print only 总分: a region's list, count or rank on another indicator is its
    members in the full table (counted from the store here), never "none"."""
    store = engine.store
    members = set(store.group_entities("sc2015", "region", "华中"))
    rows = [v for v in store.table("sc2015", "智慧经济", "全部") if v.entity_id in members and v.value is not None]
    assert rows and not store.table("sc2015", "智慧经济", "华中")
    above = [v for v in rows if v.value > 5]
    reply = engine.answer("2015年华中有几个城市智慧经济超过5分", follow_ups=False)
    assert reply.status == "ok" and f"共 {len(above)} 个" in reply.text, reply.text
    best = max(rows, key=lambda v: v.value)
    reply = engine.answer("2015年华中智慧经济最高的是谁", follow_ups=False)
    assert engine._name(best.entity_id) in reply.text and best.value_text in reply.text, reply.text
    reply = engine.answer(f"{engine._name(best.entity_id)}2015年智慧经济在华中排第几", follow_ups=False)
    assert f"在 {len(rows)} 个中排第1" in reply.text, reply.text


def test_an_earlier_editions_size_is_the_one_the_next_report_states(engine):
    """2014年评估了多少个城市: the 2015 report's text states it (stored as a stat with its sentence); the answer
    gives that number, never the 2015 edition's own count."""
    said = engine.store.stats("sc2015", "edition:2014", "总分", "count")
    assert said and said[0].value_text in said[0].sentence
    reply = engine.answer("第四届评估覆盖了多少城市", follow_ups=False)
    assert reply.status == "ok" and f"共 {said[0].value_text} 个城市" in reply.text, reply.text
    assert f"评估了 {engine.store.report('sc2015').entity_count} 个" not in reply.text


def test_a_city_against_a_place_states_both_values_and_their_difference(engine):
    """比第一名低多少: the place's value read from the same table as the city's, the difference computed."""
    mine = engine.store.value("de2020", "340100", "数字经济指数")
    first = [v for v in engine.store.table("de2020", "数字经济指数") if v.rank == 1][0]
    reply = engine.answer("数字经济里合肥比第一名低多少", follow_ups=False)
    diff = f"{mine.value - first.value:.1f}".lstrip("-")
    assert reply.status == "ok" and mine.value_text in reply.text and first.value_text in reply.text, reply.text
    assert f"低 {diff} 分" in reply.text, reply.text
    reply = engine.answer(f"{engine._name(first.entity_id)}数字经济和第一名差多少", follow_ups=False)
    assert "就是第1名" in reply.text, reply.text


def test_a_report_ranked_by_category_only_is_asked_over_every_category_table(engine):
    """政府网站 has no overall table: a count, condition or place over its cities reads every category table
    (cities only, each once) and says so, instead of finding none."""
    store = engine.store
    cities = {}
    for scope in store.ranking_scopes("gw2020", "总分"):
        for v in store.table("gw2020", "总分", scope):
            if v.value is not None and store.entity(v.entity_id).kind not in ("province", "district", "county"):
                cities.setdefault(v.entity_id, v)
    above = [v for v in cities.values() if v.value >= 90]
    reply = engine.answer("政府网站得分90分以上的城市有几个", follow_ups=False)
    assert reply.status == "ok" and f"共 {len(above)} 个" in reply.text and "各类别表合并" in reply.text, reply.text
    leaders = set(store.group_entities("sc2021", "tier", "领军"))
    best = max((v for e, v in cities.items() if e in leaders), key=lambda v: v.value)
    reply = engine.answer("领军城市中哪个城市政府网站得分最高", follow_ups=False)
    assert engine._name(best.entity_id) in reply.text and best.value_text in reply.text, reply.text


def test_a_category_a_report_has_no_table_of_filters_its_one_table(engine):
    """2016 prints one table: 直辖市 / 省会城市 there are the municipalities and the capitals another report lists,
    as scored in 2016 (a count of 201 or the whole top ten before)."""
    store = engine.store
    municipalities = [v for v in store.table("sc2016", "总分") if store.entity(v.entity_id).kind == "municipality"]
    reply = engine.answer("2016年直辖市有几个", follow_ups=False)
    assert f"共 {len(municipalities)} 个" in reply.text and len(municipalities) == 4, reply.text
    mean = round(sum(v.value for v in municipalities) / 4, 2)
    reply = engine.answer("2016年四个直辖市平均总分", follow_ups=False)
    assert reply.status == "ok" and f"{mean:g}" in reply.text, reply.text
    capitals = set(store.group_entities("sc2015", "admin_level", "省会城市"))
    best = next(v for v in store.table("sc2016", "总分") if v.entity_id in capitals)
    reply = engine.answer("2016年省会城市前五", follow_ups=False)
    assert engine._name(best.entity_id) in reply.text.split("：")[1][:12], reply.text
