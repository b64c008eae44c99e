"""Publish stage: CSV, Parquet, Data Package, DCAT-AP catalogue, written atomically."""
