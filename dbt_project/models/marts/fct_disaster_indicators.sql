-- §3 救灾: one row per (period, region_code, indicator, breakdown), unrounded.
{{ assemble_indicators('disasters', [
    'int_disaster_indicators_computed',
    'int_disaster_relief_indicators_computed',
]) }}
