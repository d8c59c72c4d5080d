{#- The rows of `fingerprints` (a CTE with `month` and the column `fingerprint`) whose
    (month, fingerprint) the incremental model being built does not hold yet: every row on
    a first build or a full refresh. The models rebuilt month by month use it to pick the
    months to build (int_dibao_households_monthly, int_dibao_changes_computed). The table's
    columns are qualified: a bare name missing from the table would bind to the outer
    query's column of that name, and every month would look built (a table built whole by
    an older civstat has no fingerprint column: the model adds it in a pre-hook). -#}
{% macro months_not_built(fingerprints, fingerprint) -%}
    select {{ fingerprints }}.*
    from {{ fingerprints }}
    {%- if is_incremental() %}
        left join (
            select distinct
                built_rows.month,
                built_rows.{{ fingerprint }}
            from {{ this }} as built_rows
        ) as built
            on
                {{ fingerprints }}.month = built.month
                and {{ fingerprints }}.{{ fingerprint }} = built.{{ fingerprint }}
        where built.month is null
    {%- endif %}
{%- endmacro %}
