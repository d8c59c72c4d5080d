"""Which dbt nodes a run builds and which test results it keeps (dbt_selection), on a hand-made
manifest of two sources, four models, a seed and five tests."""

import duckdb

from orchestration.defs import dbt_selection as sel

P = "CIVSTAT_PERIOD"


def _node(kind, name, parents=(), code="select 1"):
    return {"resource_type": kind, "name": name, "raw_code": code,
            "depends_on": {"nodes": list(parents)}}


SA, SB = "source.p.raw.a", "source.p.raw.b"
MANIFEST = {
    "sources": {SA: {"name": "a", "schema": "raw"}, SB: {"name": "b", "schema": "raw"}},
    "nodes": {
        "model.p.stg_a": _node("model", "stg_a", [SA]),
        "model.p.stg_b": _node("model", "stg_b", [SB]),
        "model.p.int_period": _node("model", "int_period", ["model.p.stg_a"],
                                    "{%- set p = env_var('CIVSTAT_PERIOD', '') %} select 1"),
        "model.p.fct": _node("model", "fct", ["model.p.int_period", "model.p.stg_b"]),
        "seed.p.cat": _node("seed", "cat"),
        "test.p.t_stg_a": _node("test", "t_stg_a", ["model.p.stg_a"]),
        "test.p.t_stg_b": _node("test", "t_stg_b", ["model.p.stg_b"]),
        "test.p.t_rel": _node("test", "t_rel", ["model.p.stg_b", "model.p.stg_a"]),
        "test.p.t_fct": _node("test", "t_fct", ["model.p.fct"]),
        "test.p.t_macro": _node("test", "t_macro"),
    },
}
TESTS = ["test.p.t_stg_a", "test.p.t_stg_b", "test.p.t_rel", "test.p.t_fct", "test.p.t_macro"]
INPUTS = {SA: "state:x:10", SB: "rows:3:abc"}


def _state(period="2025H1", inputs=INPUTS, passed=None):
    return sel.BuildState("code1", period, dict(inputs),
                          {t: "run0" for t in TESTS} if passed is None else passed)


def test_full_build_without_a_record_or_after_a_code_change_or_when_forced():
    assert sel.plan_build(MANIFEST, None, "code1", "2025H1", INPUTS, P).full
    assert sel.plan_build(MANIFEST, _state(), "code2", "2025H1", INPUTS, P).full
    forced = sel.plan_build(MANIFEST, _state(), "code1", "2025H1", INPUTS, P, force="1")
    assert forced.full and sel.REBUILD_ENV in forced.reason


def test_nothing_changed_builds_nothing_and_keeps_every_pass():
    plan = sel.plan_build(MANIFEST, _state(), "code1", "2025H1", INPUTS, P)
    assert not plan.full and not plan.runs_dbt
    assert plan.build == set() and plan.run_tests == set()
    assert plan.kept == {t: "run0" for t in TESTS}
    assert plan.unbuilt == {"model.p.stg_a", "model.p.stg_b", "model.p.int_period",
                            "model.p.fct", "seed.p.cat"}


def test_a_changed_source_rebuilds_what_is_below_it_and_runs_its_tests():
    plan = sel.plan_build(MANIFEST, _state(), "code1", "2025H1", {**INPUTS, SB: "rows:4:def"}, P)
    assert plan.build == {"model.p.stg_b", "model.p.fct"}
    # t_rel has one parent rebuilt and one not: it runs
    assert plan.run_tests == {"test.p.t_stg_b", "test.p.t_rel", "test.p.t_fct"}
    assert set(plan.kept) == {"test.p.t_stg_a", "test.p.t_macro"}
    assert plan.exclude_names(MANIFEST) == ["cat", "int_period", "stg_a", "t_macro", "t_stg_a"]
    assert "changed sources: b" in plan.reason


def test_a_changed_period_rebuilds_the_models_reading_it_and_below():
    plan = sel.plan_build(MANIFEST, _state(period="2025-07"), "code1", "2025H1", INPUTS, P)
    assert plan.build == {"model.p.int_period", "model.p.fct"}
    assert plan.run_tests == {"test.p.t_fct"}


def test_a_source_missing_from_the_record_counts_as_changed():
    plan = sel.plan_build(MANIFEST, _state(inputs={SB: "rows:3:abc"}), "code1", "2025H1",
                          INPUTS, P)
    assert plan.build == {"model.p.stg_a", "model.p.int_period", "model.p.fct"}


def test_a_test_without_a_recorded_pass_always_runs():
    passed = {t: "run0" for t in TESTS if t != "test.p.t_stg_a"}  # it warned last time
    plan = sel.plan_build(MANIFEST, _state(passed=passed), "code1", "2025H1", INPUTS, P)
    assert plan.build == set() and plan.run_tests == {"test.p.t_stg_a"} and plan.runs_dbt


def test_a_model_reading_another_environment_variable_is_always_rebuilt():
    nodes = dict(MANIFEST["nodes"])
    nodes["model.p.stg_a"] = _node("model", "stg_a", [SA], "{{ env_var('OTHER') }}")
    plan = sel.plan_build({**MANIFEST, "nodes": nodes}, _state(), "code1", "2025H1", INPUTS, P)
    assert plan.build == {"model.p.stg_a", "model.p.int_period", "model.p.fct"}


def test_next_state_keeps_passes_and_forgets_what_did_not_pass():
    previous = _state()
    plan = sel.plan_build(MANIFEST, previous, "code1", "2025H1", {**INPUTS, SB: "new"}, P)
    results = [{"unique_id": "test.p.t_stg_b", "status": "pass"},
               {"unique_id": "test.p.t_rel", "status": "warn"},
               {"unique_id": "test.p.t_fct", "status": "fail"},
               {"unique_id": "model.p.fct", "status": "success"}]
    after = sel.next_state(previous, plan, "code1", "2025H1", {**INPUTS, SB: "new"}, results,
                           "run1")
    assert after.passed == {"test.p.t_stg_a": "run0", "test.p.t_macro": "run0",
                            "test.p.t_stg_b": "run1"}
    assert after.inputs[SB] == "new" and after.period == "2025H1"
    full = sel.next_state(previous, sel.BuildPlan(True, "x"), "code2", "2025H1", INPUTS,
                          results[:1], "run2")
    assert full.passed == {"test.p.t_stg_b": "run2"} and full.code == "code2"


def test_record_round_trip_and_other_versions_are_ignored(tmp_path):
    path = tmp_path / sel.STATE_FILE
    assert sel.read_state(path) is None
    sel.write_state(path, _state())
    assert sel.read_state(path) == _state()
    path.write_text('{"version": 0}', encoding="utf-8")
    assert sel.read_state(path) is None


def test_code_fingerprint_follows_the_project_files(tmp_path):
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "m.sql").write_text("select 1")
    (tmp_path / "target").mkdir()
    first = sel.code_fingerprint(tmp_path)
    (tmp_path / "target" / "manifest.json").write_text("{}")  # dbt's output: not the code
    assert sel.code_fingerprint(tmp_path) == first
    (tmp_path / "models" / "m.sql").write_text("select 2")
    assert sel.code_fingerprint(tmp_path) != first


def test_input_fingerprints_use_the_load_state_or_the_rows():
    con = duckdb.connect()
    con.execute("create schema raw")
    con.execute("create table raw.source_state (source varchar, fingerprint varchar)")
    con.execute("insert into raw.source_state values ('a', 'f1')")
    con.execute("create table raw.a as select * from range(5) t(x)")
    con.execute("create table raw.b (code varchar, name varchar)")
    con.execute("insert into raw.b values ('1', 'x'), ('2', 'y')")
    first = sel.input_fingerprints(con, MANIFEST)
    assert first[SA] == "state:f1:5" and first[SB].startswith("rows:2:")
    con.execute("update raw.b set name = 'z' where code = '2'")
    second = sel.input_fingerprints(con, MANIFEST)
    assert second[SA] == first[SA] and second[SB] != first[SB]
    con.execute("drop table raw.b")
    assert sel.input_fingerprints(con, MANIFEST)[SB].startswith("missing:")


def test_topological_puts_parents_first():
    order = sel.topological(MANIFEST, ["model.p.fct", "model.p.stg_b", "model.p.int_period",
                                       "model.p.stg_a"])
    assert order == ["model.p.stg_a", "model.p.stg_b", "model.p.int_period", "model.p.fct"]


def test_input_fingerprints_without_a_raw_layer_name_every_source_missing():
    fingerprints = sel.input_fingerprints(duckdb.connect(), MANIFEST)
    assert set(fingerprints) == {SA, SB}
    assert all(v.startswith("missing:") for v in fingerprints.values())


def test_only_a_month_range_is_a_period_the_models_read():
    # int_period_spans_enumerated adds rows for a range only; other periods change nothing
    for period in ("2025-07", "2025Q3", "2025H1", "2025"):
        assert sel.period_read_by_models(period) == ""
    assert sel.period_read_by_models("2025-01/2025-09") == "2025-01/2025-09"
    # so a monthly run after a half-year run on the same data keeps every model
    same = sel.plan_build(MANIFEST, _state(period=sel.period_read_by_models("2025H1")),
                          "code1", sel.period_read_by_models("2025-07"), INPUTS, P)
    assert same.build == set() and not same.full


def test_a_tests_outcome_is_read_from_dbts_log_line():
    from orchestration.defs.assets_dbt import dbt_test_outcome

    def line(name, uid, status):
        return {"info": {"name": name, "level": "info"},
                "data": {"node_info": {"unique_id": uid}, "status": status}}

    uid = "test.civstat.not_null_fct_indicators_value.1a2b"
    assert dbt_test_outcome(line("LogTestResult", uid, "pass")) == [
        {"unique_id": uid, "status": "pass"}]
    assert dbt_test_outcome(line("LogTestResult", uid, "fail")) == [
        {"unique_id": uid, "status": "fail"}]
    assert dbt_test_outcome(line("LogModelResult", "model.civstat.fct_indicators", "success")) == []
    assert dbt_test_outcome(line("LogStartLine", uid, "")) == []  # a test's start, not its result
    assert dbt_test_outcome(line("LogTestResult", "unit_test.civstat.fct.t", "pass")) == []
    assert dbt_test_outcome({"info": {"name": "MainReportVersion"}, "data": {}}) == []
