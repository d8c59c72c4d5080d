{#- Whole years from `birth` to `day` (both dates), indicators v2 §1: one less while the
    day's (month, day) comes before the birthday's, so a person born on 29 February turns
    a year older on 1 March in common years. ingest/ages.py writes the same rule for
    stage 2. -#}
{% macro age_on(birth, day) -%}
    (
        year({{ day }}) - year({{ birth }})
        - case
            when month({{ day }}) * 100 + day({{ day }}) < month({{ birth }}) * 100 + day({{ birth }})
                then 1
            else 0
        end
    )
{%- endmacro %}

{#- The birth date of an ID-number text: digits 7–14 of 18, or 19 + digits 7–12 of a
    15-digit legacy number; NULL when it is not a real date. -#}
{% macro birth_date_of(id_number) -%}
    cast(try_strptime(
        case
            when length({{ id_number }}) = 15 then '19' || substr({{ id_number }}, 7, 6)
            else substr({{ id_number }}, 7, 8)
        end,
        '%Y%m%d'
    ) as date)
{%- endmacro %}
