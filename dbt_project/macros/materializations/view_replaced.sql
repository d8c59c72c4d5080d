{#-
  The `view` materialization for civstat's warehouse: the view is replaced inside one
  transaction (`drop` of the old relation, then `create view … as`), instead of dbt's
  build beside it under `__dbt_tmp` and swap by two `rename`s and a `drop`: the same
  reason and the same safety as `table_replaced.sql`.
-#}
{% materialization view, adapter="duckdb" %}
  {%- set target_relation = this.incorporate(type="view") -%}
  {{ return(civstat_replace_in_place(target_relation, get_create_view_as_sql(target_relation, sql))) }}
{% endmaterialization %}
