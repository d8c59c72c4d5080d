"""The quality page's plain-Chinese help (dashboards/check_help.py) against the gate's checks."""


def test_every_gate_check_has_its_help_and_no_help_names_another_check():
    # the help of 死亡后仍在发放 was keyed paid_after_death_persons (the indicator), so the
    # check paid_after_death showed only the generic 本期未满足 text
    from dashboards.check_help import HELP
    from orchestration.quality import gate

    assert set(HELP) == set(gate.DESCRIPTIONS)
