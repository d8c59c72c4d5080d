{#- Whole years from the birth date of an 18-character ID number (digits 7–14) to `day`
    (indicators v2 §1: a person born on 29 February turns a year older on 1 March in common
    years). Staging only: the raw ID number never leaves it. -#}
{% macro id_age_on(id_number, day) -%}
    (
        year({{ day }}) - cast(substr({{ id_number }}, 7, 4) as integer)
        - case
            when month({{ day }}) * 100 + day({{ day }})
                < cast(substr({{ id_number }}, 11, 4) as integer)
                then 1
            else 0
        end
    )
{%- endmacro %}
