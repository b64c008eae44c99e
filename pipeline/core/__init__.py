"""Shared pieces every stage uses: errors, paths, parameters, the source model, findings, schemas, tables."""
