{#-
  How civstat's `table` and `view` materializations (table_replaced.sql, view_replaced.sql)
  build a model: `target_relation` is replaced inside one transaction by `create_sql`, after
  a `drop … if exists` of the model's old relation in the same statement. Returns the
  materialization's result.
-#}
{% macro civstat_replace_in_place(target_relation, create_sql) %}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set leftover_tmp = load_cached_relation(make_intermediate_relation(target_relation)) -%}
  {%- set leftover_backup = load_cached_relation(
      make_backup_relation(target_relation, target_relation.type)) -%}
  {{ drop_relation_if_exists(leftover_tmp) }}
  {{ drop_relation_if_exists(leftover_backup) }}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  -- `BEGIN` happens here:
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {% call statement("main") -%}
    {%- if existing_relation is not none %}
    drop {{ existing_relation.type }} if exists {{ existing_relation }};
    {%- endif %}
    {{ create_sql }}
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
{% endmacro %}
