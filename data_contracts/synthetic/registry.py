"""The public side of the world: regions, public bodies (units), their posts over time, the
officials who hold them and the officials' declared relatives.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_contracts.contract import RANKS
from data_contracts.synthetic.people import new_persons
from data_contracts.synthetic.sampling import top_k_weighted
from data_contracts.synthetic.timeline import YEAR, year_of
from data_contracts.synthetic.vocab import (
    CITIES,
    OFFICES,
    PLACE_FIRST,
    PLACE_SECOND,
    PROVINCES,
    STAFF_TITLES,
    UNIT_TEMPLATES,
)
from data_contracts.synthetic.world import World

# Share of units per level: few provinces, more cities, most counties and townships.
LEVEL_SHARES = {"province": 0.03, "city": 0.25, "county": 0.45, "township": 0.22, "village": 0.05}
LEVEL_PURCHASING = {"province": 2.2, "city": 1.6, "county": 1.0, "township": 0.45, "village": 0.25}
UNITS_PER_PLACE = {"county": 9.0, "township": 2.5, "village": 1.5}
PLACE_SUFFIXES = {
    "county": ("区", "县", "县", "市"),
    "township": ("镇", "镇", "乡", "街道"),
    "village": ("村",),
}

# Seats per unit below the head: (deputies, section chiefs, staff) by level.
SEATS = {
    "province": (3, 4, 4),
    "city": (2, 3, 3),
    "county": (1, 2, 2),
    "township": (1, 1, 2),
    "village": (0, 0, 1),
}
HISTORY_YEARS = 8.0  # posts are known from this long before the procurement period
# Mean tenure in years, and the share of post changes that are rotations of the same person.
TENURE_YEARS = {"head": 4.5, "other": 5.0}
P_ROTATION = 0.7
P_PROMOTION = 0.25
# Age at a first post by rank, and the share of men by highest rank (leading ranks skew male).
FIRST_POST_AGE = {
    "leading": (42, 52),
    "department": (35, 48),
    "section": (28, 42),
    "staff": (22, 35),
}
P_MALE = {"leading": 0.85, "department": 0.75, "section": 0.62, "staff": 0.5}

# Declared relatives per official: (relation, probability, birth offset range in years).
RELATIVES = (
    ("spouse", 0.85, (-4, 4)),
    ("child", 0.75, (24, 34)),
    ("child", 0.2, (27, 38)),
    ("parent", 0.3, (-35, -22)),
    ("sibling", 0.4, (-8, 8)),
    ("in_law", 0.2, (-12, 12)),
    ("other_relative", 0.1, (-20, 20)),
    ("associate", 0.12, (-15, 15)),
)
RELATION_SOURCES = {
    "family": (("hr_declaration", "household_registry"), (0.7, 0.3)),
    "associate": (("hr_declaration", "enterprise_registry", "public_report"), (0.4, 0.35, 0.25)),
}


def relation_sources(rng: np.random.Generator, relation: np.ndarray) -> np.ndarray:
    """Where a link came from; one distribution for honest and scheme links alike."""
    family_values, family_p = RELATION_SOURCES["family"]
    assoc_values, assoc_p = RELATION_SOURCES["associate"]
    n = len(relation)
    family = np.asarray(family_values)[rng.choice(len(family_values), n, p=family_p)]
    assoc = np.asarray(assoc_values)[rng.choice(len(assoc_values), n, p=assoc_p)]
    return np.where(relation == "associate", assoc, family)


def build_registry(world: World, rng: np.random.Generator) -> None:
    world.regions = _regions(world, rng)
    world.places = _places(world, rng)
    world.units = _units(world, rng)
    posts = _posts(world, rng)
    world.posts = _persons_for_posts(world, posts, rng)
    _relatives(world, rng)


def _regions(world: World, rng: np.random.Generator) -> pd.DataFrame:
    cities = pd.DataFrame(CITIES, columns=["code", "city", "area"])
    cities["province_code"] = cities["code"].str[:2]
    cities["order_in_province"] = cities.groupby("province_code").cumcount()
    # Capitals first, then second cities, so a small world still spans several provinces.
    province_order = {code: i for i, code in enumerate(PROVINCES)}
    cities["province_order"] = cities["province_code"].map(province_order)
    cities = cities.sort_values(["order_in_province", "province_order"]).head(
        world.config.n_regions
    )
    cities = cities.sort_values("code").reset_index(drop=True)
    cities["province"] = cities["province_code"].map(PROVINCES)
    cities["capital"] = cities["order_in_province"] == 0
    cities["weight"] = rng.lognormal(0, 0.5, len(cities)) * np.where(cities["capital"], 1.8, 1.0)
    return cities[["code", "city", "area", "province", "province_code", "capital", "weight"]]


def _place_names(
    rng: np.random.Generator, counts: np.ndarray, suffixes: tuple[str, ...]
) -> np.ndarray:
    """Invented names, distinct within each group of `counts` (e.g. the counties of a region)."""
    combos = np.char.add(*np.meshgrid(PLACE_FIRST, PLACE_SECOND, indexing="ij")).ravel()
    combos = combos[rng.permutation(len(combos))]
    offsets = rng.integers(0, len(combos), len(counts))
    within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    picks = (np.repeat(offsets, counts) + within) % len(combos)
    suffix = np.asarray(suffixes)[rng.integers(0, len(suffixes), counts.sum())]
    return np.char.add(combos[picks], suffix)


def _places(world: World, rng: np.random.Generator) -> pd.DataFrame:
    """Provinces, cities (= regions), counties, townships and villages, each in a region.

    A place's name carries its parent's where a real body's name would: 南京市江宁区, 江宁区青山镇.
    """
    regions = world.regions
    n_units = world.config.n_units
    frames = [
        pd.DataFrame(
            {
                "level": "province",
                "region": regions.index[regions["capital"]],
                "name": regions.loc[regions["capital"], "province"].to_numpy(),
            }
        ),
        pd.DataFrame({"level": "city", "region": regions.index, "name": regions["city"]}),
    ]
    parent_region = regions.index.to_numpy()
    parent_name = regions["city"].to_numpy().astype(str)
    p_parent = regions["weight"].to_numpy() / regions["weight"].sum()
    for level in ("county", "township", "village"):
        n_places = max(1, int(np.ceil(n_units * LEVEL_SHARES[level] / UNITS_PER_PLACE[level])))
        parent = np.sort(rng.choice(len(parent_region), n_places, p=p_parent))
        counts = np.bincount(parent, minlength=len(parent_region))
        own = _place_names(rng, counts, PLACE_SUFFIXES[level])
        full = own if level == "village" else np.char.add(parent_name[parent], own)
        frames.append(pd.DataFrame({"level": level, "region": parent_region[parent], "name": full}))
        parent_region, parent_name = parent_region[parent], own
        p_parent = np.full(len(parent), 1.0 / len(parent))
    places = pd.concat(frames, ignore_index=True)
    places["weight"] = rng.lognormal(0, 0.4, len(places))
    return places


def _units(world: World, rng: np.random.Generator) -> pd.DataFrame:
    """Public bodies: a sample of (place, kind of body) pairs per level, regulators guaranteed."""
    places = world.places
    templates = pd.DataFrame(
        {
            "template": [t.key for t in UNIT_TEMPLATES],
            "sector": [t.sector for t in UNIT_TEMPLATES],
            "head_title": [t.head_title for t in UNIT_TEMPLATES],
            "t_weight": [t.weight for t in UNIT_TEMPLATES],
            "regulates": [",".join(t.regulates) for t in UNIT_TEMPLATES],
            "core": [t.core for t in UNIT_TEMPLATES],
        }
    )
    suffixes = pd.DataFrame(
        [(t.key, level, suffix) for t in UNIT_TEMPLATES for level, suffix in t.names.items()],
        columns=["template", "level", "suffix"],
    )
    candidates = (
        places.reset_index(names="place")
        .merge(suffixes, on="level")
        .merge(templates, on="template")
    )
    chosen = []
    for level, share in LEVEL_SHARES.items():
        pool = candidates[candidates["level"] == level]
        n = max(1, round(world.config.n_units * share))
        forced = pool.index[pool["core"] & (level == "city")]
        rest = pool.drop(forced)
        picked = top_k_weighted(
            rng, (rest["t_weight"] * rest["weight"]).to_numpy(), n - len(forced)
        )
        chosen.append(pool.loc[forced])
        chosen.append(rest.iloc[picked])
    units = pd.concat(chosen, ignore_index=True)
    units = units.sort_values(["region", "level", "place", "template"], kind="stable").reset_index(
        drop=True
    )
    units["name"] = units["name"] + units["suffix"]
    units["region_code"] = world.regions["code"].to_numpy()[units["region"]]
    units["weight"] = (
        units["level"].map(LEVEL_PURCHASING) * units["t_weight"] * rng.lognormal(0, 0.6, len(units))
    )
    # Provincial bodies are 厅; their head is 厅长 rather than 局长.
    units["head_title"] = np.where(
        units["suffix"].str.endswith("厅") & (units["head_title"] == "局长"),
        "厅长",
        units["head_title"],
    )
    return units[
        [
            "name",
            "region",
            "region_code",
            "level",
            "sector",
            "template",
            "place",
            "head_title",
            "regulates",
            "weight",
        ]
    ]


def _seats(world: World, rng: np.random.Generator) -> pd.DataFrame:
    """Every seat of every unit: one head, then deputies, section chiefs and staff."""
    units = world.units
    level = units["level"].to_numpy()
    head_rank = np.where(np.isin(level, ["province", "city"]), "leading", "department")
    deputy_rank = np.where(head_rank == "leading", "department", "section")
    chief_rank = np.where(np.isin(level, ["township", "village"]), "staff", "section")
    counts = np.array([SEATS[lv] for lv in level])
    counts = np.maximum(counts + rng.integers(-1, 2, counts.shape), 0)
    parts = [pd.DataFrame({"unit": units.index, "kind": "head", "rank": head_rank})]
    for j, (kind, rank) in enumerate(
        (("deputy", deputy_rank), ("chief", chief_rank), ("staff", None))
    ):
        unit = np.repeat(units.index.to_numpy(), counts[:, j])
        ranks = np.repeat(rank, counts[:, j]) if rank is not None else "staff"
        parts.append(pd.DataFrame({"unit": unit, "kind": kind, "rank": ranks}))
    seats = pd.concat(parts, ignore_index=True).sort_values(["unit", "kind"], kind="stable")
    seats = seats.reset_index(drop=True)
    seats["position"] = _positions(rng, seats, units)
    return seats


def _positions(rng: np.random.Generator, seats: pd.DataFrame, units: pd.DataFrame) -> np.ndarray:
    head_title = units["head_title"].to_numpy()[seats["unit"]]
    provincial = units["level"].to_numpy()[seats["unit"]] == "province"
    office = np.asarray(OFFICES)[rng.integers(0, len(OFFICES), len(seats))]
    office = np.where(provincial, np.char.replace(office.astype(str), "科", "处"), office)
    chief = np.where(
        np.char.endswith(office.astype(str), "室"),
        np.char.add(office.astype(str), "主任"),
        np.char.add(office.astype(str), "长"),
    )
    staff = np.asarray(STAFF_TITLES)[rng.integers(0, len(STAFF_TITLES), len(seats))]
    kind = seats["kind"].to_numpy()
    return np.select(
        [kind == "head", kind == "deputy", kind == "chief"],
        [head_title, np.char.add("副", head_title.astype(str)), chief],
        staff,
    )


def _posts(world: World, rng: np.random.Generator) -> pd.DataFrame:
    """Tenure chains per seat, from before the history window to today (open posts)."""
    seats = _seats(world, rng)
    history = world.start - HISTORY_YEARS * YEAR
    mean_days = (
        np.where(seats["kind"] == "head", TENURE_YEARS["head"], TENURE_YEARS["other"]) * YEAR
    )
    current = history - rng.uniform(0, 1.5, len(seats)) * mean_days
    seat_ids = np.arange(len(seats))
    chunks = []
    while len(seat_ids):
        duration = np.maximum(rng.gamma(3.0, mean_days[seat_ids] / 3.0), 180.0)
        end = current + duration
        chunks.append(pd.DataFrame({"seat": seat_ids, "start": current, "end": end - 1}))
        vacancy = np.where(rng.random(len(seat_ids)) < 0.3, rng.uniform(1, 90, len(seat_ids)), 0.0)
        current = np.floor(end + vacancy)
        keep = current <= world.today
        seat_ids, current = seat_ids[keep], current[keep]
    posts = pd.concat(chunks, ignore_index=True)
    posts["start"] = np.floor(posts["start"])
    posts["end"] = np.floor(posts["end"])
    posts = posts[posts["end"] >= history].reset_index(drop=True)
    posts.loc[posts["end"] >= world.today, "end"] = np.nan
    posts = posts.join(seats, on="seat")
    posts["region"] = world.units["region"].to_numpy()[posts["unit"]]
    posts["is_head"] = posts["kind"] == "head"
    return posts


def _rotations(posts: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """previous[post] = the post its holder held before (-1 = a newly appointed person).

    Post changes are mostly rotations: a holder whose post ends takes up the next post that
    opens at his rank (or one rank up, a promotion) in his region, within eight months.
    """
    previous = np.full(len(posts), -1, dtype="int64")
    rank_index = posts["rank"].map({r: i for i, r in enumerate(RANKS)}).to_numpy()
    ended = posts.index[posts["end"].notna().to_numpy() & (rng.random(len(posts)) < P_ROTATION)]
    promote = rng.random(len(ended)) < P_PROMOTION
    target_rank = np.where(promote, np.maximum(rank_index[ended] - 1, 0), rank_index[ended])
    leaving = pd.DataFrame(
        {
            "post": ended,
            "at": posts.loc[ended, "end"].to_numpy() + 1,
            "rank": target_rank,
            "region": posts.loc[ended, "region"].to_numpy(),
        }
    )
    opening = pd.DataFrame(
        {
            "next": posts.index,
            "at": posts["start"].to_numpy(),
            "rank": rank_index,
            "region": posts["region"].to_numpy(),
        }
    )
    for by in (["rank", "region"], ["rank"]):
        taken = previous >= 0
        free = opening[~taken[opening["next"].to_numpy()]].sort_values("at")
        left = leaving.sort_values("at")
        matched = pd.merge_asof(
            left,
            free,
            on="at",
            by=by,
            direction="forward",
            tolerance=240.0,
            suffixes=("", "_open"),
        ).dropna(subset=["next"])
        matched = matched.drop_duplicates("next")  # one successor per opening, earliest leaver
        previous[matched["next"].to_numpy().astype("int64")] = matched["post"].to_numpy()
        leaving = leaving[~leaving["post"].isin(matched["post"])]
    return previous


def _persons_for_posts(world: World, posts: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    previous = _rotations(posts, rng)
    root = np.arange(len(posts))
    while True:  # follow each chain back to its first post (chains are a few posts long)
        step = np.where(previous[root] >= 0, previous[root], root)
        if np.array_equal(step, root):
            break
        root = step
    chain, person_of_post = np.unique(root, return_inverse=True)
    rank_index = posts["rank"].map({r: i for i, r in enumerate(RANKS)}).to_numpy()
    best_rank = np.full(len(chain), len(RANKS) - 1)
    np.minimum.at(best_rank, person_of_post, rank_index)
    first_rank = np.asarray(RANKS)[rank_index[chain]]
    lo = np.array([FIRST_POST_AGE[r][0] for r in first_rank])
    hi = np.array([FIRST_POST_AGE[r][1] for r in first_rank])
    first_year = year_of(posts["start"].to_numpy()[chain])
    last_start = np.zeros(len(chain))
    np.maximum.at(last_start, person_of_post, posts["start"].to_numpy())
    birth = first_year - rng.integers(lo, hi + 1)
    birth = np.maximum(birth, year_of(last_start) - 58)  # nobody takes up a post after 58
    p_male = np.array([P_MALE[RANKS[i]] for i in best_rank])
    persons = new_persons(rng, birth, p_male, "official")
    first = world.append("persons", persons)
    posts = posts.assign(person=first[person_of_post])
    return posts[
        ["person", "unit", "position", "rank", "is_head", "start", "end", "seat", "kind", "region"]
    ]


def _relatives(world: World, rng: np.random.Generator) -> None:
    officials = np.unique(world.posts["person"].to_numpy())
    births = world.persons["birth_year"].to_numpy()[officials]
    genders = world.persons["gender"].to_numpy()[officials]
    parts = []
    for relation, probability, (lo, hi) in RELATIVES:
        has = officials[rng.random(len(officials)) < probability]
        offset = rng.integers(lo, hi + 1, len(has))
        idx = np.searchsorted(officials, has)
        if relation == "spouse":
            p_male = np.where(genders[idx] == "m", 0.03, 0.97)
        else:
            p_male = np.full(len(has), 0.5 if relation != "associate" else 0.75)
        people = new_persons(rng, births[idx] + offset, p_male, "relative")
        parts.append((has, people, relation))
    people = pd.concat([p for _, p, _ in parts], ignore_index=True)
    positions = world.append("persons", people)
    official = np.concatenate([h for h, _, _ in parts])
    relation = np.concatenate([np.full(len(h), r) for h, _, r in parts])
    world.append(
        "relations",
        pd.DataFrame(
            {
                "person": official,
                "related": positions,
                "relation": relation,
                "source": relation_sources(rng, relation),
            }
        ),
    )


# --- queries on the registry used by later stages ---------------------------------------------


def official_units(world: World) -> pd.DataFrame:
    """Every (person, unit) of a post, with the person's last day in the unit (NaN = in post)."""
    posts = world.posts
    last = posts["end"].fillna(np.inf)
    frame = pd.DataFrame({"person": posts["person"], "unit": posts["unit"], "last": last})
    frame = frame.groupby(["person", "unit"], as_index=False)["last"].max()
    frame.loc[np.isinf(frame["last"]), "last"] = np.nan
    return frame


def adult_relatives(
    world: World,
    birth_before: int,
    relations=("spouse", "child", "sibling", "in_law", "other_relative"),
) -> pd.DataFrame:
    """Relations rows (official -> relative) whose relative is an adult who could run a firm."""
    rel = world.relations
    persons = world.persons
    officials = np.unique(world.posts["person"].to_numpy())
    born = persons["birth_year"].to_numpy()[rel["related"].to_numpy()]
    keep = (
        rel["relation"].isin(relations).to_numpy()
        & np.isin(rel["person"].to_numpy(), officials)
        & (born <= birth_before)
        & (born >= birth_before - 45)
        & (persons["kind"].to_numpy()[rel["related"].to_numpy()] == "relative")
    )
    return rel[keep].reset_index(drop=True)


def official_region(world: World, persons: np.ndarray) -> np.ndarray:
    """The region of each official's latest post."""
    posts = world.posts.sort_values("start")
    last = posts.drop_duplicates("person", keep="last").set_index("person")["region"]
    return last.reindex(persons).fillna(-1).to_numpy().astype("int64")


def leavers(world: World) -> pd.DataFrame:
    """Officials whose last post ended before today: person, last unit, left (date), rank."""
    posts = world.posts.sort_values(["person", "start"])
    last = posts.drop_duplicates("person", keep="last")
    gone = last[last["end"].notna() & (last["end"] < world.today - 60)]
    return pd.DataFrame(
        {
            "person": gone["person"].to_numpy(),
            "unit": gone["unit"].to_numpy(),
            "left": gone["end"].to_numpy(),
            "rank": gone["rank"].to_numpy(),
            "region": gone["region"].to_numpy(),
        }
    )
