with source as (
    select * from {{ raw_source('documents') }}
),

renamed as (
    select
        document_id,
        content_hash,
        source_file as first_source_file,
        encoding,
        decode_warning,
        text_format,
        cast(byte_size as bigint) as byte_size,
        cast(char_count as bigint) as char_count,
        original_text,
        title,
        issuer,
        cast(publish_date as date) as publish_date,
        document_number,
        region_code as document_region_code,
        period as document_period,
        period_type as document_period_type,
        period_start as document_period_start,
        period_end as document_period_end,
        region_basis as document_region_basis,
        region_evidence as document_region_evidence,
        period_basis as document_period_basis,
        period_evidence as document_period_evidence,
        extraction_warning,
        manifest_conflict,
        extractor_version,
        cast(loaded_at as timestamp) as loaded_at
    from source
)

select * from renamed
