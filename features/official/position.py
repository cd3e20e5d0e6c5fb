"""Position: what posts he holds or held within the scope period, for how long, and how much
his units spent under him. Context for the model (scale and seniority), not risk in itself:
none of these is monotone.

Per person: `unit_head` and `official_rank` take the highest over his posts that count at D (in
force, or ended within the scope period); `years_in_post` is the longest-running post in force
(null when he holds none); `years_since_left_post` is the time since his last post ended (null
while he is in one); `posts_held` counts every post known before D; `unit_spend_365d` adds up,
over his posts, the contracts his units signed in the last main window while he was there.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from features.backend import Tables
from features.links import posts
from features.official.common import (
    RANK_LEVEL,
    flag,
    on_scope,
    scoped_posts,
    tenure_spend,
    years,
)
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set


def features(params: FeatureParams) -> list[Feature]:
    def official(name: str, *args, **kwargs) -> Feature:
        return Feature(name, "official", *args, **kwargs)

    w = params.main_window
    return [
        official("in_post", "holds a post at the as-of date (else left one within the scope "
                 "period)", "flag", "in post: {value:.0f} (1 = holds a post, 0 = has left)"),
        official("unit_head", "heads (or headed, within the scope period) a unit", "flag",
                 "unit head: {value:.0f} (1 = heads or recently headed his unit)"),
        official("official_rank", "highest rank of his posts: staff 1, section 2, "
                 "department 3, leading 4", "rank", "holds rank {value:.0f} of 4"),
        official("years_in_post", "years in his longest-running current post", "years",
                 "has been in his post for {value:.1f} years",
                 missing="holds no post now"),
        official("years_since_left_post", "years since his last post ended (null while in "
                 "post)", "years", "left his last post {value:.1f} years ago",
                 missing="still holds a post"),
        official("posts_held", "posts he held or holds, known before the as-of date", "count",
                 "has held {value:.0f} post(s)"),
        official(f"unit_spend_{w}d",
                 f"value of the contracts his unit(s) signed in the last {w} days while he was "
                 "in post", "CNY",
                 f"his unit signed contracts worth {{value:,.0f}} CNY in the last {w} days "
                 "under him"),
    ]


@feature_set("official_position", "official", features, zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    p = scoped_posts(v, as_of, params)
    rank = p.rank.cases(*RANK_LEVEL.items())
    per_person = p.group_by("person_id").aggregate(
        in_post=flag(p.in_force).max(),
        unit_head=flag(p.is_unit_head).max(),
        official_rank=rank.max(),
        years_in_post=ibis.ifelse(
            p.in_force, years(as_of, p.start_date), ibis.null("float64")
        ).max(),
        last_end=p.end_date.max(),
    )
    per_person = per_person.mutate(
        years_since_left_post=ibis.ifelse(
            per_person.in_post == 1, ibis.null("float64"), years(as_of, per_person.last_end)
        )
    )
    every = posts(v)
    held = every.group_by("person_id").aggregate(posts_held=every.count())
    spend = tenure_spend(v, as_of, params, since=as_of - ibis.interval(days=params.main_window))
    joined = per_person.join(held, "person_id", how="left").join(spend, "person_id", how="left")
    spend_name = f"unit_spend_{params.main_window}d"
    part = joined.select(
        entity_id=joined.person_id, in_post=joined.in_post, unit_head=joined.unit_head,
        official_rank=joined.official_rank, years_in_post=joined.years_in_post,
        years_since_left_post=joined.years_since_left_post, posts_held=joined.posts_held,
        **{spend_name: joined.spend},
    )
    return on_scope(
        v, as_of, params, part,
        zeros=("in_post", "unit_head", "official_rank", "posts_held", spend_name),
        keep_null=("years_in_post", "years_since_left_post"),
    )
