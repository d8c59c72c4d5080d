"""The roll-up's comparisons.csv (indicators.md §6, §9): the districts' own earlier values,
the city's counts and sums added up from them, its rates left empty. Worked by hand:

                      玄武区 A now / 2024H2 / 2024H1   秦淮区 B now / 2024H2 / 2024H1   city
dibao_persons_end     300 / 280 / 250                   50 / 50 / 40                    350 / 330 / 290
  urban               200 / 190 / —                     10 / — / —                      210 / — / —
dibao_funds urban     12.34 / 10.00 / —                 0.66 / 0.50 / —                 13.00 / 10.50 / —
dibao_coverage_rate   3.00 / 2.90 / —                   10.00 / 9.00 / —                3.33 / — / —

city 环比 (350 − 330) ÷ 330 = 6.0606 % → 6.06; 同比 60 ÷ 290 = 20.6897 % → 20.69;
低保金 2.50 ÷ 10.50 = 23.8095 % → 23.81.
"""

import csv
from decimal import Decimal

from orchestration.release.comparisons import change_pct
from orchestration.rollup import rollup
from tests.rollup.rollup_cases import CITY, TOWN, A, B, P, district_release, regions_file

EARLIER_A = {
    ("dibao_persons_end", "total"): ("280", "7.14", "250", "20.00"),
    ("dibao_persons_end", "urban"): ("190", "5.25", None, None),  # as A published it
    ("dibao_funds", "urban"): ("10.00", "23.40", None, None),
    ("dibao_coverage_rate", "total"): ("2.90", "3.45", None, None),
}
EARLIER_B = {
    ("dibao_persons_end", "total"): ("50", "0.00", "40", "25.00"),
    ("dibao_funds", "urban"): ("0.50", "32.00", None, None),
    ("dibao_coverage_rate", "total"): ("9.00", "11.11", None, None),
}


def _comparisons(folder):
    with open(folder / "comparisons.csv", encoding="utf-8-sig", newline="") as fh:
        return {(r["region_code"], r["indicator"], r["breakdown"]): r for r in csv.DictReader(fh)}


def _roll(tmp_path, earlier_b):
    a = district_release(tmp_path / "a", A, "run-a", earlier=EARLIER_A)
    b = district_release(tmp_path / "b", B, "run-b", earlier=earlier_b)
    out = rollup([a, b], regions_file(tmp_path / "regions.csv"), tmp_path / "city", P, "市局")
    assert out.refusals == [] and out.published is not None
    return tmp_path / "city" / "published" / P


def _earlier(row):
    return tuple(row[c] for c in ("previous_value", "change_pct", "last_year_value", "yoy_pct"))


def test_city_counts_and_sums_add_the_districts_earlier_values(tmp_path):
    folder = _roll(tmp_path, EARLIER_B)
    rows = _comparisons(folder)
    with open(folder / "indicators.csv", encoding="utf-8-sig", newline="") as fh:
        indicator_keys = [(r["region_code"], r["indicator"], r["breakdown"])
                          for r in csv.DictReader(fh)]
    assert list(rows) == indicator_keys  # one row per indicator row, same order
    assert {(r["previous_period"], r["last_year_period"]) for r in rows.values()} == {
        ("2024H2", "2024H1")}
    assert _earlier(rows[(CITY, "dibao_persons_end", "total")]) == ("330", "6.06", "290", "20.69")
    assert _earlier(rows[(CITY, "dibao_funds", "urban")]) == ("10.50", "23.81", "", "")
    # B has no earlier urban persons: the city's would understate, so it is left empty
    assert _earlier(rows[(CITY, "dibao_persons_end", "urban")]) == ("", "", "", "")
    # a rate is never added up, and comparisons carry no earlier numerators
    assert _earlier(rows[(CITY, "dibao_coverage_rate", "total")]) == ("", "", "", "")
    # each district keeps its own
    # a child's percentages are its own release's, not recomputed (10 ÷ 190 would be 5.26)
    assert _earlier(rows[(A, "dibao_persons_end", "urban")]) == ("190", "5.25", "", "")
    assert _earlier(rows[(B, "dibao_persons_end", "total")]) == ("50", "0.00", "40", "25.00")
    assert _earlier(rows[(A, "dibao_coverage_rate", "total")]) == ("2.90", "3.45", "", "")
    assert TOWN not in {code for code, _, _ in rows}
    summary = (folder / "summary.md").read_text(encoding="utf-8")
    assert "| 期末保障人数 | 350 人 | 290 人 | 同比增长20.69% |" in summary


def test_a_district_without_comparisons_leaves_the_city_without_earlier_values(tmp_path):
    folder = _roll(tmp_path, None)
    rows = _comparisons(folder)
    assert _earlier(rows[(CITY, "dibao_persons_end", "total")]) == ("", "", "", "")
    assert _earlier(rows[(A, "dibao_persons_end", "total")]) == ("280", "7.14", "250", "20.00")
    assert _earlier(rows[(B, "dibao_persons_end", "total")]) == ("", "", "", "")
    summary = (folder / "summary.md").read_text(encoding="utf-8")
    assert "本期没有上年同期的可比数据,不作同比。" in summary


def test_change_pct_rounds_half_away_from_zero_and_needs_an_earlier_value():
    assert change_pct(Decimal("202.25"), Decimal("200")) == Decimal("1.13")  # 1.125
    assert change_pct(Decimal("197.75"), Decimal("200")) == Decimal("-1.13")  # −1.125
    assert change_pct(Decimal("99"), Decimal("400")) == Decimal("-75.25")
    assert str(change_pct(Decimal("99999"), Decimal("100000"))) == "0.00"  # −0.001 %: not -0.00
    assert change_pct(Decimal("5"), Decimal("0")) is None
    assert change_pct(Decimal("5"), None) is None
