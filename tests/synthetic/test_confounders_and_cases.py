"""Honest look-alikes of every trace exist, and the case labels are selective like real ones."""

from __future__ import annotations

import pandas as pd

from data_contracts.synthetic.config import SCHEMES
from data_contracts.synthetic.spot_checks import SPOT_CHECK
from tests.synthetic.conftest import GeneratedWorld

MONTH = pd.Timedelta(days=30.44)


def honest_contracts(world: GeneratedWorld) -> pd.DataFrame:
    c = world.data.contracts
    return c[
        ~c["tender_id"].isin(world.involved("tender"))
        & ~c["enterprise_id"].isin(world.involved("enterprise"))
    ]


def test_big_incumbents_win_often_at_their_buyers(world: GeneratedWorld) -> None:
    d = world.data
    c = honest_contracts(world).merge(
        d.tenders[["tender_id", "unit_id", "category"]], on="tender_id"
    )
    c["division"] = c["category"].str[:2]
    per = c.groupby(["unit_id", "division", "enterprise_id"]).size().rename("wins").reset_index()
    total = c.groupby(["unit_id", "division"]).size().rename("all")
    per = per.join(total, on=["unit_id", "division"])
    dominant = per[(per["wins"] >= 5) & (per["wins"] >= 0.5 * per["all"])]
    assert len(dominant) >= 5
    firms = d.enterprises.set_index("enterprise_id").loc[dominant["enterprise_id"].unique()]
    everyone = d.enterprises
    assert firms["registered_capital"].median() > 1.5 * everyone["registered_capital"].median()
    assert firms["registered_on"].median() < everyone["registered_on"].median()
    assert (firms["ownership"] == "state").mean() > 2.5 * (everyone["ownership"] == "state").mean()


def test_thin_markets_have_many_honest_single_bids(world: GeneratedWorld) -> None:
    d = world.data
    t = d.tenders[
        (d.tenders["method"] != "direct") & ~d.tenders["tender_id"].isin(world.involved("tender"))
    ]
    bids = d.bids.groupby("tender_id").size().reindex(t["tender_id"]).dropna()
    single = (
        (bids == 1).groupby(t.set_index("tender_id").loc[bids.index, "category"].str[:2]).mean()
    )
    assert single["09"] >= 0.15 and single["85"] >= 0.07
    assert single["30"] <= 0.06 and single["45"] <= 0.06


def test_agent_addresses_and_phones_host_many_unrelated_firms(world: GeneratedWorld) -> None:
    e = world.data.enterprises
    honest = e[~e["enterprise_id"].isin(world.involved("enterprise"))]
    for column in ("address", "phone"):
        crowded = honest.groupby(column).size()
        assert (crowded >= 4).sum() >= 2, column


def _official_relatives_roles(world: GeneratedWorld) -> pd.DataFrame:
    d = world.data
    officials = set(d.officials["person_id"])
    rel = d.relations[
        d.relations["person_id"].isin(officials) & ~d.relations["related_person_id"].isin(officials)
    ]
    roles = d.enterprise_roles[
        d.enterprise_roles["role"].isin(["legal_representative", "shareholder"])
    ]
    return rel.merge(
        roles, left_on="related_person_id", right_on="person_id", suffixes=("", "_role")
    )


def test_officials_relatives_own_firms_that_stay_away_from_their_units(
    world: GeneratedWorld,
) -> None:
    d = world.data
    links = _official_relatives_roles(world)
    honest = links[~links["enterprise_id"].isin(world.involved("enterprise"))]
    assert honest["enterprise_id"].nunique() >= 15
    units = d.officials.groupby("person_id")["unit_id"].agg(set)
    sales = d.contracts.merge(d.tenders[["tender_id", "unit_id"]], on="tender_id")
    sold_to = sales.groupby("enterprise_id")["unit_id"].agg(set)
    at_own_unit = [
        bool(sold_to.get(f, set()) & units[p])
        for p, f in zip(honest["person_id"], honest["enterprise_id"], strict=True)
    ]
    assert not any(at_own_unit)
    assert honest["enterprise_id"].isin(sold_to.index).mean() >= 0.3  # they win fairly elsewhere


def test_former_officials_join_firms_that_do_not_supply_their_old_units(
    world: GeneratedWorld,
) -> None:
    d = world.data
    o = d.officials
    last_end = o.groupby("person_id")["end_date"].max()
    still_in = set(o.loc[o["end_date"].isna(), "person_id"])
    roles = d.enterprise_roles[
        d.enterprise_roles["person_id"].isin(o["person_id"])
        & ~d.enterprise_roles["person_id"].isin(still_in)
    ]
    roles = roles[roles["start_date"] > last_end.reindex(roles["person_id"]).to_numpy()]
    honest = roles[~roles["person_id"].isin(world.involved("official"))]
    assert len(honest) >= 5
    units = o.groupby("person_id")["unit_id"].agg(set)
    bids = d.bids.merge(d.tenders[["tender_id", "unit_id"]], on="tender_id")
    bid_at = bids.groupby("enterprise_id")["unit_id"].agg(set)
    assert not any(
        bid_at.get(f, set()) & units[p]
        for p, f in zip(honest["person_id"], honest["enterprise_id"], strict=True)
    )


def test_honest_urgent_tenders_and_honest_amendments(world: GeneratedWorld) -> None:
    d = world.data
    t = d.tenders[
        ~d.tenders["tender_id"].isin(world.involved("tender")) & (d.tenders["method"] == "open")
    ]
    period = (t["deadline"] - t["published_on"]).dt.days.dropna()
    assert 0.02 <= (period <= 21).mean() <= 0.15
    c = honest_contracts(world).dropna(subset=["amendments"])
    division = c["tender_id"].map(d.tenders.set_index("tender_id")["category"].str[:2])
    works, goods = c[division == "45"], c[division == "30"]
    assert works["amendments"].mean() > 5 * goods["amendments"].mean()
    assert (works["final_amount"] / works["amount"]).median() < 1.1


def test_honest_young_firms_also_win_soon_after_registration(world: GeneratedWorld) -> None:
    d = world.data
    c = honest_contracts(world).merge(
        d.enterprises[["enterprise_id", "registered_on"]], on="enterprise_id"
    )
    assert ((c["signed_on"] - c["registered_on"]) < 9 * MONTH).sum() >= 3


# --- cases -----------------------------------------------------------------------------------


def labelled_members(world: GeneratedWorld) -> pd.DataFrame:
    """Investigation rows naming a scheme member for that very scheme."""
    return investigations(world).merge(world.members, on=["entity_type", "entity_id", "scheme"])


def investigations(world: GeneratedWorld) -> pd.DataFrame:
    cases = world.data.cases
    return cases[cases["case_id"].str.startswith("JW")]


def spot_checks(world: GeneratedWorld) -> pd.DataFrame:
    cases = world.data.cases
    return cases[cases["case_id"].str.startswith("CC")]


def test_cases_respect_the_calendar(world: GeneratedWorld) -> None:
    cases = world.data.cases
    end = pd.Timestamp(world.config.end)
    cutoff = end - world.config.unlabelled_months * MONTH
    assert (cases["opened_on"] <= cutoff).all()
    assert (cases["closed_on"].dropna() <= end).all()
    assert ((cases["closed_on"] >= cases["opened_on"]) | cases["closed_on"].isna()).all()
    assert (cases["closed_on"].isna() == cases["outcome"].isna()).all()
    assert cases["closed_on"].isna().any()  # some are still open
    assert set(cases["entity_type"]) == {"official", "enterprise", "tender"}
    assert set(cases["scheme"]) <= {*SCHEMES, SPOT_CHECK}
    labelled = labelled_members(world)
    labelled["started_on"] = labelled["scheme_id"].map(
        world.schemes.set_index("scheme_id")["started_on"]
    )
    # an entity may belong to several instances of a scheme: the case follows the earliest start
    per_case = labelled.groupby("case_id").agg(
        opened=("opened_on", "first"), started=("started_on", "min")
    )
    assert (per_case["opened"] >= per_case["started"]).all()


def test_only_part_of_the_schemes_is_labelled(world: GeneratedWorld) -> None:
    labelled = labelled_members(world)
    share = (
        labelled.groupby("scheme")["scheme_id"].nunique() / world.schemes.groupby("scheme").size()
    )
    assert set(share.index) == set(SCHEMES)
    assert (share < 0.9).all() and (share > 0.05).all()
    overall = labelled["scheme_id"].nunique() / len(world.schemes)
    assert 0.15 <= overall <= 0.55  # investigated 0.4, minus the recent, not yet opened
    cutoff = pd.Timestamp(world.config.end) - world.config.unlabelled_months * MONTH
    recent = world.schemes.loc[world.schemes["started_on"] > cutoff, "scheme_id"]
    recent_tenders = world.members[
        world.members["scheme_id"].isin(recent) & (world.members["entity_type"] == "tender")
    ]
    assert (
        len(recent_tenders)
        and not recent_tenders["entity_id"].isin(world.data.cases["entity_id"]).any()
    )
    outcomes = labelled.dropna(subset=["outcome"])["outcome"].value_counts(normalize=True)
    assert outcomes.index[0] == "confirmed" and outcomes["confirmed"] >= 0.4


def test_suspicious_innocents_are_investigated_and_mostly_dismissed(world: GeneratedWorld) -> None:
    cases = investigations(world)
    involved = world.members[["entity_type", "entity_id"]].drop_duplicates().assign(member=True)
    tagged = cases.merge(involved, on=["entity_type", "entity_id"], how="left")
    innocent = tagged[tagged["member"].isna()]
    assert len(innocent) >= 0.1 * len(cases)
    closed = innocent.dropna(subset=["outcome"])
    outcomes = closed["outcome"].value_counts(normalize=True)
    assert outcomes.index[0] == "dismissed" and outcomes["dismissed"] >= 0.5
    assert outcomes.get("confirmed", 0.0) <= 0.2
    assert set(innocent["entity_type"]) == {"official", "enterprise", "tender"}
    # they look suspicious: firms at crowded addresses and single-bid awards are among them
    e = world.data.enterprises
    crowded = e.groupby("address")["enterprise_id"].transform("size") >= 3
    assert innocent["entity_id"].isin(e.loc[crowded, "enterprise_id"]).any()
    single = world.data.bids.groupby("tender_id").size()
    assert innocent["entity_id"].isin(single[single == 1].index).any()


def test_spot_checks_draw_officials_and_firms_at_random_and_mostly_find_nothing(
    world: GeneratedWorld,
) -> None:
    spot, chosen = spot_checks(world), investigations(world)
    assert set(spot["entity_type"]) == {"official", "enterprise"}
    assert not spot.duplicated(["entity_type", "entity_id"]).any()  # once per entity
    # ~5% a year of officials in post / registered firms over the labelled years
    officials = world.data.officials["person_id"].nunique()
    assert 0.03 * officials < (spot["entity_type"] == "official").sum() < 0.3 * officials
    involved = world.members[["entity_type", "entity_id"]].drop_duplicates().assign(member=True)

    def member_share(cases: pd.DataFrame) -> float:
        tagged = cases.merge(involved, on=["entity_type", "entity_id"], how="left")
        return float(tagged["member"].notna().mean())

    # drawn at random: far fewer scheme members than among the investigated, but some
    assert 0.005 < member_share(spot) < 0.25 * member_share(chosen)
    found = spot[spot["scheme"] != SPOT_CHECK]
    assert len(found) and found.merge(world.members, on=["entity_type", "entity_id", "scheme"])[
        "case_id"].nunique() == len(found)  # a check names the scheme its entity was really in
    closed = spot.dropna(subset=["outcome"])
    nothing = closed[closed["scheme"] == SPOT_CHECK]["outcome"].value_counts(normalize=True)
    assert nothing.index[0] == "dismissed" and nothing["dismissed"] >= 0.6
    something = closed[closed["scheme"] != SPOT_CHECK]["outcome"].value_counts(normalize=True)
    assert something.index[0] == "confirmed"
