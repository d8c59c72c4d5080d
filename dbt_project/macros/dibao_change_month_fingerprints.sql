{#- The months int_dibao_changes_computed compares (a spine month m whose m-1 has a roster),
    each with the fingerprint of what its change rows are made of: m-1's and m's roster
    (int_dibao_households_monthly.month_fingerprint, null where m has none). The model builds
    only the months whose fingerprint it does not hold yet, and its post-hook removes the
    rows of every (month, fingerprint) not in this list: a month no longer compared, or
    rebuilt (a month rebuilt to no change at all leaves no row to replace the old ones). -#}
{% macro dibao_change_month_fingerprints() -%}
    with

    rosters as (
        select
            households.month,
            any_value(households.month_fingerprint) as month_fingerprint
        from {{ ref('int_dibao_households_monthly') }} as households
        group by households.month
    )

    select
        spine.month,
        spine.previous_month,
        hash(spine.month, previous_roster.month_fingerprint, current_roster.month_fingerprint)
            as months_fingerprint
    from {{ ref('int_months_spined') }} as spine
    inner join rosters as previous_roster on spine.previous_month = previous_roster.month
    left join rosters as current_roster on spine.month = current_roster.month
{%- endmacro %}
