{#- THE declaration of the paying rosters that the payments-after-death check reads
    (indicators v2 §5c). Each entry names the program (the breakdown of
    paid_after_death_*) and a relation with the columns month (first day), village_code,
    person_key (the keyed ID hash; NULL rows are skipped) and amount (yuan paid to that
    person for that month). A new paying roster joins the check by one entry here: no
    query is copied. int_payments_unioned reads this list. -#}
{% macro paying_rosters() -%}
    {{ return([
        {'program': 'dibao', 'relation': 'int_dibao_member_payments_listed'},
        {'program': 'tekun', 'relation': 'stg_raw__tekun_persons', 'amount': 'monthly_amount'},
        {'program': 'elderly', 'relation': 'stg_raw__elderly_subsidies'},
        {'program': 'child', 'relation': 'stg_raw__child_welfare_payments'},
        {'program': 'veteran', 'relation': 'int_veteran_payments_placed'},
    ]) }}
{%- endmacro %}
