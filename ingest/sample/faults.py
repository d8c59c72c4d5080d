"""Planted faults (``faults="some"``). Every planted row is an EXTRA row that breaks exactly
one rule, so the real data - and the headline figures - stay as with ``faults="none"``.

Placement: row faults sit in H1 files of large sources, in files without a 合计 row; the
three file-level faults are extra files for December of ``year``.
"""

from __future__ import annotations

import random
from datetime import date

from ingest.sample.people import People, check_digit, is_valid_id
from ingest.sample.writers import Raw

# (source, township index, month index) of the file that carries a source's row faults
CARRIERS = {
    "dibao_households": (1, 2),
    "dibao_members": (2, None),
    "tekun_persons": (3, 3),
    "temp_assistance": (4, None),
    "lowincome_households": (5, None),
    "veteran_payments": (None, 4),
}
COPIES = {"dibao_households": (0, 12), "tekun_persons": (0, 12)}


def carrier(ctx, source: str, t: int | None, m: int | None = None) -> bool:
    return ctx.faulty and CARRIERS.get(source) == (t, m)


def copy_file(ctx, source: str, t: int, m: int) -> bool:
    return ctx.faulty and COPIES.get(source) == (t, m)


def _adult(ctx, ppl: People):
    return ppl.person(date(ctx.year - 70, 1, 1), date(ctx.year - 30, 12, 31))


def dibao_rows(ctx, t, ppl: People, d: date) -> list[dict]:
    city = [v for v in t.villages if v.area == "city"] or t.villages
    v = city[0]
    std = ctx.std[v.area if v.area != "rural" else "rural"]
    rows = []
    amounts = [(Raw("86.555"), "invalid_amount"), (Raw("-50.00"), "invalid_amount"),
               (std + 3000, "amount_over_standard")]
    for k, (amount, reason) in enumerate(amounts):
        name, idn, _ = _adult(ctx, ppl)
        rows.append({"month": d, "household_id": f"CS{t.index + 1:03d}9{k:04d}",
                     "region_code": v.code, "program": "urban", "head_name": name,
                     "head_id_number": idn, "family_size": 1, "covered_persons": 1,
                     "per_capita_income": 0, "monthly_amount": amount})
        ctx.plant("dibao_households", reason)
    name, idn, _ = _adult(ctx, ppl)
    rows.append({"month": d, "household_id": f"NC{t.index + 1:03d}90009",
                 "region_code": t.villages[-1].code, "program": "rural", "head_name": name,
                 "head_id_number": idn, "family_size": 2, "covered_persons": 2,
                 "per_capita_income": 0, "monthly_amount": 2 * ctx.std["rural"] + 4000})
    ctx.plant("dibao_households", "amount_over_standard")
    return rows


def member_rows(ctx, households, ppl: People) -> list[list]:
    h = households[0]
    rows = []
    name, idn, _ = _adult(ctx, ppl)
    bad = idn[:17] + str((int(check_digit(idn[:17]).replace("X", "10")) + 1) % 10)
    rows.append([h.hid, name, bad, "其他", False])
    while True:  # an ID typed into Excel as a number: 9.9e17, precision lost
        name, idn, _ = _adult(ctx, ppl)
        if idn[-1] != "X" and not is_valid_id(str(int(float(idn)))):
            break
    rows.append([h.hid, name, Raw(float(idn)), "其他", False])
    ctx.plant("dibao_members", "invalid_id_number", 2)
    for k in range(2):
        name, idn, _ = _adult(ctx, ppl)
        rows.append([f"{h.hid[:5]}8{k:04d}", name, idn, "户主", True])
    ctx.plant("dibao_members", "unknown_household", 2)
    return rows


def tekun_rows(ctx, t, ppl: People, d: date, roster, style) -> list[list]:
    rows = []
    for k in range(2):
        name, idn, _ = ppl.person(date(ctx.year - 90, 1, 1), date(ctx.year - 60, 12, 31))
        rows.append([d, name, idn, f"{t.code[:9]}99{8 + k}", "dispersed", 30000])
    ctx.plant("tekun_persons", "unknown_region", 2)
    for _ in range(2):
        _, idn, _ = ppl.person(date(ctx.year - 90, 1, 1), date(ctx.year - 60, 12, 31))
        rows.append([d, None, idn, t.villages[0].code, "dispersed", 30000])
    ctx.plant("tekun_persons", "missing_value", 2)
    name, idn, v, care, amt = roster[0]
    month = f"{d.year}年{d.month}月" if style.month != "zh" else f"{d.year}-{d.month:02d}"
    money = f"{amt / 100:,.2f}元" if style.money != "yuan" else f"{amt / 100:.2f}"
    care_txt = care if style.code == "zh" else {"dispersed": "分散供养"}.get(care, "集中供养")
    rows.append([Raw(month), name, idn, v.code, Raw(care_txt), Raw(money)])
    ctx.plant("tekun_persons", "duplicate_row")
    return rows


def temp_rows(ctx, t, ppl: People) -> list[list]:
    v = t.villages[0].code
    ok_date = date(ctx.year, 3, 12)
    bad = [(Raw("0"), ok_date, "其他", "invalid_count"),
           (Raw("2.5"), ok_date, "突发重病", "invalid_count"),
           (2, Raw(f"{ctx.year}-02-30"), "其他", "invalid_date"),
           (1, Raw("1999-12-31"), "火灾", "invalid_date"),
           (3, ok_date, Raw("水灾"), "invalid_code")]
    rows = []
    for k, (persons, paid_on, reason, code) in enumerate(bad):
        _, idn, _ = _adult(ctx, ppl)
        rows.append([f"LS{ctx.year}{t.index + 1:03d}9{k:03d}", idn, v, paid_on, reason,
                     persons, 150000])
        ctx.plant("temp_assistance", code)
    return rows


def lowincome_rows(ctx, t, ppl: People) -> list[list]:
    _, idn, _ = _adult(ctx, ppl)
    hid = f"DS{t.index + 1:03d}99001"
    v = t.villages[0]
    on = date(ctx.year, 2, 15)
    ctx.plant("lowincome_households", "conflicting_duplicate", 2)
    return [[hid, idn, v.code, 3, 30000, on], [hid, idn, v.code, 3, 32000, on]]


def veteran_row(ctx, t, ppl: People) -> list:
    name, idn, _ = ppl.person(date(1950, 1, 1), date(1975, 12, 31), True)
    ctx.plant("veterans", "invalid_code")
    return [name, idn, t.villages[0].code, Raw("伤残军人"), None, date(2010, 5, 1), None]


def payment_rows(ctx, ppl: People, d: date) -> list[list]:
    ctx.plant("veteran_payments", "unknown_person", 2)
    return [[d, _adult(ctx, ppl)[1], "living_allowance", 50000] for _ in range(2)]


def officer_row(ctx, t, ppl: People) -> list:
    name, idn, _ = _adult(ctx, ppl)
    ctx.plant("disaster_officers", "invalid_phone")
    return [name, idn, t.villages[0].code, Raw(ppl.phone()[:10]), True]


def unreadable(ctx, t) -> None:
    path = ctx.out / "dibao_households" / f"{ctx.year}年12月{t.name}低保名册（副本）.xlsx"
    rng = random.Random(f"{ctx.seed}:unreadable")
    path.write_bytes(b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(3000)))
    ctx.reject("dibao_households", path, "unreadable_file", 1)


# ---------------------------------------------------------------- issue 11: real file forms
# (source, township index, month index) -> the form its one file takes. The rows are the
# real rows (they load, and every figure stays as with faults="none"), except a hidden row
# and a stray-quote line, which are extra planted rows quarantined as hidden_row and
# malformed_row.
FORMS = {
    ("dibao_households", 6, 7): {"split": "program"},  # 城市低保 / 农村低保 on two sheets
    ("dibao_members", 6, None): {"merge": "household_id"},  # merged down over members
    ("tekun_persons", 2, 5): {"container": "xls"},  # legacy Excel 97-2003 (BIFF8)
    ("tekun_persons", 4, 2): {"container": "html"},  # an HTML table named .xls
    ("tekun_persons", 5, 6): {"container": "xlsx", "hidden": 1},  # one hidden row
}
ZERO_WIDTH = ("dibao_households", 0, 3)  # household ids pasted with a zero-width space
APOSTROPHE = ("temp_assistance", 1, None)  # IDs and codes exported as '…
STRAY_QUOTE = ("dibao_households", 1, 2)  # the row-fault carrier, as a CSV


def form(ctx, source: str, t: int | None, m: int | None = None) -> dict:
    """Sheet keyword arguments of a file of an issue-11 form ({} when it has none)."""
    f = FORMS.get((source, t, m)) if ctx.faulty else None
    if not f:
        return {"fmt": "csv"} if ctx.faulty and (source, t, m) == STRAY_QUOTE else {}
    f = {k: v for k, v in f.items() if k != "hidden"}
    return {"form": f, "fmt": "xlsx", "total": False}


def marked(ctx, kind: tuple, source: str, t: int | None, m: int | None = None) -> bool:
    return ctx.faulty and kind == (source, t, m)


def zero_width(value: str) -> Raw:
    return Raw(value[:2] + "\u200b" + value[2:])


def apostrophe(value: str) -> Raw:
    return Raw("'" + value)


def hidden_row(ctx, t, ppl: People, d: date, sheet) -> None:
    """An extra 已故 person whose row the clerk hid instead of deleting it."""
    if not (ctx.faulty and FORMS.get(("tekun_persons", t.index, _m(ctx, d)), {}).get("hidden")):
        return
    name, idn, _ = ppl.person(date(ctx.year - 90, 1, 1), date(ctx.year - 70, 12, 31))
    sheet.add([d, name, idn, t.villages[0].code, "dispersed", 30000], hidden=True)
    ctx.plant("tekun_persons", "hidden_row")


def stray_quote(ctx, t, ppl: People, d: date, sheet, cols: list[str]) -> None:
    """An extra line whose 户主姓名 opens a quote that never closes (a hand edit)."""
    name, idn, _ = _adult(ctx, ppl)
    row = {"month": d, "household_id": f"CS{t.index + 1:03d}98001", "region_code":
           t.villages[0].code, "program": "urban", "head_name": name, "head_id_number": idn,
           "family_size": 1, "covered_persons": 1, "per_capita_income": 0,
           "monthly_amount": 50000}
    cells = sheet.line_cells([row.get(c) for c in cols])
    at = cols.index("head_name") + sheet.style.seq_col
    cells[at] = '"' + cells[at]
    sheet.add_line(",".join(f'"{c}"' if "," in c else c for c in cells))
    ctx.plant("dibao_households", "malformed_row")


def _m(ctx, d: date) -> int:
    return 0 if d.year < ctx.year else d.month
