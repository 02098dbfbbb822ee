{#- Names compared loosely (used for chamber names): case, accents, curly apostrophes and
    repeated spaces do not matter ("Chambre des Députés" = "chambre des deputes"). Countries are
    not matched here: they are resolved once, by ingestion/countries.py, at load. -#}
{% macro folded_name(expression) -%}
    lower(trim(regexp_replace(replace(strip_accents({{ expression }}), '’', ''''), '\s+', ' ', 'g')))
{%- endmacro %}
