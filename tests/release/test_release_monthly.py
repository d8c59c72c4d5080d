"""monthly.csv goes through the same row validation and CSV escaping as indicators.csv, and a
published release reads back into the same view the pages were rendered from."""

import json

import polars as pl
import pytest
from release_sample import DISTRICT, EAST, SAMPLE, make_frame, make_manifest

import dashboards
from dashboards.index import Entry
from dashboards.view import Manifest
from orchestration.release import ReleaseError, read_view, write_index, write_release
from orchestration.release.rows import release_rows
from orchestration.release.tables import monthly_csv_chunks

JAN = [
    (EAST, "dibao_households_end", "期末保障户数", "total", 120, "户", "count"),
    (DISTRICT, "dibao_coverage_rate", "低保率", "total", "2.35", "%", "rate", "1234",
     "52622.5"),
]
FEB = [(DISTRICT, "dibao_funds", "=累计支出低保金", "total", "89.1", "万元", "sum")]


def _monthly(*parts):
    return pl.concat([make_frame(rows, period=p) for p, rows in parts])


def _publish(root, monthly, **kw):
    return write_release(root, "2025H1", make_frame(SAMPLE), make_manifest(), monthly,
                         pages=kw.pop("pages", False), **kw)


MONTHLY_CSV = (
    "\ufeffperiod,region_code,region_name,region_level,indicator,indicator_name,domain,"
    "breakdown,value,unit,value_kind,numerator,denominator\n"
    "2025-01,320102,鼓楼区,district,dibao_coverage_rate,低保率,social_assistance,total,"
    "2.35,%,rate,1234.0,52622.5\n"
    "2025-01,320102001,东街道,township,dibao_households_end,期末保障户数,"
    "social_assistance,total,120.00,户,count,,\n"
    "2025-02,320102,鼓楼区,district,dibao_funds,'=累计支出低保金,social_assistance,total,"
    "89.10,万元,sum,,\n"
).encode()


def test_monthly_csv_bytes_exactly(tmp_path):
    folder = _publish(tmp_path, _monthly(("2025-02", FEB), ("2025-01", JAN)))
    assert (folder / "monthly.csv").read_bytes() == MONTHLY_CSV


@pytest.mark.parametrize("block", [1, 2, 3])
def test_monthly_csv_in_pieces_is_the_same_file(block):
    """The pieces (one BOM, one header) joined are the file, wherever the cuts fall."""
    rows = release_rows(_monthly(("2025-02", FEB), ("2025-01", JAN)), "2025H1", monthly=True)
    pieces = list(monthly_csv_chunks(rows, block=block))
    assert len(pieces) == -(-3 // block)
    assert b"".join(pieces) == MONTHLY_CSV


def test_a_monthly_row_outside_the_period_is_refused(tmp_path):
    with pytest.raises(ReleaseError, match=r"row 1 .*column period: '2025-07' .*not a month"):
        _publish(tmp_path, _monthly(("2025-07", FEB)))
    assert not (tmp_path / "2025H1").exists()


def test_a_monthly_count_that_is_not_whole_is_refused(tmp_path):
    half = [(EAST, "dibao_households_end", "期末保障户数", "total", "1.5", "户", "count")]
    with pytest.raises(ReleaseError, match="count 1.50 is not whole"):
        _publish(tmp_path, _monthly(("2025-03", half)))


def test_a_release_reads_back_into_the_same_view(tmp_path):
    folder = _publish(tmp_path, _monthly(("2025-01", JAN), ("2025-02", FEB)), pages=True)
    view = read_view(folder)
    assert view.manifest.run_id == "run-a" and view.period == "2025H1"
    assert view.row("dibao_persons_end").text == "17393"
    assert view.row("dibao_persons_end").region_level == "district"
    assert view.row("dibao_coverage_rate", region=EAST).text == "2.50"  # 9000 / 360000
    assert view.row("dibao_coverage_rate", "urban").numerator == 13269
    assert view.monthly_months == ["2025-01", "2025-02"]
    assert view.series("dibao_funds") == [None, 89.1]
    assert view.townships == {EAST: "东街道", "320102002": "西乡"}
    for rel, text in dashboards.render(view).items():
        assert (folder / rel).read_text(encoding="utf-8") == text


def test_the_index_lists_each_release_with_its_gate(tmp_path):
    write_release(tmp_path, "2025H1", make_frame(SAMPLE), make_manifest(run_id="run-a"),
                  pages=False)
    write_release(tmp_path, "2025H1", make_frame(SAMPLE),
                  make_manifest(run_id="run-b", created_at="2025-07-04T10:15:00+08:00"),
                  pages=False)
    page = write_index(tmp_path).read_text(encoding="utf-8")
    assert page.count("<tr>") == 3  # header, current, history
    assert page.index("run-b") < page.index("run-a")
    assert "现行" in page and "已被替换" in page
    # one waived error, one failed warning, and form_lines_missing (forms name absent rows)
    assert "经豁免通过（2 项警告）" in page
    assert 'href="2025H1/indicators.csv"' in page
    assert 'href="2025H1/history/20250703T101500_run-a/indicators.csv"' in page


def test_the_index_reads_a_releases_indicators_once(tmp_path, monkeypatch):
    """A release never changes: its top region (from indicators.json, 140 MB at province)
    is read once and remembered in the published root, then read again only if the file's
    size or time differs. The writer remembers the region of the release it writes, and a
    release under a newer one's history/ is the same file (a hard link), so the index reads
    no release back after a publish."""
    from orchestration.release import listing

    write_release(tmp_path, "2025H1", make_frame(SAMPLE), make_manifest(run_id="run-a"),
                  pages=False)
    write_release(tmp_path, "2025H1", make_frame(SAMPLE),
                  make_manifest(run_id="run-b", created_at="2025-07-04T10:15:00+08:00"),
                  pages=False)
    read = []
    real = listing._region
    monkeypatch.setattr(listing, "_region", lambda folder: read.append(folder) or real(folder))
    cache = tmp_path / listing.REGIONS_CACHE
    written = json.loads(cache.read_text())
    assert sorted(v[2] for v in written.values()) == ["鼓楼区（区级）"] * 2
    first = write_index(tmp_path).read_text(encoding="utf-8")
    assert read == [] and "鼓楼区（区级）" in first  # both known from their writer
    cache.unlink()  # e.g. releases written before the cache existed
    assert write_index(tmp_path).read_text(encoding="utf-8") == first
    assert len(read) == 2 and json.loads(cache.read_text()) == written  # the same regions
    assert write_index(tmp_path).read_text(encoding="utf-8") == first
    assert len(read) == 2  # both remembered
    assert all("/" not in k for k in json.loads(cache.read_text()))  # no server path
    stale = {k: [v[0] + 1, *v[1:]] for k, v in json.loads(cache.read_text()).items()}
    cache.write_text(json.dumps(stale))  # as if a file had changed size
    assert write_index(tmp_path).read_text(encoding="utf-8") == first
    assert len(read) == 4
    cache.write_text("not json")  # a damaged cache is read again, not trusted
    assert write_index(tmp_path).read_text(encoding="utf-8") == first
    assert len(read) == 6


def test_a_region_that_could_not_be_read_is_read_again(tmp_path, monkeypatch):
    from orchestration.release import listing

    write_release(tmp_path, "2025H1", make_frame(SAMPLE), make_manifest(run_id="run-a"),
                  pages=False)
    (tmp_path / listing.REGIONS_CACHE).unlink()  # the writer's entry gone: the index reads
    monkeypatch.setattr(listing, "_region", lambda folder: "")  # e.g. an I/O error once
    write_index(tmp_path)
    assert json.loads((tmp_path / listing.REGIONS_CACHE).read_text()) == {}
    monkeypatch.undo()
    assert "鼓楼区（区级）" in write_index(tmp_path).read_text(encoding="utf-8")


def test_the_region_label_is_the_first_city_else_the_first_district():
    from orchestration.release.listing import region_label

    assert region_label([("township", "东街道"), ("district", "鼓楼区"), ("city", "南京市"),
                         ("city", "另一市")]) == "南京市（市级）"
    assert region_label([("village", "一村"), ("district", "鼓楼区"),
                         ("district", "玄武区")]) == "鼓楼区（区级）"
    assert region_label([("township", "东街道")]) == "" and region_label([]) == ""


def test_the_top_region_alone_reads_back_as_its_rows_of_the_whole_read(tmp_path):
    folder = _publish(tmp_path, _monthly(("2025-01", JAN)))
    whole, top = read_view(folder), read_view(folder, top_only=True)
    assert top.district == DISTRICT
    assert {r.region_level for r in top.rows} == {"district"}
    assert top.rows == [r for r in whole.rows if r.region_code == DISTRICT]
    assert top.row("dibao_coverage_rate", "urban").numerator == 13269
    assert top.row("dibao_coverage_rate", region=EAST) is None  # townships not read
    assert top.monthly is None and top.townships == {}


def _tampered(tmp_path, change):
    folder = _publish(tmp_path, None)
    doc = json.loads((folder / "indicators.json").read_text(encoding="utf-8"))
    change(doc["rows"])
    (folder / "indicators.json").write_text(json.dumps(doc), encoding="utf-8")
    return folder


def _message(folder, **kw):
    with pytest.raises(ReleaseError) as caught:
        read_view(folder, **kw)
    return str(caught.value)


def test_a_bad_top_row_is_named_by_its_place_in_the_file(tmp_path):
    def township_first_and_a_bad_district_row(rows):
        town = next(i for i, r in enumerate(rows) if r["region_level"] == "township")
        rows.insert(0, rows.pop(town))
        district = next(i for i, r in enumerate(rows) if r["region_level"] == "district")
        rows[district]["value"] = "many"

    folder = _tampered(tmp_path, township_first_and_a_bad_district_row)
    whole = _message(folder, monthly=False)
    assert "row 2 " in whole  # the first district row is the file's second
    assert _message(folder, top_only=True) == whole


def test_a_level_that_is_not_text_is_refused_not_a_crash(tmp_path):
    def listed_level(rows):
        rows[0]["region_level"] = ["district"]

    folder = _tampered(tmp_path, listed_level)
    assert _message(folder, top_only=True) == _message(folder, monthly=False)


def _validations(monkeypatch) -> list[bool]:
    """The `monthly` flag of every release_rows call the writer makes, in order."""
    from orchestration.release import writer

    calls, real = [], writer.release_rows
    monkeypatch.setattr(writer, "release_rows", lambda *a, monthly=False, **k: (
        calls.append(monthly), real(*a, monthly=monthly, **k))[1])
    return calls


def test_a_months_monthly_rows_are_its_rows_validated_once(tmp_path, monkeypatch):
    """For a one-month period the monthly frame is the indicator frame (inputs.indicator_frames
    gives it twice): its rows are not validated a second time, and monthly.csv is the same
    file either way. A monthly frame that differs is still validated on its own."""
    calls = _validations(monkeypatch)
    june = make_frame(JAN, period="2025-06")
    folder = write_release(tmp_path / "a", "2025-06", june, make_manifest("2025-06"), june,
                           pages=False)
    assert calls == [False]
    again = write_release(tmp_path / "b", "2025-06", june, make_manifest("2025-06"),
                          june.clone(), pages=False)  # an equal frame, not the same object
    assert calls == [False, False]
    expected = MONTHLY_CSV.split(b"\n")[:3]  # header and January's two lines, as June
    expected = b"\n".join(line.replace(b"2025-01,", b"2025-06,") for line in expected) + b"\n"
    assert (folder / "monthly.csv").read_bytes() == expected
    assert (again / "monthly.csv").read_bytes() == expected

    calls.clear()
    other = june.with_columns(pl.when(pl.col("indicator") == "dibao_households_end")
                              .then(pl.col("value") + 1).otherwise(pl.col("value"))
                              .alias("value"))
    folder = write_release(tmp_path / "c", "2025-06", june, make_manifest("2025-06"), other,
                           pages=False)
    assert calls == [False, True]
    assert b",121.00," in (folder / "monthly.csv").read_bytes()
    assert b",total,120," in (folder / "indicators.csv").read_bytes()

    calls.clear()
    _publish(tmp_path / "d", _monthly(("2025-01", JAN)))  # a half year: never the same rows
    assert calls == [False, True]


def test_the_index_lists_the_newest_period_first_whatever_its_kind():
    # by the period's last month, then its first: 2025-12 (Dec), 2025Q4 (Oct–Dec), 2025H2
    # (Jul–Dec), 2025 (Jan–Dec), then 2025-01/2025-09, 2025H1, 2025Q1; by the codes' text
    # 2025Q4 came first and the year 2025 last
    order = ["2025-12", "2025Q4", "2025H2", "2025", "2025-01/2025-09", "2025H1", "2025Q1"]
    entries = [Entry(p.replace("/", "_"), True, Manifest.model_validate(make_manifest(period=p)))
               for p in sorted(order)]
    assert [e.period for e in sorted(entries, key=lambda e: e.sort_key, reverse=True)] == order
    # two periods of the same months (2025H1 and the 季报's 2025-01/2025-06), each with a
    # release it replaced: each period's releases together, not interleaved by time
    both = [Entry(p, current, Manifest.model_validate(make_manifest(
        period=p.replace("_", "/"), run_id=f"r{i}", created_at=f"2025-07-0{i}T10:00:00+08:00")))
        for i, (p, current) in enumerate([("2025H1", False), ("2025-01_2025-06", False),
                                           ("2025H1", True), ("2025-01_2025-06", True)], 1)]
    got = [e.period for e in sorted(both, key=lambda e: e.sort_key, reverse=True)]
    assert got in (["2025H1"] * 2 + ["2025-01/2025-06"] * 2,
                   ["2025-01/2025-06"] * 2 + ["2025H1"] * 2)
