"""A source whose dependency only gained rows is appended to, not rebuilt: 低保 members after
an added month of the roster. Its tables must end up as a fresh load's would."""

import pytest
from ingest_cases import HH_HEADER, Env, hh, person

import ingest.pipeline as pipeline
from ingest.contract import SOURCES

MEMBER_HEADER = ["户编号", "姓名", "身份证号", "与户主关系", "是否保障对象", "残疾等级"]


def member(household: str, n: int, grade: str | None = None) -> list:
    return [household, f"成员{n}", person(n), "子女", "是", grade]


def _members(env: Env) -> tuple[list, list, list]:
    rows = env.sql("SELECT _source_file, _row_number, household_id, disability_grade "
                   "FROM raw.dibao_members ORDER BY 1, 2")
    quarantine = env.sql("SELECT source_file, row_number, column_name, reason, detail FROM "
                         "raw.quarantine WHERE source = 'dibao_members' ORDER BY 1, 2")
    files = env.sql("SELECT path, rows_read, rows_loaded, rows_quarantined FROM raw.files "
                    "WHERE source = 'dibao_members' ORDER BY 1")
    return rows, quarantine, files


def _load(env: Env, roster: dict[str, list], members: list) -> None:
    """The district's lookups, then the roster's files and the members' file, loaded."""
    env.base()
    for rel, rows in roster.items():
        env.xlsx(rel, rows)
    env.run("dibao_households")
    env.xlsx("dibao_members/m.xlsx", members)
    env.run("dibao_members")


def _fresh(root, roster: dict[str, list], members: list) -> tuple[list, list, list]:
    """The members' tables of one load of everything into a new warehouse."""
    root.mkdir()
    other = Env(root)
    try:
        _load(other, roster, members)
        return _members(other)
    finally:
        other.con.close()


def _count_rebuilds(monkeypatch) -> list:
    calls = []
    real = pipeline._run_sql
    monkeypatch.setattr(pipeline, "_run_sql",
                        lambda con, src, *a: calls.append(src.name) or real(con, src, *a))
    return calls


def _grown_state(env: Env, source: str) -> str | None:
    import json

    detail = env.sql("SELECT detail FROM raw.source_state WHERE source = ?", [source])[0][0]
    return json.loads(detail).get("grown_from")


JUNE = {"dibao_households/06.xlsx": [HH_HEADER, hh()]}
JULY = {"dibao_households/07.xlsx": [HH_HEADER, hh(month="2026-07"),
                                     hh(month="2026-07", household_id="H002")]}
MEMBERS = [
    MEMBER_HEADER,
    member("H001", 1),  # row 2: loaded throughout
    member("H002", 2),  # row 3: unknown household until July, then loaded
    member("H002", 3, "五级"),  # row 4: unknown household, then its grade is the first error
    member("H009", 4),  # row 5: unknown household throughout
    member("H002", 1),  # row 6: row 2's person again: unknown, then a conflicting duplicate
]


def test_members_are_appended_when_the_roster_gains_a_month(env, tmp_path, monkeypatch):
    _load(env, JUNE, MEMBERS)
    assert [r[3] for r in _members(env)[1]] == ["unknown_household"] * 4

    for rel, rows in JULY.items():
        env.xlsx(rel, rows)
    rebuilt = _count_rebuilds(monkeypatch)
    env.run("dibao_households")
    report = env.run("dibao_members")
    monkeypatch.undo()

    assert rebuilt == []  # the roster appended its month; the members only judged rows again
    assert env.sql("SELECT table_name FROM duckdb_tables() WHERE temporary AND "
                   "table_name LIKE '\\_ing%' ESCAPE '\\'") == []  # no work table left
    assert _members(env) == _fresh(tmp_path / "fresh", {**JUNE, **JULY}, MEMBERS)
    assert [(r[1], r[3]) for r in _members(env)[1]] == [
        (2, "conflicting_duplicate"), (4, "invalid_code"), (5, "unknown_household"),
        (6, "conflicting_duplicate")]
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (5, 1, 4)
    roster_state = env.sql("SELECT fingerprint FROM raw.source_state "
                           "WHERE source = 'dibao_households'")[0][0]
    assert _grown_state(env, "dibao_households") is not None
    assert _grown_state(env, "dibao_households") != roster_state  # the state before July


def test_members_without_rows_to_judge_again_keep_their_tables(env, monkeypatch):
    env.base()
    env.xlsx("dibao_households/06.xlsx", [HH_HEADER, hh()])
    env.run("dibao_households")
    env.xlsx("dibao_members/m.xlsx", [MEMBER_HEADER, member("H001", 1)])
    env.run("dibao_members")
    before = _members(env)
    env.xlsx("dibao_households/07.xlsx", [HH_HEADER, hh(month="2026-07")])
    rebuilt = _count_rebuilds(monkeypatch)
    env.run("dibao_households")
    env.run("dibao_members")
    assert rebuilt == []
    assert _members(env) == before


def test_a_roster_that_lost_a_loaded_row_rebuilds_the_members(env, tmp_path, monkeypatch):
    # the late file brings H001's June row again with another amount: both June rows become
    # conflicting duplicates, so H001 leaves the roster and its member must be set aside
    env.base()
    env.xlsx("dibao_households/06.xlsx", [HH_HEADER, hh()])
    env.run("dibao_households")
    members = [MEMBER_HEADER, member("H001", 1)]
    env.xlsx("dibao_members/m.xlsx", members)
    env.run("dibao_members")
    late = {"dibao_households/06b.xlsx": [HH_HEADER, hh(monthly_amount="900")]}
    for rel, rows in late.items():
        env.xlsx(rel, rows)
    rebuilt = _count_rebuilds(monkeypatch)
    env.run("dibao_households")
    env.run("dibao_members")
    monkeypatch.undo()
    assert rebuilt == ["dibao_members"]  # the roster was appended to, the members rebuilt
    assert _grown_state(env, "dibao_households") is None
    assert [(r[1], r[3]) for r in _members(env)[1]] == [(2, "unknown_household")]
    assert _members(env) == _fresh(tmp_path / "fresh",
                                   {"dibao_households/06.xlsx": [HH_HEADER, hh()], **late},
                                   members)


def test_a_rebuilt_roster_rebuilds_the_members(env, monkeypatch):
    env.base()
    env.xlsx("dibao_households/06.xlsx", [HH_HEADER, hh()])
    env.xlsx("dibao_households/07.xlsx", [HH_HEADER, hh(month="2026-07")])
    env.run("dibao_households")
    env.xlsx("dibao_members/m.xlsx", [MEMBER_HEADER, member("H001", 1)])
    env.run("dibao_members")
    (env.inbox / "dibao_households/07.xlsx").unlink()  # a file removed: the roster rebuilds
    rebuilt = _count_rebuilds(monkeypatch)
    env.run("dibao_households")
    env.run("dibao_members")
    assert rebuilt == ["dibao_households", "dibao_members"]


@pytest.mark.parametrize("source, reasons", [
    ("dibao_members", ("unknown_household",)),
    ("veteran_payments", ("unknown_person",)),
    ("disaster_relief", ("unknown_event", "unknown_region")),
    ("social_org_inspections", ("unknown_org",)),
    ("dibao_households", None),  # its standard in force is read by judged_sql
    ("regions", None),  # its parent rule reads its own rows
])
def test_which_sources_judge_again_on_growth(source, reasons):
    assert SOURCES[source].reasons_judged_again_on_growth == reasons
