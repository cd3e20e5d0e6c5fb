"""Monitoring tests: the service-database fixture of tests/serving, re-exported here so that
`database_url` (a migrated SQLite and PostgreSQL database per test) works in this directory."""

from tests.serving.conftest import database_url  # noqa: F401 - a fixture, used by name
