{#- Generic test: every row satisfies a SQL boolean expression (rows that do not are failures). -#}
{% test expression_is_true(model, expression, column_name=none) %}
select *
from {{ model }}
where not ({{ expression }})
{% endtest %}
