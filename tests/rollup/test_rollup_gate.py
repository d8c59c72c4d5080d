"""The roll-up's gate: a tampered release rejected by name, a missing district blocking,
a waiver unblocking; the Dagster job runs the same function."""

import csv
import json
import os

import dagster as dg

from orchestration.defs.job_rollup import civstat_rollup
from orchestration.quality.waivers import record_waiver
from orchestration.rollup import rollup
from tests.rollup.rollup_cases import CITY, A, B, P, district_release, regions_file


def test_a_tampered_file_is_rejected_with_its_name(tmp_path):
    a = district_release(tmp_path / "a", A, "run-a")
    b = district_release(tmp_path / "b", B, "run-b")
    target = b / "indicators.csv"
    os.chmod(target, 0o644)
    target.write_text(target.read_text(encoding="utf-8-sig").replace(",50,", ",55,"),
                      encoding="utf-8-sig")
    out = rollup([a, b], regions_file(tmp_path / "regions.csv"), tmp_path / "city", P)
    assert out.published is None
    assert len(out.refusals) == 1 and "indicators.csv" in out.refusals[0]
    assert "SHA-256" in out.refusals[0] and "秦淮区" in out.refusals[0]
    assert not (tmp_path / "city" / "published" / P).exists()


def test_a_release_of_another_period_or_a_failed_gate_is_rejected(tmp_path):
    a = district_release(tmp_path / "a", A, "run-a")
    failed = [{"name": "files_rejected", "severity": "error", "passed": False}]
    b = district_release(tmp_path / "b", B, "run-b", checks=failed)
    out = rollup([a, b], regions_file(tmp_path / "regions.csv"), tmp_path / "city", P)
    assert out.published is None and "files_rejected" in out.refusals[0]
    out = rollup([a, b], regions_file(tmp_path / "regions.csv"), tmp_path / "city", "2025H2")
    assert out.published is None and all("2025H2" in r for r in out.refusals)


def test_a_missing_district_blocks_until_waived(tmp_path):
    a = district_release(tmp_path / "a", A, "run-a")
    regions = regions_file(tmp_path / "regions.csv")
    city = tmp_path / "city"
    out = rollup([a], regions, city, P)
    assert out.published is None
    assert out.refusals == [f"rollup_inputs_complete: 秦淮区({B}): 未提供 no release given"]
    record_waiver(city, P, "rollup_inputs_complete", "秦淮区系统故障,先报玄武区", "市局李四")
    out = rollup([a], regions, city, P)
    assert out.published == (city / "published" / ".releases" / P / out.published.name)
    m = json.loads((city / "published" / P / "manifest.json").read_text())
    assert m["waivers"][0]["by"] == "市局李四"
    check = next(c for c in m["checks"] if c["name"] == "rollup_inputs_complete")
    assert (check["passed"], check["waived"], check["severity"]) == (False, True, "warning")
    assert m["completeness"]["releases"] == {A: {P: 1}, B: {P: 0}}
    with open(city / "published" / P / "indicators.csv", encoding="utf-8-sig") as fh:
        rows = {(r["region_code"], r["indicator"], r["breakdown"]): r["value"]
                for r in csv.DictReader(fh)}
    assert rows[(CITY, "dibao_coverage_rate", "total")] == "3.00"  # A alone
    summary = (city / "published" / P / "summary.md").read_text(encoding="utf-8")
    assert "**未纳入** 秦淮区:未提供 no release given" in summary  # a reader sees who is missing
    pages = city / "published" / P / "dashboards"
    assert "南京市" in (pages / "overview.html").read_text()  # the city's page, not a district's
    quality = (pages / "quality.html").read_text()
    assert "rollup_inputs_complete" in quality and "汇总的下级发布" in quality


def test_the_dagster_job_publishes_and_fails_when_blocked(tmp_path):
    a = district_release(tmp_path / "a", A, "run-a")
    b = district_release(tmp_path / "b", B, "run-b")
    config = {"releases": [str(a)], "regions": str(regions_file(tmp_path / "regions.csv")),
              "warehouse": str(tmp_path / "city"), "period": P, "published_by": "市局"}
    with dg.DagsterInstance.ephemeral() as instance:
        run = {"ops": {"rollup_releases": {"config": config}}}
        blocked = civstat_rollup.execute_in_process(run_config=run, instance=instance,
                                                    raise_on_error=False)
        assert not blocked.success
        config["releases"] = [str(a), str(b)]
        done = civstat_rollup.execute_in_process(run_config=run, instance=instance)
    assert done.success
    m = json.loads((tmp_path / "city" / "published" / P / "manifest.json").read_text())
    assert m["run_id"] == done.run_id


def _rewritten(folder, name: str, text: str) -> None:
    """A release's file replaced and its manifest hash made to match: a release no
    civstat wrote that still passes its own hashes."""
    import hashlib

    path = folder / name
    os.chmod(path, 0o644)
    path.write_text(text, encoding="utf-8")
    mpath = folder / "manifest.json"
    os.chmod(mpath, 0o644)
    data = json.loads(mpath.read_text(encoding="utf-8"))
    data["files"][name] = hashlib.sha256(path.read_bytes()).hexdigest()
    mpath.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_a_child_no_civstat_wrote_is_refused_alone_never_summed(tmp_path):
    """Rows that are no list, a count of true, a count below 0, a value past 10^15, and
    a sum in 元 where the catalogue says 万元 (it was added to the others' 万元 under the
    first child's unit): each refuses that child by name; the roll-up never crashes."""
    from tests.rollup.rollup_cases import records

    regions = regions_file(tmp_path / "regions.csv")
    b = district_release(tmp_path / "b", B, "run-b")
    cases = {
        "rows_int": lambda rows: 5,
        "count_true": lambda rows: [dict(r, value=True) if r["indicator"] == "dibao_persons_end"
                                    else r for r in rows],
        "count_negative": lambda rows: [dict(r, value=-300) if r["indicator"] ==
                                        "dibao_persons_end" and r["breakdown"] == "total"
                                        else r for r in rows],
        "huge": lambda rows: [dict(r, value=1e30) if r["indicator"] == "dibao_funds" else r
                              for r in rows],
        "yuan": lambda rows: [dict(r, unit="元", value="123400.00")
                              if r["indicator"] == "dibao_funds" else r for r in rows],
    }
    for name, change in cases.items():
        a = district_release(tmp_path / name, A, f"run-{name}")
        data = json.loads((a / "indicators.json").read_text(encoding="utf-8"))
        data["rows"] = change(data["rows"] or records(A, "district", []))
        _rewritten(a, "indicators.json", json.dumps(data, ensure_ascii=False))
        out = rollup([a, b], regions, tmp_path / f"city-{name}", P)
        assert out.published is None, name
        # named by its region where its rows can tell it, else by its folder
        assert out.refusals and all("玄武区" in r or f"run-{name}" in r
                                    for r in out.refusals), (name, out.refusals)
    assert "元/sum 不是指标目录的 is not the catalogue's 万元/sum" in out.refusals[0]


def test_a_child_with_a_link_or_a_fifo_is_refused_as_verify_would(tmp_path):
    """A symbolic link (to /etc, or a loop) or a FIFO beside the release's files: `civstat
    verify` says not intact, and the roll-up refuses it too (it took it)."""
    regions = regions_file(tmp_path / "regions.csv")
    b = district_release(tmp_path / "b", B, "run-b")
    for name, make in {"link": lambda p: os.symlink("/etc", p),
                       "fifo": lambda p: os.mkfifo(p)}.items():
        a = district_release(tmp_path / name, A, f"run-{name}")
        make(a / "extra")
        out = rollup([a, b], regions, tmp_path / f"city-{name}", P)
        assert out.published is None
        assert any("extra: 不是普通文件 not a regular file" in r for r in out.refusals)


def test_two_different_releases_of_one_child_are_both_left_out_even_waived(tmp_path):
    """Under a waiver the first of two different 玄武区 releases was used: the city's figure
    depended on the order they were given. Now neither is; the same release twice keeps it."""
    regions = regions_file(tmp_path / "regions.csv")
    b = district_release(tmp_path / "b", B, "run-b")
    a1 = district_release(tmp_path / "a1", A, "run-a1")
    a2 = district_release(tmp_path / "a2", A, "run-a2")
    city = tmp_path / "city"
    record_waiver(city, P, "rollup_inputs_complete", "试汇总", "市局李四")
    for order in ([a1, a2, b], [a2, a1, b]):
        out = rollup(order, regions, city, P)
        m = json.loads((city / "published" / P / "manifest.json").read_text())
        assert m["completeness"]["releases"][A] == {P: 0}  # 玄武区 not used either way
        assert any("neither used" in r["reason"] for r in out.rejected)
    out = rollup([a1, a1, b], regions, tmp_path / "city2", P)  # the same release twice
    assert out.published is None and any("given twice" in r for r in out.refusals)
