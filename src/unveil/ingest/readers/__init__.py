"""One reader per source format: ``read(source) -> Iterator[Row | Rejected]``."""
