"""Evidence: raw captures stored by content hash, and the hash-chained custody log."""
