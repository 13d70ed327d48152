"""Ingest: extract text (stage 1) -> strip page furniture (stage 2) -> structure (stage 3)."""
