"""What a report parser hands to the build: plain records, names as printed.

Parsers know layouts; the build knows entities and the database.  Every value
keeps the text the report prints (value_text) beside its number.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Score:
    entity: str  # name as printed
    indicator: str  # canonical indicator name in this report
    value_text: str  # as printed: "80.20", "93.50%", "-0.5"
    table: str  # caption of the source table, as printed (or a short description)
    line: int  # 1-based line in the raw file
    scope: str = "全部"  # the ranking universe: 全部, 华东, 地市, 区县 …
    rank_text: str | None = None  # printed rank, if the table prints one
    rate_text: str | None = None  # printed 得分率 next to the value
    parent: str | None = None  # printed parent city (区县 tables)
    level: str | None = None  # 'province' / 'city' when the table says so
    year: int | None = None  # data year when it differs from the report's
    measure: str = "score"  # score | rate (a 得分率 on its own)


@dataclass
class Indicator:
    name: str
    level: int  # 0 = total, 1 = level-1, 2 = level-2, 3 = level-3
    parent: str | None = None
    max_score: str | None = None  # as printed: "20", "105"
    weight: str | None = None  # as printed: "20%"
    description: str | None = None
    order: int = 0


@dataclass
class Member:
    group_type: str  # region | province | admin_level | tier | cluster | top10_edition …
    group_name: str
    entity: str
    position: int | None = None
    parent: str | None = None
    level: str | None = None
    line: int | None = None


@dataclass
class Stat:
    subject: str  # 全部, a group name, or a group type:name
    indicator: str
    kind: str  # mean | weighted_mean | rate | count | max | min
    value_text: str
    sentence: str
    line: int


@dataclass
class Anomaly:
    line: int
    what: str


@dataclass
class ParsedReport:
    key: str
    title: str
    publisher: str
    year: int
    edition: str | None
    scale: str  # what the numbers mean: "满分105分", "指数0-1" …
    max_score: str | None
    entity_count: int
    source_file: str
    subject: str  # 智慧城市 | 政府网站 | 数字经济
    indicators: list[Indicator] = field(default_factory=list)
    scores: list[Score] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    stats: list[Stat] = field(default_factory=list)
    anomalies: list[Anomaly] = field(default_factory=list)
    synonyms: dict[str, list[str]] = field(default_factory=dict)  # indicator → other names
    # another indicator system the report prints for some of its tables (数字经济: 县域（市、区）for 市辖区 and 县市):
    # its title, the scopes it applies to, and its indicators (names may repeat the main system's, weights differ)
    other_system: tuple[str, tuple[str, ...], list[Indicator]] | None = None
