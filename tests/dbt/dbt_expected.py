"""Expected indicator values of the hand-made district, worked out by hand (see the notes).

Standards: city 1000 / town 900 / rural 700 from 2025-01; city 1100 / rural 750 from 2026-05.
Rosters (household: program village covered amount [income]):
  Apr  H1 urban V11 2 800 | H2 urban V12 3 1200 | H3 rural V21 1 500
  May  H1 900 (raised)    | H2 1100 (lowered)   | H3 500  | H4 rural V22 4 1000 (new)
  Jun  H1 900 | H3 500 income 800 (> rural 750) | H4 1000 | H5 urban-in-V21 2 600 income 760
       (new; rural tier 750, so suspected ineligible)           H2 exited (May row, 3 persons)
Populations: T1 = V11 1000 + V12 500 (all urban), T2 = V21 2000 + V22 1000 (all rural).
"""

D, T1, T2 = "110101000000", "110101001000", "110101002000"

# (period, region, indicator, breakdown, value)
VALUES = [
    # --- dibao, 2026H1 (last month June) --------------------------------------------------
    ("2026H1", D, "dibao_households_end", "total", 4),  # H1 H3 H4 H5
    ("2026H1", D, "dibao_households_end", "urban", 2),  # H1 H5
    ("2026H1", D, "dibao_households_end", "rural", 2),  # H3 H4
    ("2026H1", D, "dibao_persons_end", "total", 9),  # 2+1+4+2
    ("2026H1", D, "dibao_persons_end", "urban", 4),
    ("2026H1", T1, "dibao_persons_end", "rural", 0),  # a count: published as 0
    ("2026H1", D, "dibao_household_months", "total", 11),  # 3+4+4
    ("2026H1", D, "dibao_household_months", "urban", 6),
    ("2026H1", D, "dibao_person_months", "total", 25),  # 6+10+9
    ("2026H1", D, "dibao_person_months", "rural", 11),  # 1+5+5
    ("2026H1", D, "dibao_funds", "total", 0.9),  # 2500+3500+3000 yuan
    ("2026H1", D, "dibao_funds", "urban", 0.55),
    ("2026H1", T2, "dibao_funds", "urban", 0.06),  # H5 600
    ("2026H1", D, "dibao_avg_subsidy", "total", 360),  # 9000 / 25
    ("2026H1", D, "dibao_avg_subsidy", "urban", 392.86),  # 5500 / 14
    ("2026H1", D, "dibao_avg_subsidy", "rural", 318.18),  # 3500 / 11
    ("2026H1", T1, "dibao_avg_subsidy", "total", 408.33),  # 4900 / 12
    ("2026H1", D, "dibao_coverage_rate", "total", 0.2),  # 9 / 4500
    ("2026H1", D, "dibao_coverage_rate", "urban", 0.27),  # 4 / 1500 = 0.2666…
    ("2026H1", D, "dibao_coverage_rate", "rural", 0.17),  # 5 / 3000 = 0.1666…
    ("2026H1", T1, "dibao_coverage_rate", "total", 0.13),  # 2 / 1500
    ("2026H1", T2, "dibao_coverage_rate", "total", 0.23),  # 7 / 3000
    ("2026H1", D, "gap_coverage_pp", "total", 0.1),  # 0.2666… − 0.1666…
    ("2026H1", D, "gap_subsidy_ratio", "total", 1.23),  # (5500/14) / (3500/11) = 1.2347
    ("2026H1", T2, "gap_subsidy_ratio", "total", 0.94),  # 300 / 318.18 = 0.9429
    ("2026H1", D, "dibao_standard", "city", 1100),
    ("2026H1", D, "dibao_standard", "town", 900),
    ("2026H1", D, "dibao_standard", "rural", 750),
    ("2026H1", D, "gap_standard_ratio", "total", 1.47),  # 1100 / 750
    ("2026H1", D, "dibao_new_households", "total", 2),  # H4 (May), H5 (June); April adds none
    ("2026H1", D, "dibao_new_households", "urban", 1),
    ("2026H1", D, "dibao_new_persons", "total", 6),
    ("2026H1", T2, "dibao_new_persons", "rural", 4),
    ("2026H1", D, "dibao_exited_households", "total", 1),  # H2
    ("2026H1", T1, "dibao_exited_persons", "urban", 3),
    ("2026H1", T2, "dibao_exited_households", "total", 0),
    ("2026H1", D, "dibao_raised_households", "urban", 1),  # H1 in May
    ("2026H1", D, "dibao_lowered_households", "total", 1),  # H2 in May
    ("2026H1", D, "dibao_suspected_ineligible", "total", 2),  # H3, H5
    ("2026H1", T1, "dibao_suspected_ineligible", "total", 0),
    # --- dibao, single months ---------------------------------------------------------------
    ("2026-04", D, "dibao_households_end", "total", 3),
    ("2026-04", D, "dibao_new_households", "total", 0),  # March has no roster
    ("2026-04", D, "dibao_standard", "city", 1000),
    ("2026-04", D, "gap_standard_ratio", "total", 1.43),  # 1000 / 700
    ("2026-05", D, "dibao_persons_end", "total", 10),
    ("2026-05", D, "dibao_new_households", "rural", 1),  # H4
    ("2026-05", D, "dibao_new_persons", "total", 4),
    ("2026-07", D, "dibao_households_end", "total", 0),  # no July roster: 0, no fallback
    ("2026-07", D, "dibao_exited_households", "total", 4),  # June present, July missing
    ("2026H2", D, "dibao_persons_end", "total", 0),
    # --- low income (June standards for H1, April standards for 2026-04) --------------------
    ("2026H1", D, "lowincome_households", "total", 2),  # L2 (= 2 × 900), L4 (750.01)
    ("2026H1", D, "lowincome_households", "urban", 1),
    ("2026H1", D, "lowincome_persons", "total", 7),  # 3 + 4
    ("2026H1", T2, "lowincome_persons", "rural", 4),
    ("2026H1", D, "dibao_suspected_missed", "total", 1),  # L1: income = city standard 1100
    ("2026H1", T2, "dibao_suspected_missed", "total", 0),  # L5's head heads H3
    ("2026-04", D, "lowincome_households", "urban", 2),  # L1 (1100 vs 1000), L2
    ("2026-04", D, "lowincome_persons", "total", 4),
    ("2026-04", D, "dibao_suspected_missed", "total", 0),
    # --- tekun, dual benefits, temporary assistance --------------------------------------
    ("2026H1", D, "tekun_persons_end", "total", 3),
    ("2026H1", D, "tekun_persons_end", "centralized", 2),
    ("2026H1", T2, "tekun_persons_end", "dispersed", 1),
    ("2026H1", D, "tekun_funds", "total", 0.77),  # 4500 + 2000 + 1200
    ("2026H1", D, "tekun_funds", "centralized", 0.57),
    ("2026H1", D, "dual_benefit_persons", "total", 1),  # K2
    ("2026H1", T1, "dual_benefit_persons", "total", 0),
    ("2026H1", T2, "dual_benefit_persons", "total", 1),
    ("2026H1", D, "temp_assist_cases", "total", 2),
    ("2026H1", D, "temp_assist_persons", "total", 4),
    ("2026H1", D, "temp_assist_funds", "total", 2.73),  # 27305.55 yuan
    ("2026H1", T1, "temp_assist_funds", "total", 2.68),  # 26750 yuan = 2.675 → half-up
    ("2026-02", D, "temp_assist_funds", "total", 2.68),
    # --- disasters, 2026H1: (E1,T2) final, (E1,T1) initial only, (E2,T1) update only --------
    ("2026H1", D, "disaster_events", "total", 2),
    ("2026H1", T1, "disaster_events", "total", 2),
    ("2026H1", D, "disaster_affected_persons", "total", 210),  # 200 + 10 + 0
    ("2026H1", D, "disaster_relocated_persons", "total", 30),
    ("2026H1", D, "disaster_crop_affected_ha", "total", 19),  # 12.5 + 1 + 5.5
    ("2026H1", D, "disaster_crop_failed_ha", "total", 2.25),
    ("2026H1", D, "disaster_collapsed_households", "total", 3),
    ("2026H1", D, "disaster_collapsed_rooms", "total", 7),
    ("2026H1", D, "disaster_damaged_households", "total", 11),
    ("2026H1", D, "disaster_damaged_rooms", "total", 27),
    ("2026H1", D, "disaster_direct_loss", "total", 124.96),  # 123.456 + 0.5 + 1.0
    ("2026H1", T2, "disaster_direct_loss", "total", 123.46),
    ("2026H1", D, "disaster_initial_report_timely_rate", "total", 33.33),  # 1 of 3
    ("2026H1", T1, "disaster_initial_report_timely_rate", "total", 0),
    ("2026H1", T2, "disaster_initial_report_timely_rate", "total", 100),  # exactly 2 h
    ("2026H1", D, "disaster_relief_funds", "total", 1.5),
    ("2026H1", D, "disaster_relief_persons", "total", 80),
    ("2026H1", D, "disaster_relief_per_capita", "total", 187.5),
    ("2026H1", D, "disaster_relief_within_12h_rate", "total", 50),  # (E1,T2) at exactly 12 h
    ("2026H1", T1, "disaster_relief_within_12h_rate", "total", 0),
    ("2026H1", D, "disaster_officer_coverage_rate", "total", 25),  # V11 of 4 villages
    ("2026H1", T1, "disaster_officer_coverage_rate", "total", 50),
    ("2026H1", T2, "disaster_officer_coverage_rate", "total", 0),
    ("2026-05", D, "disaster_events", "total", 1),  # E2
    ("2026H2", D, "disaster_affected_persons", "total", 5),  # E3
    # --- veterans ---------------------------------------------------------------------------
    ("2026H1", D, "veterans_persons_end", "total", 3),  # P1, P2 (from 06-30), P4
    ("2026H1", D, "veterans_persons_end", "demobilized", 0),  # P3 ended on 06-30
    ("2026H1", T2, "veterans_persons_end", "martyr_family", 1),
    ("2026-05", D, "veterans_persons_end", "demobilized", 1),
    ("2026-05", D, "veterans_persons_end", "total", 3),  # P1, P3, P4
    ("2026H1", D, "veteran_funds", "total", 0.68),  # 6833.33 yuan
    ("2026H1", D, "veteran_funds", "disability_pension", 0.6),
    ("2026H1", D, "veteran_funds", "elderly_allowance", 0.03),
    ("2026H1", T1, "veteran_funds", "total", 0.65),
    ("2026H1", D, "soldiers_received", "total", 2),
    ("2026H1", D, "soldiers_received", "retired", 0),
    ("2026H1", T2, "soldiers_received", "assigned_job", 1),
    ("2026H1", D, "soldiers_self_employed_share", "total", 50),
    ("2026H1", T2, "soldiers_self_employed_share", "total", 0),
    ("2026H1", D, "soldiers_one_off_subsidy", "total", 3),
    ("2026", D, "soldiers_received", "total", 3),
    # --- targets of 2026 ----------------------------------------------------------------------
    ("2026H1", D, "target_completion_rate", "dibao_households_end:total", 50),  # 4 / 8
    ("2026H1", D, "target_completion_rate", "temp_assist_funds:total", 91.02),  # 2.730555 / 3
    ("2026H1", D, "target_completion_rate", "dibao_persons_end:urban", 25),  # 4 / 16
    # --- quarters (v2): Q1 = Jan-Mar, Q2 = Apr-Jun, Q3 = Jul-Sep -----------------------------
    ("2026Q2", D, "dibao_households_end", "total", 4),  # June's roster, as for H1
    ("2026Q2", D, "dibao_household_months", "total", 11),  # 3+4+4
    ("2026Q2", D, "dibao_funds", "total", 0.9),
    ("2026Q2", D, "dibao_new_households", "total", 2),  # April adds none: March has no roster
    ("2026Q3", D, "dibao_households_end", "total", 0),  # no September roster
    # July (Q3's first month) against June (Q2's last): the m−1 of a quarter's first month
    # is history from the quarter before
    ("2026Q3", D, "dibao_exited_households", "total", 4),
    ("2026Q1", D, "temp_assist_cases", "total", 1),  # C1 on 02-15
    ("2026Q1", D, "temp_assist_funds", "total", 2.68),  # 26750 yuan = 2.675 → half-up
    ("2026Q2", D, "temp_assist_funds", "total", 0.06),  # C2 555.55 yuan on 06-30
    ("2026Q3", D, "temp_assist_persons", "total", 2),  # C3 on 07-01
    ("2026Q1", D, "soldiers_received", "total", 1),  # S1 03-01
    ("2026Q3", D, "soldiers_received", "total", 1),  # S3 08-01
    ("2026Q2", D, "target_completion_rate", "dibao_households_end:total", 50),  # 4 / 8
]

# (period, region, indicator, breakdown, numerator, denominator), unrounded
FRACTIONS = [
    ("2026H1", D, "dibao_avg_subsidy", "urban", 5500, 14),
    ("2026H1", D, "dibao_coverage_rate", "urban", 4, 1500),
    ("2026H1", D, "gap_standard_ratio", "total", 1100, 750),
    ("2026H1", D, "disaster_initial_report_timely_rate", "total", 1, 3),
    ("2026H1", D, "disaster_relief_per_capita", "total", 15000, 80),
    ("2026H1", D, "disaster_officer_coverage_rate", "total", 1, 4),
    ("2026H1", T2, "soldiers_self_employed_share", "total", 0, 1),
    ("2026H1", D, "target_completion_rate", "dibao_households_end:total", 4, 8),
    ("2026H1", D, "target_completion_rate", "temp_assist_funds:total", 2.730555, 3),
]

# Rates and ratios with a 0 denominator (or a missing side): no row at all.
ABSENT = [
    ("2026H1", T1, "dibao_coverage_rate", "rural"),  # T1 has no rural population
    ("2026H1", T2, "dibao_coverage_rate", "urban"),  # T2 has no urban population
    ("2026H1", T1, "dibao_avg_subsidy", "rural"),  # no rural person-months in T1
    ("2026H1", T1, "gap_coverage_pp", "total"),
    ("2026H1", T1, "gap_subsidy_ratio", "total"),
    ("2026H1", T1, "disaster_relief_per_capita", "total"),  # 0 relief persons
    ("2026H1", T1, "dibao_standard", "city"),  # district only
    ("2026-07", D, "dibao_avg_subsidy", "total"),  # no roster in July
    ("2026-02", D, "soldiers_self_employed_share", "total"),
]

PERIODS = {
    "2026-02": "month", "2026-03": "month", "2026-04": "month", "2026-05": "month",
    "2026-06": "month", "2026-07": "month", "2026-08": "month",
    "2026Q1": "quarter", "2026Q2": "quarter", "2026Q3": "quarter",
    "2026H1": "half_year", "2026H2": "half_year", "2026": "year",
}
