"""Unveil: find trafficking and smuggling networks in online traces and money transfers."""

__version__ = "0.1.0"
