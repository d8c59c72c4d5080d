{#-
  The `view` materialization for civstat's warehouse: the view is replaced inside one
  transaction (`drop` of the old relation, then `create view … as`), instead of dbt's
  build beside it under `__dbt_tmp` and swap by two `rename`s and a `drop`: the same
  reason and the same safety as `table_replaced.sql`.
-#}
{% materialization view, adapter="duckdb" %}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type="view") -%}
  {%- set leftover_tmp = load_cached_relation(make_intermediate_relation(target_relation)) -%}
  {%- set leftover_backup = load_cached_relation(make_backup_relation(target_relation, "view")) -%}
  {{ drop_relation_if_exists(leftover_tmp) }}
  {{ drop_relation_if_exists(leftover_backup) }}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  -- `BEGIN` happens here:
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {% call statement("main") -%}
    {%- if existing_relation is not none %}
    drop {{ existing_relation.type }} if exists {{ existing_relation }};
    {%- endif %}
    {{ get_create_view_as_sql(target_relation, sql) }}
  {%- endcall %}
  {#- the cache forgets the old relation (the runner then adds the new: `cache_added` keeps a known one) -#}
  {%- if existing_relation is not none %}
    {%- do adapter.cache_dropped(existing_relation) %}
  {%- endif %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {% do persist_docs(target_relation, model) %}
  -- `COMMIT` happens here
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({"relations": [target_relation]}) }}
{% endmaterialization %}
