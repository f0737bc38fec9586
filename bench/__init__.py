"""Unveil's benchmarks: quality and speed, each beside a baseline measured in the same run."""
