{#-
  The `table` materialization for civstat's warehouse: the model's table is replaced
  inside one transaction (`drop` of the old relation, then `create table … as`), instead
  of dbt-duckdb's build beside it under `__dbt_tmp` and swap by two `rename`s and a `drop`.

  Why: every `adapter.rename_relation` / `adapter.drop_relation` is a macro run with a
  fresh context, ≈ 10–15 ms of dbt's Python each, three per model and run
  (docs/benchmarks.md, issue 18, thirteenth round). The table's rows and columns are the
  same: the same `create_table_as` statement builds it.

  Same safety: DuckDB's DDL is transactional, so a failing build rolls back the `drop`
  and the old table stays, as with the swap. That rests on dbt's `BEGIN` before the main
  statement (dbt-duckdb's default; a profile with `disable_transactions: true` would
  autocommit the `drop` on its own, so civstat's profile does not set it). Readers wait
  for the one writer anyway (one writer per DuckDB file). A `__dbt_tmp` / `__dbt_backup`
  left by an older civstat's interrupted run is dropped as before. Hooks run in their
  usual places; grants, foreign keys and DuckLake's partitioning, which dbt-duckdb's own
  materialization also handles, are not used by civstat's models.

  The body, shared with the view: replace_in_place.sql. Test:
  tests/dbt/test_dbt_materializations.py.
-#}
{% materialization table, adapter="duckdb", supported_languages=["sql"] %}
  {%- set target_relation = this.incorporate(type="table") -%}
  {{ return(civstat_replace_in_place(target_relation, create_table_as(False, target_relation, sql))) }}
{% endmaterialization %}
