"""Notifications: what supervisors are told (escalations)."""
