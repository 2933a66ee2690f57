{#- Generic test: within each group at most one row is flagged current (versioned history). -#}
{% test at_most_one_current(model, column_name, group_by) %}
select {{ group_by }}, count(*) as current_rows
from {{ model }}
where {{ column_name }}
group by {{ group_by }}
having count(*) > 1
{% endtest %}
