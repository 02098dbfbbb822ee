{#- The range of true counts a published figure allows, read from its wording, so that two
    authorities are said to disagree only when no single count could satisfy both:
    - exact: the number itself (a range "3 to 5" its bounds);
    - about: the number give or take rounding, i.e. the larger of 10% and half of the unit it is
      rounded to ("about 200" = 150..250, "about 7,000" = 6,300..7,700);
    - at_least: the number upwards; more_than: the next integer upwards; up_to: 0 to the number. -#}

{% macro figure_rounding_tolerance(value) -%}
    greatest(
        0.1 * {{ value }},
        0.5 * power(10, length(cast({{ value }} as varchar)) - length(rtrim(cast({{ value }} as varchar), '0')))
    )
{%- endmacro %}

{% macro figure_lower_bound(value, value_high, qualifier) -%}
    case {{ qualifier }}
        when 'about' then {{ value }} - {{ figure_rounding_tolerance(value) }}
        when 'more_than' then {{ value }} + 1.0
        when 'up_to' then 0.0
        else cast({{ value }} as double)
    end
{%- endmacro %}

{% macro figure_upper_bound(value, value_high, qualifier) -%}
    case
        when {{ qualifier }} = 'about'
            then coalesce({{ value_high }}, {{ value }}) + {{ figure_rounding_tolerance('coalesce(' ~ value_high ~ ', ' ~ value ~ ')') }}
        when {{ value_high }} is not null then cast({{ value_high }} as double)
        when {{ qualifier }} in ('at_least', 'more_than') then cast('infinity' as double)
        else cast({{ value }} as double)
    end
{%- endmacro %}
