"""Each planted scheme lights an enterprise feature; the honest confounders do not.

On the shared generated world (tests/features/conftest.py): for every scheme, the enterprises
involved score clearly above the honest ones on the feature that describes the scheme's trace
(AUROC >= 0.8, at least ten members in scope). Then the confounders the generator plants on
purpose: big incumbents win a lot (activity separates nobody from them) but carry no link
feature; officials' relatives and former officials who run firms stay away from the
officials' units; registration agents lend one address or phone to many unrelated firms.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.features.conftest import World, auroc, separation

MIN_AUROC = 0.8
MIN_MEMBERS = 10
W = 1095  # the network window (FeatureParams.network_window)

# The trace each scheme leaves on the enterprises involved, and how it is planted
# (data_contracts/synthetic/schemes/):
TRACES = {
    # a ring's members are tied to its leader by an owner, a relative, a phone, an address
    # or a manager, and bid against each other
    "bid_rigging": [f"linked_cobidders_{W}d", f"rotation_turns_{W}d",
                    f"cover_bid_share_{W}d"],
    # a head's relative or associate owns the firm that wins at his unit
    "conflict_of_interest": [f"kin_awards_{W}d", f"kin_award_share_{W}d"],
    # a nominee tied to the head founds a tiny firm that wins the unit's largest purchases,
    # at the estimate; without relations, the capital and the price still give it away
    "shell_company": [f"kin_awards_{W}d", f"won_to_capital_{W}d",
                      f"win_price_to_estimate_{W}d"],
    # a former official joins a firm that then wins at his old unit
    "revolving_door": [f"revolving_door_awards_{W}d", f"revolving_door_persons_{W}d"],
    # one purchase cut into direct/limited pieces below the threshold, to one supplier
    "split_purchase": [f"split_awards_{W}d"],
    # a specification written for the favourite: it wins alone or all others are disqualified
    "tailored_tender": [f"uncontested_wins_{W}d"],
    # the favourite's contracts grow 25-90% through amendments
    "price_inflation": [f"overrun_contracts_{W}d", f"cost_overrun_{W}d"],
}


@pytest.mark.parametrize(
    ("scheme", "feature"),
    [(scheme, feature) for scheme, features in TRACES.items() for feature in features],
)
def test_scheme_lights_its_enterprise_feature(world: World, scheme: str, feature: str) -> None:
    score, members = separation(world, "enterprise", scheme, feature)
    assert members >= MIN_MEMBERS, f"{scheme}: only {members} enterprises in scope"
    assert score >= MIN_AUROC, f"{scheme}: {feature} AUROC {score:.3f}"


def _frame(world: World) -> pd.DataFrame:
    return world.features["enterprise"].frame.set_index("entity_id")


def _honest(world: World) -> pd.DataFrame:
    f = _frame(world)
    return f.loc[sorted(world.honest("enterprise") & set(f.index))]


def _members(world: World, scheme: str) -> pd.DataFrame:
    f = _frame(world)
    return f.loc[sorted(world.involved("enterprise", scheme) & set(f.index))]


LINKS = [f"kin_awards_{W}d", f"revolving_door_awards_{W}d", f"linked_cobidders_{W}d",
         f"official_held_awards_{W}d"]


def test_big_incumbents_win_a_lot_but_carry_no_link(world: World) -> None:
    honest = _honest(world)
    big = honest[honest[f"wins_{W}d"] >= honest[f"wins_{W}d"].quantile(0.95)]
    assert len(big) >= 20 and big[f"wins_{W}d"].median() >= 5 * honest[f"wins_{W}d"].median()
    # Nearly none of them has a link to an official or a hidden link to a co-bidder ...
    assert (big[LINKS] > 0).any(axis=1).mean() <= 0.05
    # ... so against them, the schemes' link features keep separating while activity fails.
    for scheme, feature in (("conflict_of_interest", f"kin_awards_{W}d"),
                            ("revolving_door", f"revolving_door_awards_{W}d"),
                            ("bid_rigging", f"linked_cobidders_{W}d")):
        members = _members(world, scheme)
        assert auroc(members[feature], big[feature]) >= 0.9, (scheme, feature)
        assert auroc(members[f"wins_{W}d"], big[f"wins_{W}d"]) < 0.5, scheme


def _firms_of(world: World, persons: set[str]) -> set[str]:
    roles = world.dataset.enterprise_roles
    return set(roles[roles.person_id.isin(persons)].enterprise_id)


def test_officials_relatives_and_former_officials_running_honest_firms(world: World) -> None:
    data = world.dataset
    honest = _honest(world)
    officials = set(data.officials.person_id)
    relations = data.relations
    relatives = set(relations[relations.person_id.isin(officials)].related_person_id) - officials
    kin_firms = honest.loc[sorted(_firms_of(world, relatives) & set(honest.index))]
    former = set(data.officials[data.officials.end_date.notna()].person_id)
    former_firms = honest.loc[sorted(_firms_of(world, former) & set(honest.index))]
    assert len(kin_firms) >= 20 and len(former_firms) >= 10
    # They stay away from the officials' units: no award through the tie.
    assert (kin_firms[f"kin_awards_{W}d"] > 0).mean() <= 0.05
    assert (former_firms[f"revolving_door_awards_{W}d"] > 0).mean() <= 0.05
    # The schemes' firms, with the same kind of tie, do win through it.
    assert (_members(world, "conflict_of_interest")[f"kin_awards_{W}d"] > 0).mean() >= 0.8
    assert (_members(world, "revolving_door")[f"revolving_door_awards_{W}d"] > 0).mean() >= 0.8


def test_registration_agents_do_not_make_rings(world: World) -> None:
    firms = world.dataset.enterprises
    honest = _honest(world)
    shared = set()
    for column in ("address", "phone"):
        users = firms.groupby(column).enterprise_id.transform("size")
        shared |= set(firms[users >= 3].enterprise_id)  # an agent's address or phone
    clients = honest.loc[sorted(shared & set(honest.index))]
    assert len(clients) >= 50
    # Counting every shared contact (R044) flags many agent clients ...
    r044 = (clients[f"r044_shared_contact_tenders_{W}d"] > 0).mean()
    # ... leaving out contacts used by more than `shared_contact_limit` firms flags fewer,
    limited = (clients[f"cobidders_sharing_contact_{W}d"] > 0).mean()
    assert limited < r044
    # and the ring trace still stands out against them.
    ring = _members(world, "bid_rigging")
    feature = f"linked_cobidders_{W}d"
    assert auroc(ring[feature], clients[feature]) >= 0.9
