"""Ingest: seed files into passages with offsets, embedded and stored in Chroma."""
