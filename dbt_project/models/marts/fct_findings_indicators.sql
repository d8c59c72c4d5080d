-- §5c 数据比对发现: one row per (period, region_code, indicator, breakdown), unrounded.
{{ assemble_indicators('findings', [
    'int_cremated_without_death_record_found',
]) }}
