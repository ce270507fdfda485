"""Journeys: the append-only event log and what feeds on it: rollups and facts for analytics, the outbox
and signed webhooks, the live stream, retention and privacy (erasure, purges)."""
