"""Do the tender features light the planted schemes' tenders? (the shared generated world)

For each scheme planted through tenders, the feature designed to catch it must rank the
scheme's in-scope tenders clearly above honest ones: AUROC >= 0.8 with at least 10 members.
The generator (data_contracts/synthetic/schemes) plants:
- bid_rigging: rings of firms tied by a shared owner, relative, phone, address or manager
  bid together and rotate wins -> the bidders are linked (R044);
- conflict_of_interest: a relative or associate of the buyer's head owns the winner;
- revolving_door: a former official of the buyer runs the winner;
- shell_company: a nominee (an associate or relative) of the buyer's head registers the winner
  weeks before it wins (young_winner separates too, but only at about 0.80: later wins of a
  shell come more than a year after its registration, so it is not asserted);
- split_purchase: pieces of one purchase at 85-99.9% of the open-tender threshold, direct or
  limited -> just below the threshold the data reveal;
- tailored_tender: competitive procedures where only the favourite's bid stands (a single bid,
  or all others disqualified);
- price_inflation: the favourite wins at or above the estimate (and contracts grow later).
Price inflation is planted in windows ending a year before the world's end, so few of its
tenders are in scope at the shared AS_OF: it is measured at an earlier as-of date.
"""

from __future__ import annotations

import datetime as dt

import pytest

from features.build import build_features
from tests.features.conftest import World, auroc, separation

MINIMUM_AUROC = 0.8
MINIMUM_MEMBERS = 10

DESIGNED = [
    ("bid_rigging", "tenderers_linked"),
    ("conflict_of_interest", "winner_linked_to_buyer_official"),
    ("revolving_door", "winner_former_buyer_official"),
    ("shell_company", "winner_linked_to_buyer_official"),
    ("split_purchase", "threshold_proximity"),
    ("split_purchase", "just_below_threshold"),
    ("tailored_tender", "single_valid_bid"),
]


@pytest.mark.parametrize(("scheme", "feature"), DESIGNED)
def test_feature_lights_its_scheme(world: World, scheme: str, feature: str):
    value, members = separation(world, "tender", scheme, feature)
    assert members >= MINIMUM_MEMBERS, f"{scheme}: only {members} tenders in scope"
    assert value >= MINIMUM_AUROC, f"{scheme} / {feature}: AUROC {value:.3f}"


PRICE_AS_OF = dt.date(2025, 10, 1)


def test_price_inflation_is_priced_above_the_estimate(world: World):
    frame = build_features(world.tables, PRICE_AS_OF, entity_types=("tender",))["tender"].frame
    values = frame.set_index("entity_id")["price_to_estimate"]
    members = sorted(world.involved("tender", "price_inflation") & set(values.index))
    honest = sorted(world.honest("tender") & set(values.index))
    assert len(members) >= MINIMUM_MEMBERS
    assert auroc(values.loc[members], values.loc[honest]) >= MINIMUM_AUROC


def test_honest_tenders_are_mostly_quiet(world: World):
    """The designed flags fire on few honest tenders (else a high AUROC would mean little)."""
    frame = world.features["tender"].frame.set_index("entity_id")
    honest = frame.loc[sorted(world.honest("tender") & set(frame.index))]
    for flag in ("tenderers_linked", "winner_linked_to_buyer_official",
                 "winner_former_buyer_official", "young_winner", "just_below_threshold"):
        assert honest[flag].fillna(0).mean() < 0.05, flag
