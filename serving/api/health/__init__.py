"""Liveness and readiness: database, champion models, latest ranking."""
