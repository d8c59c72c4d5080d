"""ingest.idnumber (python-stdnum) against hand-worked cases, and the vectorised stage-1
check (ingest/values.py through ingest/fields.py) against it on generated and mutated IDs."""

import random
from datetime import date, timedelta

import polars as pl
from ingest_cases import make_id

from ingest import fields, idnumber
from ingest.contract import Column, Kind

TODAY = date(2026, 7, 10)


def test_check_char_and_upgrade_by_hand():
    # 1·7+1·9+0·10+1·5+0·8+5·4+1·2+9·1+4·6+9·3+1·7+2·9+3·10+1·5+0·8+0·4+2·2 = 167;
    # 167 mod 11 = 2; (12 - 2) mod 11 = 10 -> X
    assert idnumber.check_char("11010519491231002") == "X"
    # 110101900307447 -> 11010119900307447 (sum 214, 214 mod 11 = 5, 12 - 5 = 7)
    assert idnumber.normalise(" 110101900307447 ") == "110101199003074477"
    assert idnumber.normalise("11010519491231002x") == "11010519491231002X"


def test_is_valid_by_hand():
    assert idnumber.is_valid("11010519491231002X")
    assert idnumber.is_valid("11010519491231002x")
    assert not idnumber.is_valid("110105194912310021")  # check character
    assert not idnumber.is_valid("11010519490230002X")  # 30 February
    assert not idnumber.is_valid("11010519491231002X", today=date(1949, 12, 30))  # future
    assert idnumber.parse("110101900307447", TODAY) == "110101199003074477"
    assert idnumber.parse("1101019003074", TODAY) is None


def test_credit_code_by_hand():
    # GB 32100: weights 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28 (3^i mod 31) on the
    # alphabet 0-9 A-H J-N P-R T U W-Y (A = 10, M = 21). 91320100000000001:
    # 9 + 3 + 27 + 54 + 26 + 28 = 147, 147 mod 31 = 23, (31 - 23) mod 31 = 8 -> '8'
    assert idnumber.is_valid_credit_code("913201000000000018")
    assert not idnumber.is_valid_credit_code("913201000000000019")
    # 91320100MA0000001: 147 - 28 + 21·20 + 10·29 + 28 = 857, 857 mod 31 = 20, 31 - 20 = 11
    # -> 'B'
    assert idnumber.is_valid_credit_code("91320100MA0000001B")
    assert not idnumber.is_valid_credit_code("91320100MA0000001C")
    assert not idnumber.is_valid_credit_code("91320100MA000001B")  # 17 characters


def _vectorised(cells: list[str]) -> list[str | None]:
    col = Column("id_number", "身份证号", Kind.ID_NUMBER)
    checked = fields.check(col, pl.col("t"), pl.lit(False), TODAY)
    frame = pl.DataFrame({"t": cells}, schema={"t": pl.String})
    for level in checked.plan.levels:
        frame = frame.with_columns(**level)
    return frame.select(checked.value.alias("v"))["v"].to_list()


def _cases(n: int) -> list[str]:
    rng = random.Random(11643)
    out = []
    for _ in range(n):
        born = date(1900, 1, 1) + timedelta(days=rng.randrange(0, 135 * 366))  # to ~2035
        body = f"{rng.randrange(110000, 660000)}{born:%Y%m%d}{rng.randrange(1000):03d}"
        good = make_id(body)
        wrong = good[:17] + "0123456789X"[("0123456789X".index(good[17]) + 1) % 11]
        out += [good, wrong, good.lower()]
        if born.year < 2000:
            out.append(good[:6] + good[8:17])  # the 15-digit legacy form
        out.append(make_id(body[:10] + "0229" + body[14:]))  # 29 February, leap or not
        out.append(make_id(body[:10] + f"{rng.randrange(13, 20)}01" + body[14:]))  # month
        out.append(good[: rng.randrange(14, 18)])  # too short
    return out


def test_vectorised_check_agrees_with_stdnum():
    cells = _cases(120)
    assert len(cells) > 700
    got = _vectorised(cells)
    want = [idnumber.parse(c, TODAY) for c in cells]
    disagree = [(c, g, w) for c, g, w in zip(cells, got, want, strict=True) if g != w]
    assert not disagree, disagree[:5]
    # the mutations cover each kind of answer
    assert {w is None for w in want} == {True, False}
    assert any(len(c) == 15 and w for c, w in zip(cells, want, strict=True))
    assert any(c.endswith("x") and w for c, w in zip(cells, want, strict=True))
    assert any(c[10:14] == "0229" and w for c, w in zip(cells, want, strict=True))
    assert any(c[10:14] == "0229" and not w for c, w in zip(cells, want, strict=True))
    assert any(len(c) == 18 and c[6:14] > f"{TODAY:%Y%m%d}" and not w
               for c, w in zip(cells, want, strict=True))
