{#- A list's name reduced to what identifies it: lower case, no quotation marks (commissions wrap
    names in «», „“ or ""), one apostrophe form, single spaces. Letters keep their diacritics:
    in Cyrillic "й" is not "и". -#}
{% macro list_name_key(expression) -%}
    lower(trim(regexp_replace(
        regexp_replace(replace({{ expression }}, '’', ''''), '[«»„“”‟"]', '', 'g'), '\s+', ' ', 'g'
    )))
{%- endmacro %}
