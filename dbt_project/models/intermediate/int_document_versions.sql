-- One row per document version with its source names and whether it is current.
-- A version is current while some file in the folder holds it; removed when its files are gone
-- (its facts stay, flagged); superseded when its file now holds newer content.
with documents as (
    select * from {{ ref('stg_raw__documents') }}
),

sources as (
    select * from {{ ref('stg_raw__document_sources') }}
),

source_summary as (
    select
        document_id,
        min(source_file) filter (where valid_to is null and removed_at is null) as present_source_file,
        min(source_file) as any_source_file,
        string_agg(distinct source_file, ' | ' order by source_file) as source_files,
        count(distinct source_file) as source_file_count,
        bool_or(valid_to is null and removed_at is null) as has_present_source,
        bool_or(valid_to is null) as has_open_source,
        min(valid_from) as valid_from,
        max(valid_to) as superseded_at,
        -- A file that came back after it had gone keeps that removal in its history; the
        -- version's removal time is that of its open row only.
        max(removed_at) filter (where valid_to is null) as removed_at
    from sources
    group by document_id
),

final as (
    select
        -- The text stays in raw.documents (the source of every quote): copying it into this
        -- table on every build would cost more than all the other columns together.
        -- original_text is a column of documents, named by EXCLUDE: no qualifier is possible.
        documents.* exclude (original_text),  -- noqa: RF02
        coalesce(
            source_summary.present_source_file, source_summary.any_source_file, documents.first_source_file
        ) as source_file,
        source_summary.source_files,
        coalesce(source_summary.source_file_count, 0) as source_file_count,
        source_summary.valid_from,
        case
            when source_summary.has_present_source then 'current'
            when source_summary.has_open_source then 'removed'
            else 'superseded'
        end as source_status,
        coalesce(source_summary.has_present_source, false) as is_current,
        case when not source_summary.has_open_source then source_summary.superseded_at end as valid_to,
        source_summary.removed_at
    from documents
    left join source_summary using (document_id)
)

select * from final
