{#- Round half away from zero (四舍五入) to `digits` decimals.
    DuckDB's round() on DOUBLE works on the binary value (2.675 is stored as 2.67499…, so it
    gives 2.67). Casting to DECIMAL(38,10) first snaps the double to its nearest 10-decimal
    value, and round() on DECIMAL rounds half away from zero: 2.675 -> 2.68, 0.125 -> 0.13. -#}
{% macro round_half_up(expression, digits=2) -%}
    round(cast(({{ expression }}) as decimal(38, 10)), {{ digits }})
{%- endmacro %}
