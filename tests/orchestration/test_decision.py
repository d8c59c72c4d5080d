"""The gate's verdict (quality/decision.py) on hand-made check evaluations."""

import dagster as dg

from orchestration.quality.decision import applied_waivers, gate_decision
from orchestration.quality.gate import GATE_CHECKS

MART = dg.AssetKey(["fct_indicators"])
ERROR, WARN = dg.AssetCheckSeverity.ERROR, dg.AssetCheckSeverity.WARN


def ev(name, passed, severity=ERROR, asset=MART, **meta):
    return dg.AssetCheckEvaluation(asset_key=asset, check_name=name, passed=passed,
                                   severity=severity, metadata=meta)


def all_gate_checks_pass(**except_):
    return [except_.get(n) or ev(n, True, severity_if_failed="error") for n in GATE_CHECKS]


def test_every_check_passing_publishes():
    checks, refusals = gate_decision(all_gate_checks_pass())
    assert refusals == []
    assert len(checks) == len(GATE_CHECKS) and all(c["passed"] for c in checks)
    assert [c["name"] for c in checks] == sorted(GATE_CHECKS)  # one asset: sorted by name


def test_a_failing_error_refuses_with_its_detail():
    failing = ev("files_rejected", False, severity_if_failed="error", detail="2 files")
    _, refusals = gate_decision(all_gate_checks_pass(files_rejected=failing))
    assert refusals == ["fct_indicators · files_rejected: 2 files"]


def test_a_waived_error_is_reported_but_does_not_refuse():
    waived = ev("reporting_completeness", False, severity=WARN, severity_if_failed="error",
                waived_by="王科长", detail="1 township-month")
    checks, refusals = gate_decision(all_gate_checks_pass(reporting_completeness=waived))
    assert refusals == []
    row = next(c for c in checks if c["name"] == "reporting_completeness")
    assert (row["severity"], row["passed"], row["waived"]) == ("error", False, True)


def test_the_manifest_lists_the_waivers_the_gate_applied_only():
    # a waiver of a check that passed (dual_benefits) is not in the run's metadata: it was
    # listed in the manifest, read again from waivers.jsonl, though it waived nothing
    waived = ev("reporting_completeness", False, severity=WARN, severity_if_failed="error",
                waived_by="王科长", waiver_reason="河西镇四月补报中", waived_at="2025-07-03T09:00:00+08:00")
    evaluations = all_gate_checks_pass(reporting_completeness=waived)
    assert applied_waivers(evaluations, "2025H1") == [{
        "period": "2025H1", "check": "reporting_completeness", "reason": "河西镇四月补报中",
        "by": "王科长", "at": "2025-07-03T09:00:00+08:00"}]
    assert applied_waivers(all_gate_checks_pass(), "2025H1") == []


def test_a_gate_check_that_did_not_run_refuses():
    evaluations = [e for e in all_gate_checks_pass() if e.check_name != "dual_benefits"]
    # the same name on another asset does not count as the gate's
    evaluations.append(ev("dual_benefits", True, asset=dg.AssetKey(["raw", "tekun_persons"])))
    _, refusals = gate_decision(evaluations)
    assert refusals == ["dual_benefits: 未执行 the gate check did not run in this run"]


def test_an_undeclared_warning_keeps_dagsters_severity():
    gx = ev("gx_suite", False, severity=WARN, asset=dg.AssetKey(["raw", "veterans"]))
    checks, refusals = gate_decision([*all_gate_checks_pass(), gx])
    assert refusals == []
    assert checks[-1]["asset"] == "raw/veterans" and checks[-1]["severity"] == "warning"


def test_a_failed_dbt_test_tells_its_failing_rows():
    # dagster-dbt gives a dbt test's evaluation no detail, only the rows its query returned
    name = "relationships_stg_raw__regions_parent_code"
    failed = ev(name, False, asset=dg.AssetKey(["stg_raw__regions"]),
                **{"dagster_dbt/failed_row_count": 3})
    passed = ev("unique_stg_raw__regions_region_code", True,
                asset=dg.AssetKey(["stg_raw__regions"]), **{"dagster_dbt/failed_row_count": 0})
    checks, refusals = gate_decision([*all_gate_checks_pass(), failed, passed])
    told = "dbt 测试查出 3 行不符 / the dbt test found 3 failing rows"
    assert refusals == [f"stg_raw__regions · {name}: {told}"]
    details = {c["name"]: c["detail"] for c in checks if c["asset"] == "stg_raw__regions"}
    assert details == {name: told, "unique_stg_raw__regions_region_code": ""}


def _blocked(monkeypatch, capsys, tmp_path, evaluations) -> str:
    """What `civstat run` prints when the gate blocked on `evaluations` (stderr)."""
    from orchestration.cli import console

    monkeypatch.setattr("orchestration.quality.decision.run_check_evaluations",
                        lambda instance, run_id: evaluations)
    assert console.print_blocked(None, "run-1", tmp_path)
    return capsys.readouterr().err


def test_the_console_offers_a_waiver_only_for_the_gates_checks(monkeypatch, capsys, tmp_path):
    dbt_test = ev("not_null_stg_raw__deaths_person_id_hash", False,
                  asset=dg.AssetKey(["stg_raw__deaths"]), **{"dagster_dbt/failed_row_count": 2})
    err = _blocked(monkeypatch, capsys, tmp_path, [*all_gate_checks_pass(), dbt_test])
    assert "the dbt test found 2 failing rows" in err
    assert "civstat waive" not in err  # `civstat waive` refuses any check not the gate's
    assert "cannot be waived: correct the data or the model, then run again" in err

    gate_check = ev("files_rejected", False, severity_if_failed="error", detail="2 files")
    err = _blocked(monkeypatch, capsys, tmp_path,
                   all_gate_checks_pass(files_rejected=gate_check))
    # the command to copy, with this warehouse and period (it said DIR, P and NAME)
    assert (f"civstat waive --warehouse {tmp_path} --period P --check files_rejected "
            '--reason "…" --by 姓名') in err
    assert "cannot be waived" not in err


def test_a_gate_checks_name_on_another_asset_is_not_offered_a_waiver(monkeypatch, capsys,
                                                                    tmp_path):
    # the waiver applies to the gate's check on the mart only (checks_gate.to_result)
    elsewhere = ev("files_rejected", False, asset=dg.AssetKey(["raw", "veterans"]),
                   detail="2 files")
    err = _blocked(monkeypatch, capsys, tmp_path, [*all_gate_checks_pass(), elsewhere])
    assert "civstat waive" not in err and "cannot be waived" in err
