"""Numbers that are no facts, by the words around them: data only, compiled by `extraction/pipeline.py`.

A figure any of these patterns claims is left out of the facts (GOLD_SCHEMA: a number a warehouse
user would not query).
"""

from __future__ import annotations

# 这6000家企业, 聚焦8个贫困县, 依托12个产业: a count that only names a set already known.
SET_REFERENCE_BEFORE = r"(?:这|该|聚焦|依托|围绕)(?:我区|我省|我市|全区|全省|全市)?$"
# 一、就业促进行动(6项指标): a heading counting the items of its section.
SECTION_COUNT_BEFORE = r"[(（](?:共|含)?$"
SECTION_COUNT_AFTER = r"(?:重点)?(?:指标|任务|工作)?[)）]"
# 约合新台币3.2万元, 折合美元1.1亿元: an amount converted into another currency, not a figure stated.
CURRENCY_CONVERSION_BEFORE = r"(?:约合|折合|约折合|合)(?:新台币|台币|美元|港币|港元|欧元|日元|英镑|人民币)(?:约)?$"
# 求人倍率均高于1, 比值大于1: a bare number a ratio is compared with, a threshold.
THRESHOLD_BEFORE = r"(?:均|都|仍|始终|持续)?(?:高于|低于|大于|小于|超过|不足)$"
# 监测的50个城市, 调查的1200户企业: the size of a sample, not a figure about the area.
SAMPLE_BEFORE = r"(?:监测|调查|抽样|抽查|样本)(?:的|了)?$"
SAMPLE_UNITS = ("个", "户", "家", "名", "人")
SAMPLE_AFTER = r"(?:城市|地区|省份|县|企业|行业|样本|职业|工种)"
# 对我区8个贫困县实行…, 定向在6个试点县使用: places counted only to say where a measure applies.
PLACES_IN_SCOPE_BEFORE = r"(?:对|在|向|为|面向|定向在)(?:我区|我省|我市|我州|全区|全省|全市|全州)?$"
PLACES_IN_SCOPE_UNITS = ("个",)
PLACES_IN_SCOPE_AFTER = r"[^\s,，。;；:：、]{0,6}?(?:县|旗|乡镇)"
