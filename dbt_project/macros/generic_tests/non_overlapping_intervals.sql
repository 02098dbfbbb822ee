{#- Validity intervals [start, end) of one series must not overlap, or an "as of" query would
    return two current figures of the same series at once. A NULL end is open-ended; an empty
    interval (end = start) never applies and is ignored. -#}
{% test non_overlapping_intervals(model, partition_by, start_column, end_column) %}
with

intervals as (

    select
        {% for column in partition_by %}{{ column }}, {% endfor %}
        {{ start_column }} as interval_start,
        {{ end_column }} as interval_end,
        row_number() over () as interval_id
    from {{ model }}
    where {{ end_column }} is null or {{ start_column }} < {{ end_column }}

)

select
    {% for column in partition_by %}one.{{ column }}, {% endfor %}
    one.interval_start,
    one.interval_end,
    other.interval_start as overlapping_start,
    other.interval_end as overlapping_end
from intervals as one
inner join intervals as other
    on
        {% for column in partition_by %}one.{{ column }} = other.{{ column }} and {% endfor %}
        one.interval_id < other.interval_id
where
    (other.interval_end is null or one.interval_start < other.interval_end)
    and (one.interval_end is null or other.interval_start < one.interval_end)
{% endtest %}
