"""What reads the built warehouse: read-only SQL, the facts export, Parquet export, charts, the docs
site. May import warehouse/ and extraction/; never Dagster."""
