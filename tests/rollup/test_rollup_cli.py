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
