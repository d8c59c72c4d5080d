{#- The marriage-party age band of indicators v2 §5a (20_24, 25_29, 30_34, 35_39, 40_plus);
    null for no age, 'under_20' where a row could hold one (ingest quarantines those). -#}
{% macro marriage_age_band(age) -%}
    case
        when {{ age }} is null then null
        when {{ age }} < 20 then 'under_20'
        when {{ age }} < 25 then '20_24'
        when {{ age }} < 30 then '25_29'
        when {{ age }} < 35 then '30_34'
        when {{ age }} < 40 then '35_39'
        else '40_plus'
    end
{%- endmacro %}
