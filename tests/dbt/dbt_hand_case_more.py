"""Disasters, officers, veterans and soldiers of the hand-made district (see dbt_hand_case.py)."""

from dbt_hand_case import T1, T2, V11, V12, V21, V22, key, person

_FIGURES = ("affected_persons", "relocated_persons", "crop_affected_ha", "crop_failed_ha",
            "collapsed_households", "collapsed_rooms", "damaged_households", "damaged_rooms",
            "direct_loss_10k")


def _report(event, township, stage, started, reported, figures, hazard="洪涝"):
    return dict(event_id=event, hazard=hazard, region_code=township, stage=stage,
                started_at=started, reported_at=reported, **dict(zip(_FIGURES, figures, strict=True)))


FLOOD = "2026-06-10 08:00:00"
DISASTER_REPORTS = [
    # (E1, T2): initial exactly 2 h after the start (timely); final wins over a later update.
    _report("E1", T2, "initial", FLOOD, "2026-06-10 10:00:00", (100, 10, 5, 1, 1, 2, 3, 4, 50)),
    _report("E1", T2, "update", FLOOD, "2026-06-11 09:00:00", (150, 20, 8, 1, 2, 4, 6, 9, 80)),
    _report("E1", T2, "final", FLOOD, "2026-06-15 09:00:00",
            (200, 30, 12.5, 2.25, 3, 7, 10, 25, 123.456)),
    _report("E1", T2, "update", FLOOD, "2026-06-16 09:00:00",
            (999, 99, 99, 9, 9, 99, 99, 99, 999)),
    # (E1, T1): initial only, one minute late; affected but no relief (late).
    _report("E1", T1, "initial", FLOOD, "2026-06-10 10:01:00", (10, 0, 1.0, 0, 0, 0, 1, 2, 0.5)),
    # (E2, T1): no initial (late); nobody affected.
    _report("E2", T1, "update", "2026-05-03 14:00:00", "2026-05-04 09:00:00",
            (0, 0, 5.5, 0, 0, 0, 0, 0, 1.0), hazard="风雹"),
    # (E3, T2): in H2.
    _report("E3", T2, "initial", "2026-07-02 10:00:00", "2026-07-02 11:00:00",
            (5, 0, 0, 0, 0, 0, 0, 0, 0.2)),
]

DISASTER_RELIEF = [
    dict(relief_id="R1", event_id="E1", region_code=T2, paid_at="2026-06-10 20:00:00",
         persons=50, funds=10000),  # exactly 12 h after the start
    dict(relief_id="R2", event_id="E1", region_code=T2, paid_at="2026-06-12 10:00:00",
         persons=30, funds=5000),
    dict(relief_id="R3", event_id="E3", region_code=T2, paid_at="2026-07-03 10:00:00",
         persons=5, funds=1000),
]


def _officer(n, village, active):
    return dict(name=f"信息员{n}", id_number=person(400 + n), id_number_hash=key(person(400 + n)),
                region_code=village, phone=f"1380000000{n}", active=active)


DISASTER_OFFICERS = [
    _officer(1, V11, True), _officer(2, V11, True), _officer(3, V21, False),
    _officer(4, V22, False),
]

VETERAN_IDS = {p: person(500 + i) for i, p in enumerate(["P1", "P2", "P3", "P4"])}


def _veteran(p, village, category, recognised, ended=None, grade=None):
    return dict(name=f"优抚{p}", id_number=VETERAN_IDS[p], id_number_hash=key(VETERAN_IDS[p]),
                region_code=village, category=category, disability_grade=grade,
                recognised_on=recognised, ended_on=ended)


VETERANS = [
    _veteran("P1", V11, "disabled", "2010-01-01", grade=5),
    _veteran("P2", V21, "martyr_family", "2026-06-30"),
    _veteran("P3", V12, "demobilized", "2000-01-01", ended="2026-06-30"),
    _veteran("P4", V22, "rural_veteran", "2020-05-05", ended="2026-07-01"),
]


def _payment(month, p, benefit, amount):
    return dict(month=month, id_number=VETERAN_IDS[p], id_number_hash=key(VETERAN_IDS[p]),
                benefit=benefit, amount=amount)


VETERAN_PAYMENTS = [
    _payment("2026-04-01", "P1", "disability_pension", 2000),
    _payment("2026-05-01", "P1", "disability_pension", 2000),
    _payment("2026-06-01", "P1", "disability_pension", 2000),
    _payment("2026-04-01", "P3", "living_allowance", 500),
    _payment("2026-06-01", "P4", "elderly_allowance", 333.33),
]


def _soldier(n, village, rank, received, placement, subsidy):
    return dict(name=f"士兵{n}", id_number=person(600 + n), id_number_hash=key(person(600 + n)),
                region_code=village, rank_type=rank, received_on=received, placement=placement,
                one_off_subsidy=subsidy)


SOLDIERS_RECEIVED = [
    _soldier(1, V11, "conscript", "2026-03-01", "self_employed", 30000),
    _soldier(2, V21, "nco", "2026-06-15", "assigned_job", 0),
    _soldier(3, V22, "conscript", "2026-08-01", "self_employed", 25000),
]
