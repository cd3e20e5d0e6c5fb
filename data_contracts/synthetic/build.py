"""The order in which a world is made, stage by stage, each with its own random stream."""

from __future__ import annotations

from data_contracts.synthetic.bidding import build_bids
from data_contracts.synthetic.cases import build_cases
from data_contracts.synthetic.config import WorldConfig
from data_contracts.synthetic.confounders import plant_confounders
from data_contracts.synthetic.contracts import build_contracts
from data_contracts.synthetic.enterprises import build_enterprises
from data_contracts.synthetic.lifecycle import deregister
from data_contracts.synthetic.penalties import build_penalties, penalise_confirmed
from data_contracts.synthetic.progress import Progress
from data_contracts.synthetic.registry import build_registry
from data_contracts.synthetic.sampling import stage_rng
from data_contracts.synthetic.schemes import SCHEME_MODULES, split_purchase
from data_contracts.synthetic.tenders import build_tenders
from data_contracts.synthetic.truth import settle_spans
from data_contracts.synthetic.world import World


def build_world(config: WorldConfig, progress: Progress) -> World:
    world = World(config)
    seed = config.seed

    def rng(stage: str):
        return stage_rng(seed, stage)

    with progress.stage("registry: regions, units, posts, officials, relatives"):
        build_registry(world, rng("registry"))
    progress.say(
        f"  {len(world.units):,} units, {len(world.posts):,} posts, {len(world.persons):,} persons"
    )
    with progress.stage("enterprises, owners and honest confounders"):
        build_enterprises(world, rng("enterprises"))
        plant_confounders(world, rng("confounders"))
    progress.say(f"  {len(world.enterprises):,} enterprises, {len(world.roles):,} roles")
    # Split pieces are tenders of their own: plant them first, the honest stream fills up the rest.
    with progress.stage("scheme split_purchase"):
        split_purchase.plant(world, rng("split_purchase"))
    with progress.stage("tenders"):
        build_tenders(world, rng("tenders"), config.tenders - len(world.tenders))
    for name, module in SCHEME_MODULES.items():
        if name == "split_purchase":
            continue
        with progress.stage(f"scheme {name}"):
            module.plant(world, rng(name))
    with progress.stage("bids and awards"):
        winners = build_bids(world, rng("bids"), progress.say)
    with progress.stage("contracts"):
        build_contracts(world, rng("contracts"), winners)
    with progress.stage("deregistrations, penalties, cases"):
        deregister(world, rng("lifecycle"))
        settle_spans(world)
        build_penalties(world, rng("penalties"))
        build_cases(world, rng("cases"), rng("spot_checks"))
        penalise_confirmed(world, rng("penalised"))
    return world
