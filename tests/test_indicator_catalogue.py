"""The indicator catalogue and its mapper: a hand-checked table of phrases from both development
sets (`data/indicator_mapping.csv`, an empty expected_code: must stay uncatalogued), constructed
phrases for each way a phrase can name an indicator or fail to, and the catalogue's own consistency."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from helpers import MEASURED

from orchestration.extraction import load_reference
from orchestration.extraction.indicators import unit_family
from orchestration.extraction.reference import DEFAULT_REFERENCE_DIR

CHECKED_TABLE = Path(__file__).parent / "data" / "indicator_mapping.csv"
PRECISION_FLOOR = 0.97
COVERAGE_FLOOR = 0.80
# What the last run measured, for the terminal summary (conftest.py).


@pytest.fixture(scope="module")
def catalogue():
    return load_reference().indicators


def test_checked_table_precision_and_coverage(catalogue):
    with CHECKED_TABLE.open(encoding="utf-8") as f:
        pairs = list(csv.DictReader(f))
    assert len(pairs) >= 300
    mapped = [(p, catalogue.match(p["phrase"], p["unit"], p["measure"]).code) for p in pairs]
    given = [(p, code) for p, code in mapped if code]
    right = [(p, code) for p, code in given if code == p["expected_code"]]
    expected = [p for p in pairs if p["expected_code"]]
    precision = len(right) / len(given)
    coverage = len(right) / len(expected)
    MEASURED["indicator mapping"] = (f"precision {precision:.3f} ({len(right)}/{len(given)}), coverage "
                                     f"{coverage:.3f} ({len(right)}/{len(expected)}) on {len(pairs)} checked phrases")
    wrong = [(p["phrase"], p["unit"], code, p["expected_code"]) for p, code in given if code != p["expected_code"]]
    assert precision >= PRECISION_FLOOR, wrong
    assert coverage >= COVERAGE_FLOOR


@pytest.mark.parametrize("phrase, unit, measure, code, rule", [
    # scope words and the measure's own words are no part of the name
    ("全省年末参加失业保险人数", "人", "value", "unemployment_insured", "catalogue_name"),
    ("城镇新增就业增幅", "%", "change", "urban_new_jobs", "catalogue_name"),
    ("城镇登记失业人数(全市)", "人", "value", "registered_unemployed", "catalogue_name"),
    ("第三产业就业人员占全部就业人员比重", "%", "share", "tertiary_industry_employed", "catalogue_name"),
    # a name ending in a word of change is read whole first
    ("人口自然增长率", "‰", "value", "natural_growth_rate", "catalogue_name"),
    # the words of a catalogue name in another order, or a note that includes rather than narrows
    # scheme × measure × population, in any word order the vocabulary knows
    ("企业职工基本养老保险基金支出", "元", "value", "employee_pension_fund_spending", "composed_terms"),
    ("失业保险基金累计结余", "元", "value", "unemployment_fund_balance", "composed_terms"),
    ("享受失业保险待遇人数", "人", "value", "unemployment_beneficiaries", "catalogue_name"),
    ("参加失业保险的农民工人数", "人", "value", "unemployment_insured_migrant_workers", "composed_terms"),
    ("农民工参加失业保险人数", "人", "value", "unemployment_insured_migrant_workers", "composed_terms"),
    ("基本医疗保险(含城乡居民医保)参保人数", "人", "value", "medical_insured", "catalogue_name"),
    # a scheme alone counted in persons: its insured; a population of the insured says who
    ("被征地农民养老保险", "人", "value", "land_lost_farmer_pension_insured", "scheme_in_persons"),
    ("期末参加机关事业单位基本养老保险职工人数", "人", "value", "public_institution_pension_insured_employees",
     "composed_terms"),
    ("领取企业职工基本养老保险离退休人员人数", "人", "value", "employee_pension_insured_retirees", "composed_terms"),
    ("征缴失业保险基金", "元", "value", "unemployment_contribution_income", "composed_terms"),
    # a name at the end, after words that narrow nothing
    ("向企业发放稳岗返还资金", "元", "value", "jobs_stabilisation_refunds", "name_at_end"),
    # qualifiers the indicator lacks: a part, not the indicator
    ("国有企业劳动合同签订率", "%", "value", None, "qualified_name"),
    ("线上招聘会发布岗位", "个", "value", None, "qualified_name"),
    ("新建博士后科研工作站", "家", "value", None, "qualified_name"),
    ("城乡居民养老保险参保人数(城镇)", "人", "value", None, "qualified_name"),
    ("城镇登记失业人数(市区)", "人", "value", None, "qualified_name"),  # a part of the report's area
    ("工伤保险基金征缴收入(补缴历年欠费)", "元", "value", None, "qualified_name"),
    ("工伤保险基金征缴收入(工伤保险费征缴收入)", "元", "value", None, "qualified_name"),  # a note naming a part
    # words besides the terms that change what is counted
    ("工伤保险惠及参保企业", "户", "value", None, "not_catalogued"),
    # a head noun closing other indicators' names is only itself
    ("外资企业就业人员", "人", "value", None, "not_catalogued"),
    # the unit decides
    ("被征地农民养老保险", "元", "value", None, "not_catalogued"),
    ("城镇登记失业率", "人", "value", None, "unit_mismatch"),
    ("发放创业担保贷款", "笔", "value", None, "unit_mismatch"),
])
def test_phrase_maps_by_its_rule(catalogue, phrase, unit, measure, code, rule):
    found = catalogue.match(phrase, unit, measure)
    assert (found.code, found.rule) == (code, rule)


def test_an_uncatalogued_phrase_keeps_its_candidates(catalogue):
    assert catalogue.match("国有企业劳动合同签订率", "%").candidates == ("labour_contract_rate",)
    assert "resident_pension_insured" in catalogue.match("城乡居民养老保险参保人数(城镇)", "人").candidates


def test_catalogue_is_consistent(catalogue):
    with (DEFAULT_REFERENCE_DIR / "indicators.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    codes = [r["indicator_code"] for r in rows]
    assert len(codes) == len(set(codes))
    vocabulary = {term for term, _ in catalogue.synonyms.values()}
    for row in rows:
        assert not row["parent_code"] or row["parent_code"] in codes, row
        assert set(filter(None, row["terms"].split("|"))) <= vocabulary, row
    # A name names one indicator per unit family; a term set composes one indicator.
    for name, entries in catalogue.by_name.items():
        families = [{unit_family(u) for u in e.unit.split("|")} for e in entries]
        assert sum(map(len, families)) == len(set().union(*families)), name
    assert all(len(entries) == 1 for entries in catalogue.by_terms.values())


def test_the_marts_accept_every_rule_the_mapper_can_return():
    import yaml

    from orchestration.extraction.lexicon.indicators import INDICATOR_RULES
    from orchestration.paths import PROJECT_ROOT

    spec = yaml.safe_load((PROJECT_ROOT / "dbt_project" / "models" / "marts" / "fact_indicator.yml").read_text("utf-8"))
    (column,) = [c for c in spec["models"][0]["columns"] if c["name"] == "indicator_match"]
    (accepted,) = [t["accepted_values"]["arguments"]["values"] for t in column["data_tests"]]
    assert sorted(accepted) == sorted(rule.name for rule in INDICATOR_RULES)
