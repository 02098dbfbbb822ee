{#- A published table with no rows means an upstream step silently dropped everything. -#}
{% test not_empty(model) %}
select 'no rows' as failure
where not exists (select 1 from {{ model }})
{% endtest %}
