{#-
    A raw table as one dbt run reads it. On a DuckLake the build sets ZHIBIAO_RAW_SNAPSHOT to the
    snapshot its fingerprint was taken at, and every model reads the raw tables at that snapshot:
    another writer's ingest that commits while dbt runs is left out of all of them alike (its own
    build's dbt adds it next), never taken into some models and not others. Unset (a DuckDB file,
    `zhibiao docs`): the table as it is.
-#}
{% macro raw_source(table_name) -%}
    {%- set snapshot = env_var('ZHIBIAO_RAW_SNAPSHOT', '') -%}
    {{ source('raw', table_name) }}{% if snapshot %} at (version => {{ snapshot | int }}){% endif %}
{%- endmacro %}
