"""Do the planted schemes that involve officials light an official feature?

Each scheme's officials (in scope at AS_OF) against honest officials, by AUROC of the one
feature meant to see it, and again against the honest officials who look alike (unit heads for
the schemes run by unit heads; officials out of post for the revolving door), so that the test
cannot pass on "he is a unit head" alone. The bid-rigging insiders are too few in the shared
world (a ring's insider is the head of a target unit for 40% of rings), so they get a world of
their own with more rings.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from data_contracts.loader import load_dataset
from features.backend import load
from features.build import build_features
from tests.features.conftest import AS_OF, WORLD_SEED, WORLD_TENDERS, World, auroc, separation

MIN_MEMBERS = 10
GOOD = 0.8

# scheme -> (feature that should light its officials, the honest look-alikes: feature == 1/0)
SCHEMES = {
    "conflict_of_interest": ("coi_value_share", ("unit_head", 1)),
    "shell_company": ("coi_awards", ("unit_head", 1)),
    "revolving_door": ("revolving_awards", ("in_post", 0)),
    "price_inflation": ("unit_final_ratio_mean", ("unit_head", 1)),
    "tailored_tender": ("unit_single_valid_rate", ("unit_head", 1)),
    "split_purchase": ("unit_threshold_dodges", ("unit_head", 1)),
}


def among(world: World, scheme: str, feature: str, column: str, value: float) -> float:
    """AUROC of `feature` for the scheme's officials against honest officials with column ==
    value."""
    frame = world.features["official"].frame.set_index("entity_id")
    members = sorted(world.involved("official", scheme) & set(frame.index))
    honest = frame.loc[sorted(world.honest("official") & set(frame.index))]
    alike = honest[honest[column] == value]
    assert len(alike) >= 50
    return auroc(frame.loc[members, feature], alike[feature])


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_scheme_lights_an_official_feature(world: World, scheme: str) -> None:
    feature, (column, value) = SCHEMES[scheme]
    score, n = separation(world, "official", scheme, feature)
    assert n >= MIN_MEMBERS, f"{scheme}: only {n} officials in scope"
    assert score >= GOOD, f"{scheme}: {feature} AUROC {score:.3f}"
    alike = among(world, scheme, feature, column, value)
    assert alike >= GOOD, f"{scheme}: {feature} AUROC among {column} == {value}: {alike:.3f}"


@pytest.fixture(scope="module")
def rigged(tmp_path_factory: pytest.TempPathFactory) -> World:
    """A world with three times the default share of rigged tenders (more insiders)."""
    directory = tmp_path_factory.mktemp("rigged") / "data"
    subprocess.run(
        [sys.executable, "-m", "huoyan", "generate", "--out", str(directory), "--seed",
         str(WORLD_SEED), "--tenders", str(WORLD_TENDERS), "--scheme", "bid_rigging=0.06",
         "--quiet"],
        check=True, capture_output=True, text=True,
    )
    dataset = load_dataset(directory)
    tables = load(dataset)
    members = pd.read_parquet(directory.parent / "data-truth" / "members.parquet")
    built = build_features(tables, AS_OF, entity_types=("official",))
    return World(directory, dataset, tables, members, built)


def test_bid_rigging_insiders_light_linked_bidders(rigged: World) -> None:
    score, n = separation(rigged, "official", "bid_rigging", "unit_linked_bidders_rate")
    assert n >= MIN_MEMBERS
    assert score >= GOOD, f"AUROC {score:.3f}"
    assert among(rigged, "bid_rigging", "unit_linked_bidders_rate", "unit_head", 1) >= GOOD


def test_relatives_firms_that_never_sell_to_his_units_do_not_light_conflict(world: World) -> None:
    """The generator gives some honest officials' relatives firms that stay away from the
    officials' units: family business, but no conflict of interest."""
    frame = world.features["official"].frame.set_index("entity_id")
    honest = frame.loc[sorted(world.honest("official") & set(frame.index))]
    confounded = honest[honest.family_enterprises > 0]
    assert len(confounded) >= 20
    coi = ["coi_awards", "coi_value", "coi_value_share", "coi_enterprises", "family_suppliers"]
    assert (confounded[coi] == 0).all().all()
    plain = honest[honest.family_enterprises == 0]
    for feature in coi:
        assert auroc(confounded[feature], plain[feature]) == pytest.approx(0.5)
    # ... while the conflict-of-interest officials do have such firms selling to their units
    involved = world.involved("official", "conflict_of_interest") & set(frame.index)
    members = frame.loc[sorted(involved)]
    assert (members.family_suppliers > 0).mean() > 0.9


def test_former_officials_with_honest_second_careers_do_not_light_revolving_door(
    world: World,
) -> None:
    frame = world.features["official"].frame.set_index("entity_id")
    honest = frame.loc[sorted(world.honest("official") & set(frame.index))]
    second_career = honest[(honest.in_post == 0) & (honest.own_enterprises > 0)]
    assert len(second_career) >= 1
    door = ["revolving_awards", "revolving_value", "exit_roles_at_suppliers"]
    assert (second_career[door] == 0).all().all()


def test_no_feature_reads_birth_year_or_gender(world: World) -> None:
    """Shuffling birth years between persons and blanking every gender changes no official
    feature value (one build: either change alone would show)."""
    persons = world.dataset.persons
    rng = np.random.default_rng(0)
    changed = persons.assign(
        birth_year=rng.permutation(persons["birth_year"].to_numpy()),
        gender=pd.Series(None, index=persons.index, dtype=persons["gender"].dtype),
    )
    assert (changed["birth_year"] != persons["birth_year"]).mean() > 0.5
    assert changed["gender"].isna().all() and persons["gender"].notna().any()
    tables = load(dataclasses.replace(world.dataset, persons=changed))
    got = build_features(tables, AS_OF, entity_types=("official",))["official"].frame
    pd.testing.assert_frame_equal(got, world.features["official"].frame)
