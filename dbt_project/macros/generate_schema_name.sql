{#- Schemas are named by layer (staging, intermediate, marts, reference), not prefixed with the
    target's default schema: analysts query marts.fact_indicator, not main_marts.fact_indicator. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name if custom_schema_name else target.schema }}
{%- endmacro %}
