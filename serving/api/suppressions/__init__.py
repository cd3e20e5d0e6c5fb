"""Suppressions: a supervisor silences an entity for a period, with a reason."""
