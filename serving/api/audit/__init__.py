"""The audit log: reading it and verifying its hash chain."""
