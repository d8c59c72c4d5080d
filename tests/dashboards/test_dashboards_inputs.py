"""The view's manifest is typed; free text is escaped and scrubbed; 时间过半 has one reading."""

from __future__ import annotations

from decimal import Decimal

import pytest
from dash_release import manifest, view
from pydantic import ValidationError

import dashboards
from dashboards.view import (
    Manifest,
    elapsed_pct,
    on_schedule,
    period_kind_zh,
    period_words,
    period_zh,
    progress_words,
)


@pytest.mark.parametrize(
    ("edit", "key"),
    [
        (lambda m: m.pop("run_id"), "run_id"),
        (lambda m: m.update(run_id="../x"), "run_id"),
        (lambda m: m.update(checks={}), "checks"),
        (lambda m: m.update(period="2025Q5"), "period"),
        (lambda m: m.update(created_at="yesterday"), "created_at"),
        (lambda m: m["checks"][0].update(severity="fatal"), "checks.0.severity"),
        (lambda m: m["inputs"][1].update(rows_read="40行"), "inputs.1.rows_read"),
        (lambda m: m["completeness"]["tekun_persons"]["990102001000"].update({"2025-02": None}),
         "completeness.tekun_persons.990102001000.2025-02"),
    ],
)
def test_a_bad_manifest_names_the_key(edit, key: str):
    m = manifest()
    edit(m)
    with pytest.raises(ValidationError) as e:
        Manifest.model_validate(m)
    assert key in {".".join(str(x) for x in err["loc"]) for err in e.value.errors()}


def test_a_manifest_keeps_keys_it_does_not_name():
    m = Manifest.model_validate(manifest() | {"published_at": "2025-07-06T08:00:00+08:00"})
    assert m.model_dump(mode="json")["published_at"] == "2025-07-06T08:00:00+08:00"
    assert m.period == "2025H1" and m.checks[1].outcome == "警告"


def test_personal_data_in_free_text_is_masked():
    m = manifest()
    m["waivers"][0]["reason"] = "户主 11010519491231002X 电话 13812345678 已核实"
    m["checks"][1]["detail"] = "账号 6222020200112233445 重复"
    m["inputs"][0]["sha256"] = "1" * 60 + "abcd"
    release = view()
    release.manifest = Manifest.model_validate(m)
    page = dashboards.render(release)["dashboards/quality.html"]
    for secret in ("11010519491231002X", "13812345678", "6222020200112233445"):
        assert secret not in page
    assert "户主 ［已隐去］ 电话 ［已隐去］ 已核实" in page
    assert "账号 ［已隐去］ 重复" in page
    assert "1" * 60 + "abcd" in page  # a file hash is not mistaken for an account number


def test_text_from_the_release_is_escaped():
    m = manifest()
    m["checks"][1]["detail"] = '<script>alert("x")</script> & <b>'
    m["inputs"][0]["path"] = 'dibao/"a"<b>.xlsx'
    release = view()
    release.manifest = Manifest.model_validate(m)
    page = dashboards.render(release)["dashboards/quality.html"]
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;" in page
    assert "dibao/&#34;a&#34;&lt;b&gt;.xlsx" in page
    assert '<script>alert("x")' not in page


def test_time_progress_readings():
    """The period's share of the year (its months ÷ 12), since the completion rate is the
    value over the period ÷ the annual target (indicators.md §5): March alone is 1/12 of
    the year, H2 half of it. By the share of the year passed at the last month, an H2
    release measured half a year's value against a 100 % line."""
    assert [elapsed_pct(p) for p in ("2025H1", "2025S2", "2025", "2025Q3",
                                      "2025-01/2025-09", "2025-06")] == [50, 50, 100, 25, 75,
                                                                          Decimal(100) / 12]
    assert progress_words("2025H1") == "时间过半、任务过半"
    assert progress_words("2025-01/2025-09") == "时间进度 75%"  # the year to date
    assert progress_words("2025-06") == "本期占全年时间 8%"  # a month is not a half-year summary
    assert progress_words("2025H2") == "本期占全年时间 50%"
    assert on_schedule(Decimal("50.00"), "2025H1") and not on_schedule(49.99, "2025H1")
    assert on_schedule(Decimal("50.00"), "2025H2") and not on_schedule(Decimal("8.33"), "2025-03")
    assert on_schedule(Decimal("8.34"), "2025-03")


def test_period_words():
    assert [period_zh(p) for p in ("2025H1", "2025S2", "2025", "2025-03", "2025Q3",
                                   "2025-01/2025-09")] == [
        "2025年上半年", "2025年下半年", "2025年", "2025年3月", "2025年第三季度", "2025年1-9月份"]
    # the summary's own wording keeps 1-6月份 for H1 and takes the label for the new kinds
    assert [period_words(p) for p in ("2025H1", "2025H2", "2025Q1", "2025-01/2025-09")] == [
        "2025年1-6月份", "2025年7-12月份", "2025年第一季度", "2025年1-9月份"]
    with pytest.raises(ValueError):
        period_zh("2025Q5")
    assert [period_kind_zh(p) for p in ("2025H1", "2025", "2025-03")] == ["半年", "年", "月"]
