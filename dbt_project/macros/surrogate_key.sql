{#- The one way the warehouse makes a key from values: md5 of the parts joined by |. Every key the
    marts join on is made here, so a fact's key and its dimension row's key always agree. -#}
{% macro surrogate_key(parts) -%}
    md5({{ parts | join(" || '|' || ") }})
{%- endmacro %}

{#- An indicator: its catalogue code, or the phrase a report words it with when no code matched. -#}
{% macro indicator_key(code, phrase='null') -%}
    {{ surrogate_key(["coalesce(" ~ code ~ ", 'phrase:' || " ~ phrase ~ ")"]) }}
{%- endmacro %}

{#- A program by its name; a fact of no named program has the program (none). -#}
{% macro program_key(name) -%}
    {{ surrogate_key(["coalesce(" ~ name ~ ", '(none)')"]) }}
{%- endmacro %}

{#- A fact: its document and its position there, zero-padded to five digits so that ids sort as the
    facts stand; printf pads without cutting, where lpad would cut the 100,000th fact's 100000 to
    10000 and give two facts one id. -#}
{% macro fact_id(document_id, fact_index) -%}
    {{ document_id }} || ':' || printf('%05d', {{ fact_index }})
{%- endmacro %}
