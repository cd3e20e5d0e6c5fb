"""Rankings: the daily ranking per entity type, with change against the previous run."""
