with versions as (
    select * from {{ ref('int_document_versions') }}
),

fact_counts as (
    select
        document_id,
        count(*) as fact_count
    from {{ ref('stg_raw__facts') }}
    group by document_id
)

select
    versions.document_id as document_key,
    versions.content_hash,
    versions.source_file,
    versions.source_files,
    versions.source_file_count,
    versions.title,
    versions.issuer,
    versions.publish_date,
    versions.document_number,
    versions.document_region_code as region_key,
    coalesce(versions.document_period, 'unknown') as period_key,
    versions.document_region_basis as region_basis,
    versions.document_region_evidence as region_evidence,
    versions.document_period_basis as period_basis,
    versions.document_period_evidence as period_evidence,
    versions.encoding,
    versions.decode_warning,
    versions.extraction_warning,
    versions.manifest_conflict,
    versions.text_format,
    versions.byte_size,
    versions.char_count,
    coalesce(fact_counts.fact_count, 0) as fact_count,
    versions.source_status,
    versions.is_current,
    versions.valid_from,
    versions.valid_to,
    versions.removed_at,
    versions.extractor_version,
    versions.loaded_at
from versions
left join fact_counts using (document_id)
