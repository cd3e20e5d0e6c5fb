"""The reordered join in features.links gives the rows of the reference definition."""

from __future__ import annotations

import ibis
import pandas as pd

from features.asof import as_of_view
from features.links import awards_to_linked_enterprises, awards_to_linked_enterprises_of
from tests.features.conftest import AS_OF, World


def test_awards_to_linked_enterprises_of_matches_the_reference(world: World) -> None:
    v = as_of_view(world.tables, AS_OF)
    d = ibis.literal(AS_OF, type="date")
    reference = awards_to_linked_enterprises(v, d).to_pandas()
    fast = awards_to_linked_enterprises_of(v, d).to_pandas()
    columns = list(reference.columns)
    assert list(fast.columns) == columns
    assert len(reference) > 100
    ordered = [f.sort_values(columns).reset_index(drop=True) for f in (reference, fast)]
    pd.testing.assert_frame_equal(*ordered)
