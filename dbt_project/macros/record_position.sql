{#- The position of a record inside its payload, read from the loader's locator
    (`bulletins[3]` -> 3, `line 17` -> 17): later in a payload means published later. -#}
{% macro record_position(locator) -%}
    try_cast(regexp_extract({{ locator }}, '(\d+)\D*$', 1) as integer)
{%- endmacro %}
