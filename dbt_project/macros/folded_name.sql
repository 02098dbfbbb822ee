{#- Country names compared the way the loader resolves them: case, accents, curly apostrophes
    and repeated spaces do not matter ("Côte d’Ivoire" = "cote d'ivoire"). -#}
{% macro folded_name(expression) -%}
    lower(trim(regexp_replace(replace(strip_accents({{ expression }}), '’', ''''), '\s+', ' ', 'g')))
{%- endmacro %}
