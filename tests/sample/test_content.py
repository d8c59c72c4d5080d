"""The generated data read back from the files: IDs, totals, amount rule, calibration, faults."""

from collections import Counter, defaultdict

import pytest
from sample_readback import check_char, month, num, upgrade, valid_id

from ingest.contract import FILE_REASONS

PROGRAM = {"城市低保": "urban", "城市": "urban", "urban": "urban",
           "农村低保": "rural", "农村": "rural", "rural": "rural"}
ID_COLS = {"dibao_households": "head_id_number", "dibao_members": "id_number",
           "tekun_persons": "id_number", "lowincome_households": "head_id_number",
           "temp_assistance": "applicant_id_number", "disaster_officers": "id_number",
           "veterans": "id_number", "veteran_payments": "id_number",
           "soldiers_received": "id_number"}


def test_check_digit_by_hand():
    # 1*7+1*9+0+1*5+0+5*4+1*2+9*1+4*6+9*3+1*7+2*9+3*10+1*5+0+0+2*2 = 167; 167 % 11 = 2;
    # (12 - 2) % 11 = 10 -> X
    assert check_char("11010519491231002") == "X"
    # 28+36+0+25+16+16+2+8+48+0+0+9+0+5+0+0+2 = 195; 195 % 11 = 8; (12 - 8) % 11 = 4
    assert check_char("44052418800101001") == "4"
    # legacy 440524800101001 -> 44052419800101001 + check: the sum above with 9*1 in place
    # of 8*1 is 196; 196 % 11 = 9; (12 - 9) % 11 = 3
    assert upgrade("440524800101001") == "440524198001010013"


def test_every_id_number_is_valid_without_faults(read_none):
    n = 0
    for source, col in ID_COLS.items():
        for t in read_none[source]:
            for r in t.rows:
                assert valid_id(upgrade(r[col])), (t.path, r[col])
                n += 1
    assert n > 150_000


def test_legacy_and_lower_case_ids_occur(read_none):
    ids = [str(r["id_number"]) for t in read_none["veterans"] for r in t.rows]
    assert any(len(i) == 15 for i in ids)
    heads = [str(r["head_id_number"]) for t in read_none["dibao_households"] for r in t.rows]
    assert any(i.endswith("x") for i in heads)


def _regions(read):
    (t,) = read["regions"]
    return {str(r["region_code"]): r for r in t.rows}


def test_roster_totals_equal_the_sum_of_rows(read_none):
    checked = 0
    for source in ("dibao_households", "tekun_persons", "veteran_payments", "temp_assistance",
                   "lowincome_households", "disaster_relief"):
        for t in read_none[source]:
            if t.total is None:
                continue
            for col, v in t.total.items():
                if v in (None, "") or str(v).startswith("合计"):
                    continue
                assert abs(sum(num(r[col]) for r in t.rows) - num(v)) <= 0.01, (t.path, col)
                checked += 1
    assert checked > 100


def _standards(read):
    (t,) = read["dibao_standards"]
    tier = {"城市": "city", "城镇": "town", "农村": "rural"}
    latest = {}
    for r in t.rows:
        key = tier.get(r["tier"], r["tier"])
        latest[key] = max(latest.get(key, (0, 0, 0)), (*month(r["effective_month"]),
                                                     num(r["monthly_standard"])))
    return {k: v[2] for k, v in latest.items()}


def test_amount_never_above_covered_times_standard(read_none):
    std = _standards(read_none)
    assert std == {"city": 230, "town": 200, "rural": 130}
    regions = _regions(read_none)
    n = above = 0
    for t in read_none["dibao_households"]:
        for r in t.rows:
            urc = str(regions[str(r["region_code"])]["urban_rural_code"])
            program = PROGRAM[r["program"]]
            tier = ("city" if urc.startswith("11") else "town" if urc.startswith("12")
                    else "rural") if program == "urban" else "rural"
            assert num(r["monthly_amount"]) <= num(r["covered_persons"]) * std[tier] + 1e-9
            above += num(r["per_capita_income"]) > std[tier]
            n += 1
    assert 0 < above < n * 0.005  # a few suspected 错保


def _dibao_by_month(read):
    out = defaultdict(dict)  # (y, m) -> household_id -> (program, covered)
    for t in read["dibao_households"]:
        for r in t.rows:
            out[month(r["month"])][r["household_id"]] = (PROGRAM[r["program"]],
                                                         int(num(r["covered_persons"])))
    return out


@pytest.mark.parametrize("which", ["read_none", "read_some"])
def test_calibration(which, request):
    read = request.getfixturevalue(which)
    regions = _regions(read)
    pop = Counter()
    for r in regions.values():
        if r["urban_rural_code"] not in (None, ""):
            pop["urban" if str(r["urban_rural_code"])[0] == "1" else "rural"] += num(
                r["resident_population"])
    assert 190_000 <= pop["urban"] <= 200_000 and 116_000 <= pop["rural"] <= 126_000
    months = _dibao_by_month(read)
    june = Counter()
    for program, covered in months[(2025, 6)].values():
        june[program] += covered
    assert 6.3 <= 100 * june["urban"] / pop["urban"] <= 7.3
    assert 3.0 <= 100 * june["rural"] / pop["rural"] <= 3.8
    hh, persons, new, gone = Counter(), Counter(), Counter(), Counter()
    for m in range(1, 7):
        cur, prev = months[(2025, m)], months[(2025, m - 1) if m > 1 else (2024, 12)]
        for hid, (program, covered) in cur.items():
            hh[program] += 1
            persons[program] += covered
            new[program] += hid not in prev
        for hid, (program, _) in prev.items():
            gone[program] += hid not in cur
    # the real summary: urban 43 072 户次 / 79 612 人次, rural 10 536 / 24 744;
    # 新增 81 / 取消 320 urban, 新增 237 / 取消 23 rural
    assert abs(hh["urban"] / 43_072 - 1) < 0.03 and abs(hh["rural"] / 10_536 - 1) < 0.03
    assert abs(persons["urban"] / 79_612 - 1) < 0.03
    assert abs(persons["rural"] / 24_744 - 1) < 0.03
    flows = (new["urban"], gone["urban"], new["rural"], gone["rural"])
    if which == "read_none":
        assert flows == (81, 320, 237, 23)
    else:  # planted extra rows of February add a few one-month households
        assert all(0 <= a - b <= 4 for a, b in zip(flows, (81, 320, 237, 23), strict=True))


def test_truth_matches_files(inbox_none, read_none):
    _, planted = inbox_none
    months = _dibao_by_month(read_none)
    june = Counter(p for p, _ in months[(2025, 6)].values())
    d = planted["truth"]["dibao"]
    assert d["urban"]["households_end_june"] == june["urban"]
    assert d["rural"]["households_end_june"] == june["rural"]


def test_planted_cross_source_faults_are_really_unknown(inbox_some, read_some):
    _, planted = inbox_some
    q = planted["quarantine"]
    households = {r["household_id"] for t in read_some["dibao_households"] for r in t.rows}
    members = [r for t in read_some["dibao_members"] for r in t.rows]
    assert sum(r["household_id"] not in households for r in members) == q["dibao_members"][
        "unknown_household"]
    floats = [r for r in members if isinstance(r["id_number"], float)]
    assert len(floats) == 1 and not valid_id(str(int(floats[0]["id_number"])))
    assert sum(not valid_id(upgrade(r["id_number"])) for r in members) == 2
    vets = {upgrade(r["id_number"]) for t in read_some["veterans"] for r in t.rows}
    pays = [r for t in read_some["veteran_payments"] for r in t.rows]
    assert sum(upgrade(r["id_number"]) not in vets for r in pays) == 2
    regions = _regions(read_some)
    tekun = [r for t in read_some["tekun_persons"] for r in t.rows]
    assert sum(str(r["region_code"]) not in regions for r in tekun) == 2
    events = {(r["event_id"], str(r["region_code"])) for t in read_some["disaster_reports"]
              for r in t.rows}
    relief = [r for t in read_some["disaster_relief"] for r in t.rows]
    assert sum((r["event_id"], str(r["region_code"])) not in events for r in relief) == 1
    keys = Counter(r["household_id"] for t in read_some["lowincome_households"] for r in t.rows)
    assert sum(n for n in keys.values() if n > 1) == 2


def test_planted_row_faults_stay_under_one_percent_in_h1(inbox_some, read_some):
    _, planted = inbox_some
    for source, reasons in planted["quarantine"].items():
        bad = sum(n for r, n in reasons.items() if r not in FILE_REASONS)
        rows = [r for t in read_some[source] for r in t.rows]
        if "month" in (rows[0] if rows else {}):
            rows = [r for r in rows if _h1(r["month"])]
        assert bad <= 0.01 * len(rows), source


def _h1(v):
    try:
        y, m = month(v)
    except ValueError:
        return False
    return y == 2025 and m <= 6


def test_every_township_reports_every_month(read_some):
    for source in ("dibao_households", "tekun_persons"):
        seen = defaultdict(set)
        for t in read_some[source]:
            for r in t.rows:
                try:
                    seen[str(r["region_code"])[:9]].add(month(r["month"]))
                except ValueError:  # a planted bad month spelling would be one row, not a file
                    continue
        assert len(seen) == 10
        for township, months in seen.items():
            assert len(months) >= 13, (source, township)


def test_a_few_dual_benefits(inbox_none, read_none):
    covered = {upgrade(r["id_number"]) for t in read_none["dibao_members"] for r in t.rows
               if r["covered"] == "是"}
    tekun = {upgrade(r["id_number"]) for t in read_none["tekun_persons"] for r in t.rows
             if month(r["month"])[0] == 2025 and month(r["month"])[1] <= 6}
    assert len(covered & tekun) == inbox_none[1]["truth"]["other"]["dual_benefit_persons_h1"]
    assert 1 <= len(covered & tekun) <= 10
