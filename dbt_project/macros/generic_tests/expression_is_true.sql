{#- A row-level rule between columns (e.g. a margin equals share minus threshold); rows that
    break it are returned. -#}
{% test expression_is_true(model, expression) %}
select *
from {{ model }}
where not coalesce(({{ expression }}), false)
{% endtest %}
