{#-
    The documents an incremental model keyed by document must (re)build: those it does not hold
    yet, and those whose status changed since it was built (a new version of their file
    superseded them, their file was removed or came back). A document's facts change only then:
    its extracted rows never change once loaded, so every other document's rows stay as they are.

    versions: a relation with document_id, source_file, source_status and is_current, one row per
    document (int_document_versions); document_column: the model's column holding the document id.
-#}
{% macro documents_to_rebuild(versions, document_column) %}
    select versions.document_id
    from {{ versions }} as versions
    left join (
        select distinct
            {{ document_column }} as document_id,
            source_file,
            source_status,
            is_current
        from {{ this }}
    ) as built
        on versions.document_id = built.document_id
    where
        built.document_id is null
        or built.source_file is distinct from versions.source_file
        or built.source_status is distinct from versions.source_status
        or built.is_current is distinct from versions.is_current
{% endmacro %}
