"""The ranking after this one: its change columns follow a re-run of an earlier date.

Each ranking row carries `previous_score`, `previous_rank` and `previous_level`, read from the
latest earlier ranking of its type. Ranking 2026-08-01 again after 2026-09-01 exists changes
what 09-01 was compared with, so the job refreshes the next date's change columns from the
new rows, in the same transaction. E.g. T1 was rank 40 on 08-01 and rank 3 on 09-01 (+37); a
re-run of 08-01 now puts it at rank 5, so 09-01 shows rank 3 with previous rank 5 (+2). An
entity the re-run no longer ranks has no previous values on the next date.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, aliased

from serving.models import Ranking, RankingRun


def next_date(session: Session, entity_type: str, as_of: dt.date) -> dt.date | None:
    return session.scalar(select(func.min(RankingRun.as_of)).where(
        RankingRun.entity_type == entity_type, RankingRun.as_of > as_of))


def refresh_next_change(session: Session, *, entity_type: str, as_of: dt.date) -> dt.date | None:
    """Point the next ranking's previous_* at the rows of `as_of`; the date refreshed, if any."""
    following = next_date(session, entity_type, as_of)
    if following is None:
        return None
    earlier = aliased(Ranking)

    def of_earlier(column):  # noqa: ANN001, ANN202 - a correlated scalar subquery
        return (select(column).where(earlier.as_of == as_of,
                                     earlier.entity_type == entity_type,
                                     earlier.entity_id == Ranking.entity_id)
                .scalar_subquery())

    session.execute(
        update(Ranking)
        .where(Ranking.as_of == following, Ranking.entity_type == entity_type)
        .values(previous_score=of_earlier(earlier.score), previous_rank=of_earlier(earlier.rank),
                previous_level=of_earlier(earlier.level))
        .execution_options(synchronize_session=False))
    return following
