-- §5b 医疗救助: one row per (period, region_code, indicator, breakdown), unrounded.
{{ assemble_indicators('medical_assistance', ['int_medical_assistance_indicators_computed']) }}
