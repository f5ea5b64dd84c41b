"""Administrative divisions: turn a name as a report prints it into one entity.

The division codes come from the `cpca` package (its adcodes table, national
statistics codes).  An entity's id is its 6-digit code, so the same city printed
as 无锡 in one report and 无锡市 in another is one entity.  Province → region
follows the seven regions the 2015 report uses.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata

REGION_OF_PROVINCE = {
    "华东": "上海 江苏 浙江 安徽 福建 江西 山东",
    "华南": "广东 广西 海南",
    "华北": "北京 天津 河北 山西 内蒙古",
    "东北": "辽宁 吉林 黑龙江",
    "华中": "河南 湖北 湖南",
    "西北": "陕西 甘肃 青海 宁夏 新疆",
    "西南": "重庆 四川 贵州 云南 西藏",
}
PROVINCE_REGION = {p: r for r, ps in REGION_OF_PROVINCE.items() for p in ps.split()}
MUNICIPALITIES = {"11", "12", "31", "50"}
PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市")
CITY_SUFFIXES = ("市", "地区", "盟")
# Divisions renamed after the division table was made: printed name → name in the table.
RENAMED = {"神木市": "神木县", "章丘区": "章丘市", "长乐区": "长乐市", "新津区": "新津县",
           "济阳区": "济阳县", "郫都区": "郫县"}
# Places a report names that are no division of their own.
EXTRA_PLACES = {
    "宁波杭州湾新区": ("330200", "district"),
    "西海岸新区": ("370200", "district"),
}


@dataclass(frozen=True)
class Place:
    id: str  # 6-digit division code, or "x" + parent code for a place with none
    name: str  # canonical display name
    full_name: str  # official name
    kind: str  # province | municipality | city | prefecture | district | county
    parent_id: str | None  # the city (or province) it belongs to
    province: str  # short province name: 浙江, 广西 …
    region: str


def short_province(full: str) -> str:
    """浙江省 → 浙江, 广西壮族自治区 → 广西, 内蒙古自治区 → 内蒙古."""
    for suffix in PROVINCE_SUFFIXES:
        if full.endswith(suffix) and len(full) > len(suffix) + 1:
            base = full[: -len(suffix)]
            for nation in ("壮族", "回族", "维吾尔"):
                base = base.replace(nation, "")
            return base
    return full


def short_city(full: str) -> str:
    """无锡市 → 无锡; 自治州 and 地区 names stay whole."""
    if full.endswith("市") and len(full) > 2:
        return full[:-1]
    return full


def _resource(name: str) -> str:
    """A data file of the cpca package, read without importing cpca (which loads its matcher)."""
    path = metadata.distribution("cpca").locate_file(f"cpca/resources/{name}")
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _divisions() -> dict[str, str]:
    """Six-digit code → official name."""
    text = _resource("adcodes.csv")
    return {row["adcode"][:6]: row["name"] for row in csv.DictReader(io.StringIO(text))}


@lru_cache(maxsize=1)
def _by_name() -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for code, name in _divisions().items():
        index.setdefault(name, []).append(code)
    return index


def _kind(code: str, name: str) -> str:
    if code.endswith("0000"):
        return "municipality" if code[:2] in MUNICIPALITIES else "province"
    if code.endswith("00"):
        return "prefecture" if name.endswith(("自治州", "地区", "盟")) else "city"
    if name.endswith("市") and code[:4] + "00" not in _divisions():
        return "city"  # 省直辖县级市: 济源, 仙桃
    return "county" if name.endswith(("县", "旗")) or (name.endswith("市") and code[4:6] >= "81") else "district"


def _parent(code: str) -> str | None:
    if code.endswith("0000"):
        return None
    if code.endswith("00"):
        return code[:2] + "0000"
    city = code[:4] + "00"
    if code[:2] in MUNICIPALITIES:
        return code[:2] + "0000"
    return city if city in _divisions() else code[:2] + "0000"


def place(code: str) -> Place:
    """The Place for a division code."""
    divisions = _divisions()
    full = divisions[code]
    province_full = divisions[code[:2] + "0000"]
    province = short_province(province_full)
    kind = _kind(code, full)
    if kind in ("municipality", "city"):
        name = short_city(full)
    elif kind == "province":
        name = full
    else:
        name = full
    return Place(code, name, full, kind, _parent(code), province, PROVINCE_REGION.get(province, ""))


def _candidates(printed: str) -> list[str]:
    by_name = _by_name()
    name = printed.strip()
    tries = [name, name + "市", name + "省", name + "自治区"]
    codes: list[str] = []
    for t in tries:
        codes += by_name.get(t, [])
    if not codes and name.endswith("州") and len(name) >= 3:  # 凉山州 → 凉山彝族自治州
        stem = name[:-1]
        codes = [c for n, cs in by_name.items() if n.startswith(stem) and n.endswith("自治州") for c in cs]
    if not codes:  # 广西 → 广西壮族自治区
        codes = [c for n, cs in by_name.items() if n.startswith(name) and n.endswith("自治区") for c in cs]
    return sorted(set(codes))


def resolve(printed: str, *, parent: str | None = None, level: str | None = None) -> Place:
    """The Place a report means by `printed`.

    parent: the printed parent city name where the report gives one (区县 tables).
    level: 'province' or 'city' where the table says which kind it lists.
    Raises LookupError when the name is unknown or stays ambiguous.
    """
    name = printed.strip()
    if name in EXTRA_PLACES:
        parent_code, kind = EXTRA_PLACES[name]
        city = place(parent_code)
        return Place("x" + parent_code + name, name, name, kind, parent_code, city.province, city.region)
    if name in RENAMED:  # renamed after the division table was made: keep the printed name
        old = resolve(RENAMED[name], parent=parent, level=level)
        return Place(old.id, name, name, old.kind, old.parent_id, old.province, old.region)
    codes = _candidates(name)
    if parent:  # the parent may be a city (区县 tables) or a province (县市 table)
        parents = [place(c) for c in _candidates(parent)]
        prefixes = [p.id[:2] if p.kind in ("province", "municipality") else p.id[:4] for p in parents]
        under = [c for c in codes if any(c.startswith(x) for x in prefixes) and c not in {p.id for p in parents}]
        cities = [p for p in parents if p.kind in ("city", "municipality")]
        if not under and len(cities) == 1 and name.endswith(("区", "县", "市")):
            # a district newer than the division table (深圳坪山区): known only by its city
            city = cities[0]
            return Place("x" + city.id + name, name, name, "district", city.id, city.province, city.region)
        codes = under
    if level == "province":
        codes = [c for c in codes if c.endswith("0000")] or codes
    elif level == "city":
        # a municipality counts as a city; prefer prefecture-level codes (大理 → 大理白族自治州)
        top = [c for c in codes if c.endswith("00") and (not c.endswith("0000") or c[:2] in MUNICIPALITIES)]
        if not top:
            top = [c for n, cs in _by_name().items() if n.startswith(name) and n.endswith(("自治州", "地区", "盟"))
                   for c in cs]
        codes = top or codes
    if len(codes) > 1:  # 吉林: the city unless the table lists provinces
        top = [c for c in codes if c.endswith("00") and not c.endswith("0000")]
        codes = top if len(top) == 1 else codes
    if len(codes) != 1:
        raise LookupError(f"{printed!r}: {len(codes)} divisions match")
    return place(codes[0])


@lru_cache(maxsize=1)
def _nations() -> list[str]:
    text = _resource("56_nations.csv")
    names = {n.strip() for n in re.split(r"[,\s]+", text) if n.strip().endswith("族")}
    names |= {n[:-1] for n in names if len(n) > 2}  # 蒙古族 → 蒙古, 哈萨克族 → 哈萨克
    return sorted(names, key=len, reverse=True)


def stem(full: str) -> str:
    """The short name people use: 无锡市 → 无锡, 凉山彝族自治州 → 凉山, 浙江省 → 浙江."""
    if full.endswith("自治州"):
        base = full[: -len("自治州")]
        changed = True
        while changed:
            changed = False
            for nation in _nations():
                if base.endswith(nation) and len(base) > len(nation) + 1:
                    base = base[: -len(nation)]
                    changed = True
        return base
    if full.endswith(("自治区", "省")):
        return short_province(full)
    if full.endswith(("市", "地区", "盟")) and len(full) > 2:
        return full[:-1] if full.endswith(("市", "盟")) else full[:-2]
    return full


def strip_parent_prefix(printed: str) -> tuple[str, str | None]:
    """深圳市南山区 → (南山区, 深圳市): a district printed with its city in front."""
    if "市" in printed[1:-1]:
        head, _, tail = printed.partition("市")
        if tail and len(tail) >= 2:
            return tail, head + "市"
    return printed, None


def county_level_names() -> list[str]:
    """Official names of every district, county and county-level city (吴中区, 太仓市, 沛县), once each."""
    return sorted({name for code, name in _divisions().items() if not code.endswith("00") and name not in ("市辖区", "县")})


def prefecture_names() -> list[str]:
    """Official names of every province- and prefecture-level division."""
    return sorted(name for code, name in _divisions().items() if code.endswith("00") and name not in ("市辖区", "县"))
