{#- Shares, turnout and thresholds are published in percent: 0 to 100, or unknown. -#}
{% test is_percentage(model, column_name) %}
select {{ column_name }} as failing_value
from {{ model }}
where {{ column_name }} < 0 or {{ column_name }} > 100
{% endtest %}
