-- §4 优抚安置: one row per (period, region_code, indicator, breakdown), unrounded.
{{ assemble_indicators('veterans', ['int_veteran_indicators_computed']) }}
