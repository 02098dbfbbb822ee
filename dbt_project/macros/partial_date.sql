{#- Raw keeps a date as the publisher sent it: YYYY-MM-DD, YYYY-MM or YYYY (older raw tables
    typed the column DATE, which reads back as YYYY-MM-DD). Staging gives the first day of the
    period and, beside it, the precision (day, month or year), so a month is never taken for a day. -#}
{% macro partial_date(column) -%}
    cast(
        case length(trim(cast({{ column }} as varchar)))
            when 4 then trim(cast({{ column }} as varchar)) || '-01-01'
            when 7 then trim(cast({{ column }} as varchar)) || '-01'
            else trim(cast({{ column }} as varchar))
        end as date
    )
{%- endmacro %}

{% macro partial_date_precision(column) -%}
    case length(trim(cast({{ column }} as varchar)))
        when 4 then 'year'
        when 7 then 'month'
        when 10 then 'day'
    end
{%- endmacro %}
