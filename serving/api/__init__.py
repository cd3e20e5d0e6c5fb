"""The HTTP API of huoyan: rankings, dossiers, what-if scoring, the review queue, suppressions,
notifications, the audit log and the model registry, under /api/v1 (and /health).

One package per domain, each with its router (`router.py`) and pydantic schemas (`schemas.py`)
side by side; what they share lives here: the app factory (`app.py`), per-request dependencies
(`deps.py`), who may call what (`permissions.py`), error bodies and handlers (`errors.py`) and the
state built once per process at startup (`state.py`).
"""
