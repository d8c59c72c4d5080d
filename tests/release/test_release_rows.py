"""release_rows: each distinct text cell checked once, with the same rows and the same first
error as a check row by row (issue 18, seventeenth round)."""

from decimal import Decimal

import polars as pl
import pytest

from orchestration.release import ReleaseError
from orchestration.release import rows as rows_module
from orchestration.release.rows import COLUMNS, release_rows

P = "2025H1"


def _rec(code="320102", name=" 鼓楼区 ", indicator="dibao_persons_end", breakdown="total",
         value="17393", unit="人", kind="count", period=P, num=None, den=None,
         level="district", domain="social_assistance", indicator_name="期末保障人数") -> dict:
    return {"period": period, "region_code": code, "region_name": name, "region_level": level,
            "indicator": indicator, "indicator_name": indicator_name, "domain": domain,
            "breakdown": breakdown, "value": value, "unit": unit, "value_kind": kind,
            "numerator": num, "denominator": den}


def _frame(recs: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(recs, schema={c: pl.String for c in COLUMNS})


def _error(recs) -> str:
    with pytest.raises(ReleaseError) as caught:
        release_rows(recs, P)
    return str(caught.value)


def test_texts_repeated_over_rows_are_published_as_each_row_gives_them():
    recs = [_rec(breakdown=b, value=v) for b, v in (("urban", "3"), ("rural", "2"),
                                                    ("total", "5"))]
    recs.append(_rec(code="320102001", name="东街道", level="township", value="4",
                     indicator="dibao_coverage_rate", indicator_name=" 低保率", unit="%",
                     kind="rate", num="4", den="100"))
    for given in (recs, _frame(recs)):
        rows = release_rows(given, P)
        assert [(r.region_code, r.region_name, r.breakdown, r.value) for r in rows] == [
            ("320102", "鼓楼区", "rural", Decimal(2)), ("320102", "鼓楼区", "total", Decimal(5)),
            ("320102", "鼓楼区", "urban", Decimal(3)),
            ("320102001", "东街道", "total", Decimal("4.00"))]
        assert rows[3].indicator_name == "低保率" and rows[3].numerator == Decimal(4)
        # one object per equal text, as before: a province's rows share their names
        assert rows[0].region_name is rows[2].region_name


def test_a_bad_number_in_an_earlier_row_is_named_before_a_bad_text_in_a_later_one():
    recs = [_rec(breakdown="urban", value="1.5"), _rec(breakdown="rural", unit=" ")]
    message = _error(recs)
    assert "row 1 " in message and "column value" in message and "not whole" in message
    assert _error(_frame(recs)) == message


def test_the_first_refused_text_of_a_row_is_named_in_the_rows_order_of_columns():
    # row 2 is refused twice (no unit, an unknown level): the unit is checked first
    recs = [_rec(breakdown="urban"), _rec(breakdown="rural", unit="", level="village"),
            _rec(breakdown="total", name="")]
    message = _error(recs)
    assert "row 2 " in message and "column unit" in message and "为空" in message
    assert _error(_frame(recs)) == message


def test_a_duplicate_is_named_at_its_second_row():
    recs = [_rec(), _rec(breakdown="urban"), _rec(value="7")]
    message = _error(_frame(recs))
    assert "row 3 " in message and "duplicate" in message


def test_text_cells_that_are_not_text_are_refused_by_row():
    # 1 and True are one key of a set: checked by distinct cell, one row would have got the
    # other's; and a name of {'a': 1} (a release no civstat wrote) was published as its repr
    recs = [_rec(indicator="a", breakdown="total", value="2"),
            _rec(indicator="b", breakdown=True, value="3")]
    assert "row 2 " in _error(recs) and "不是文本 not text: True" in _error(recs)
    assert "not text: {'a': 1}" in _error([_rec(name={"a": 1})])


def test_rows_taken_in_parts_are_numbered_and_checked_across_parts(monkeypatch):
    monkeypatch.setattr(rows_module, "PART_ROWS", 2)
    recs = [_rec(breakdown=b) for b in ("urban", "rural", "a", "b", "c")]
    for given in (recs, _frame(recs)):
        assert [r.breakdown for r in release_rows(given, P)] == ["a", "b", "c", "rural", "urban"]
    recs[4] = _rec(breakdown="a")  # a duplicate of row 3, in another part
    assert "row 5 " in _error(_frame(recs)) and "duplicate" in _error(recs)
    recs[4] = _rec(breakdown="d", unit="")  # a refused text in the last part
    assert "row 5 " in _error(_frame(recs)) and "column unit" in _error(recs)
    recs[2] = _rec(breakdown="a", value="1.5")  # a bad number in a full part, after the first
    assert "row 3 " in _error(_frame(recs)) and "row 3 " in _error(recs)


def test_a_record_without_a_column_comes_after_the_rows_before_it():
    recs = [_rec(value="1.5"), _rec(breakdown="urban")]
    del recs[1]["unit"]
    assert "row 1 " in _error(recs) and "not whole" in _error(recs)
    recs[0] = _rec()
    assert "row 2 " in _error(recs) and "missing: unit" in _error(recs)


def test_a_record_that_is_no_record_comes_after_the_rows_before_it():
    message = _error([_rec(value="1.5"), None])
    assert "row 1 " in message and "not whole" in message


def test_a_period_that_fails_otherwise_comes_after_the_rows_before_it():
    # parse_period raises ValueError (not a refusal) for year 0; the earlier row comes first
    for first in (_rec(value="1.5"), _rec(period="bad")):
        recs = [first, _rec(breakdown="urban", period="0000-01")]
        assert "row 1 " in _error(recs) and _error(_frame(recs)) == _error(recs)


def test_a_text_of_a_str_subclass_keeps_its_type():
    class Text(str):
        pass

    rows = release_rows([_rec(indicator="a"), _rec(indicator=Text("a"), breakdown="urban")], P)
    assert [(r.breakdown, type(r.indicator)) for r in rows] == [("total", str), ("urban", Text)]
