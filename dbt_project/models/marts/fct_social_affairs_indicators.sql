-- §5a 社会事务: one row per (period, region_code, indicator, breakdown), unrounded.
{{ assemble_indicators('social_affairs', [
    'int_marriage_indicators_computed',
    'int_funeral_indicators_computed',
    'int_social_org_indicators_computed',
    'int_vagrant_indicators_computed',
    'int_committee_indicators_computed',
]) }}
