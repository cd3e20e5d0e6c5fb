"""The review queue: cases, their history and warnings, and the workflow's actions."""
