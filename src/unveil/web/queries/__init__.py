"""Queries of the pages over the read model, one module per resource (pure of HTTP)."""
