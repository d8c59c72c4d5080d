-- §2 社会救助: one row per (period, region_code, indicator, breakdown), unrounded.
{{ assemble_indicators('social_assistance', [
    'int_dibao_roster_indicators_computed',
    'int_dibao_change_indicators_computed',
    'int_dibao_standard_indicators_computed',
    'int_dibao_gap_indicators_computed',
    'int_lowincome_indicators_computed',
    'int_tekun_indicators_computed',
    'int_temp_assistance_indicators_computed',
    'int_dibao_member_indicators_computed',
    'int_dibao_temp_subsidy_indicators_computed',
]) }}
