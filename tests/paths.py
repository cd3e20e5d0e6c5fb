"""Where the tests find the project's reference material: `../shared` beside the checkout,
as on every developer machine and in CI (a clean clone with shared/ beside it)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CARDINAL_FIXTURES = SHARED / "golden" / "cardinal"
