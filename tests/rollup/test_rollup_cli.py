"""`civstat rollup` and `civstat waive` for the roll-up's check, end to end (Dagster job)."""

import os

from orchestration.cli.main import EXIT_BLOCKED, EXIT_OK, main
from orchestration.settings import MEMORY_LIMIT_ENV, WAREHOUSE_ENV
from tests.rollup.rollup_cases import A, B, P, district_release, regions_file


def test_rollup_command_blocks_then_publishes_after_a_waiver(tmp_path, dbt_manifest, capsys,
                                                             monkeypatch):
    for name in ("DAGSTER_HOME", WAREHOUSE_ENV, MEMORY_LIMIT_ENV):  # configure() sets them;
        monkeypatch.setenv(name, "unused")  # monkeypatch puts them back afterwards
    a = district_release(tmp_path / "a", A, "run-a")
    regions = regions_file(tmp_path / "regions.csv")
    city = tmp_path / "city"
    args = ["rollup", "--release", str(a), "--regions", str(regions), "--warehouse", str(city),
            "--period", P, "--published-by", "市局"]
    assert main(args) == EXIT_BLOCKED
    err = capsys.readouterr().err
    assert f"秦淮区({B}): 未提供 no release given" in err
    assert not (city / "published" / P).exists()
    assert main(["waive", "--warehouse", str(city), "--period", P, "--check",
                 "rollup_inputs_complete", "--reason", "秦淮区迟报", "--by", "市局李四"]) == EXIT_OK
    assert main(args) == EXIT_OK
    assert os.path.islink(city / "published" / P)
    assert "已发布 published" in capsys.readouterr().out


def test_rollup_says_why_it_failed_and_stops_at_ctrl_c(tmp_path, dbt_manifest, capsys,
                                                       monkeypatch):
    """A failure prints its own words (not Dagster's "Error occurred while executing op");
    a bad period is refused before any folder is made; an interrupt heard while the run
    started (Dagster swallows it) stops the roll-up before it publishes: exit 130."""
    from orchestration import interrupts
    from orchestration.cli.main import EXIT_ERROR, EXIT_INTERRUPTED

    for name in ("DAGSTER_HOME", WAREHOUSE_ENV, MEMORY_LIMIT_ENV):
        monkeypatch.setenv(name, "unused")
    a = district_release(tmp_path / "a", A, "run-a")
    city = tmp_path / "city"
    base = ["rollup", "--release", str(a), "--warehouse", str(city), "--published-by", "市局"]
    assert main([*base, "--regions", str(tmp_path / "none.csv"), "--period", P]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "汇总失败 the roll-up failed:" in err and "none.csv" in err
    assert "Error occurred while executing" not in err
    city2 = tmp_path / "city2"
    assert main(["rollup", "--release", str(a), "--warehouse", str(city2), "--regions",
                 str(regions_file(tmp_path / "regions.csv")), "--period", "2025H3"]) == EXIT_ERROR
    assert "2025H3" in capsys.readouterr().err and not city2.exists()
    district = tmp_path / "district"  # a district's own warehouse: its releases are its own
    district.mkdir()
    (district / "civstat.duckdb").write_bytes(b"")
    assert main([*base[:3], "--warehouse", str(district), "--regions",
                 str(regions_file(tmp_path / "regions.csv")), "--period", P]) == EXIT_ERROR
    assert "is a district's warehouse" in capsys.readouterr().err
    assert not (district / "published").exists()
    monkeypatch.setattr(interrupts, "requested", lambda: True)
    assert main([*base, "--regions", str(regions_file(tmp_path / "regions.csv")), "--period", P,
                 ]) == EXIT_INTERRUPTED
    assert "已中断" in capsys.readouterr().err
    assert not (city / "published" / P).exists()


def test_a_failure_after_the_release_is_switched_says_published(tmp_path, dbt_manifest, capsys,
                                                                 monkeypatch):
    """The index of releases cannot be written (a folder in its way): the roll-up's release
    is already the period's, so the command says published (exit 0) and names the error;
    it said "the roll-up failed", and a rerun published again."""
    from orchestration.rollup import publish
    from orchestration.settings import MEMORY_LIMIT_ENV as LIMIT

    for name in ("DAGSTER_HOME", WAREHOUSE_ENV, LIMIT):
        monkeypatch.setenv(name, "unused")

    def no_index(root):
        raise IsADirectoryError(21, "Is a directory", str(root / "index.html"))

    monkeypatch.setattr(publish, "write_index", no_index)
    a = district_release(tmp_path / "a", A, "run-a")
    b = district_release(tmp_path / "b", B, "run-b")
    city = tmp_path / "city"
    args = ["rollup", "--release", str(a), "--release", str(b), "--regions",
            str(regions_file(tmp_path / "regions.csv")), "--warehouse", str(city), "--period", P]
    assert main(args) == EXIT_OK
    out, err = capsys.readouterr()
    assert "已发布 published" in out and "after publishing" in err and "index.html" in err
    assert os.path.islink(city / "published" / P)
