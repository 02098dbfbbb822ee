{#- The columns of one figure the derive stage read (derived.*casualty_figures), as every source's
    staging model shapes them: `document_id` is the SQL of the document's id in casualty_report_id
    (a bulletin's id; 'reliefweb:' || report_id), so a part points at its whole by the same id. -#}
{% macro derived_figure_columns(document_id) -%}
        metric,
        cast(value as bigint) as value,
        cast(value_high as bigint) as value_high,
        qualifier,
        coalesce(counted, 'all') as counted,
        coalesce(scope, 'total') as scope,
        case when part_of is not null then {{ document_id }} || '#' || (part_of + 1) end as part_of_report_id,
        evidence,
        evidence_start,
        evidence_end,
        language
{%- endmacro %}
