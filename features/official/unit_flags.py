"""His unit's red flags during his tenure against before it: the rise is the signal.

For each post that counts at D (in force, or ended within the scope period) the unit's tenders,
dated by publication (direct awards: by award), fall in two periods: during his tenure
[start_date, until) and the `official_before_days` days before it began. For each signal the
set gives the level during the tenure (`unit_<stem>_rate`: the share of the tenders where the
flag is set, among those where it applies; `_mean`, `_share`: see below) and the rise (the
level minus the same over the days before). A level over fewer than `official_rate_min_tenders`
tenders (contracts, for the top supplier) is not stated, so the rise is null where there is no
"before", e.g. for posts that began before the data do.

The tender-level values are the tender features' own (`features.tender.*`, found by name in the
feature catalog, so one definition serves tenders and officials), asked for every tender in the
view whatever its age. Each is computed a second time for the officials, so few are read: the
procedure flags (R018 single bid, non-open, direct, R003 short period), one bidder left after
evaluation, R036, R044, revealed thresholds, R055, and the final / signed price ratio (averaged:
`unit_final_ratio_mean`). R044 is the costliest (seconds on 1,000,000 tenders) and the only one
that shows a bid-rigging ring's insider at a target unit; R035 (covered by "one bidder left")
and R024 are left to the tender features. One signal is computed here, from the contracts:
`unit_top_supplier_share`, the largest share of the unit's contract value (signed during the
period) going to one enterprise.

One count stands beside the shares: `unit_threshold_dodges`, the direct or limited purchases
during his tenure just below a revealed threshold or in an R055 run of direct awards. A split
purchase is two to four pieces within weeks, which a share over years of tenure dilutes; the
count keeps them visible (on the synthetic worlds of seeds 11-13 it separates the split
purchases' unit heads at AUROC 0.85-0.91, the below-threshold share at 0.76-0.87).

Per person: the highest level, rise and count over his posts (the post where his unit changed
most is what shows; level and rise may come from different posts).
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from features.backend import Tables
from features.links import awards
from features.official.common import persons_in_scope, scoped_posts
from features.params import FeatureParams
from features.registry import Feature, Unit
from features.sets import FeatureSet, feature_set


@dataclass(frozen=True)
class Signal:
    stem: str  # the official features are unit_<stem>_<level> and unit_<stem>_rise
    source: str  # the tender feature read (a 0/1 flag, null where it does not apply)
    what: str  # the tenders it marks, for descriptions ("competitive tenders with ...")
    level_text: str  # the reviewer sentence of the level
    level: str = "rate"
    unit: Unit = "share"
    # The rate of a tender red flag is that flag averaged over his unit's tenders: these
    # rates together make his unit's classic risk index (the red-flag baseline of training).
    red_flag: bool = False


def _rate(stem: str, source: str, what: str, happened: str, red_flag: bool = True) -> Signal:
    return Signal(stem, source, what,
                  f"{{value:.0%}} of his unit's {happened} during his tenure", red_flag=red_flag)


TENDER_SIGNALS = (
    _rate("single_bid", "single_bid", "competitive tenders with a single bid (R018)",
          "competitive tenders received a single bid"),
    _rate("single_valid", "single_valid_bid",
          "competitive tenders where one bidder alone remained after evaluation",
          "competitive tenders had one bidder left after evaluation", red_flag=False),
    _rate("non_open", "non_open_method", "tenders not run as open procedures",
          "tenders were not open procedures"),
    _rate("direct", "direct_award", "direct awards", "tenders were direct awards",
          red_flag=False),
    _rate("short_submission", "short_submission_period",
          "tenders with a short submission period (R003)",
          "tenders had a short submission period"),
    _rate("lowest_disqualified", "lowest_bid_disqualified",
          "tenders whose cheapest bid was disqualified (R036)",
          "tenders had their cheapest bid disqualified"),
    _rate("linked_bidders", "tenderers_linked",
          "tenders whose bidders share an address, a phone or an owner or manager (R044)",
          "tenders had bidders sharing an address, a phone or an owner or manager"),
    _rate("below_threshold", "just_below_threshold",
          "direct or limited purchases just below a value threshold",
          "direct or limited purchases came in just below a value threshold"),
    _rate("split_direct", "split_direct_awards",
          "direct awards adding up, with others to the same supplier within a year, to the "
          "open-tender threshold (R055)",
          "direct awards were split purchases adding up to the open-tender threshold"),
    Signal("final_ratio", "final_to_signed_ratio",
           "final / signed price of the completed contracts, averaged over tenders",
           "his unit's completed contracts ended at {value:.0%} of their signed price on "
           "average during his tenure", level="mean", unit="ratio"),
)
TOP_SUPPLIER = Signal(
    "top_supplier", "", "the unit's contract value won by its largest supplier",
    "{value:.0%} of his unit's contract value went to one supplier during his tenure",
    level="share",
)
SIGNALS = (*TENDER_SIGNALS, TOP_SUPPLIER)
LEVELS = {s.stem: f"unit_{s.stem}_{s.level}" for s in SIGNALS}
DODGES = "unit_threshold_dodges"


def features(params: FeatureParams) -> list[Feature]:
    before = params.official_before_days
    out = []
    for s in SIGNALS:
        measure = "share of" if s.level == "rate" else "level of"
        change = "{value:+.0%}" + (" (percentage points)" if s.unit == "share" else "")
        out += [
            Feature(LEVELS[s.stem], "official",
                    f"{measure} {s.what}, at his unit during his tenure (highest over his "
                    "posts; null: too few tenders)", s.unit, s.level_text, monotone=1,
                    red_flag=s.red_flag),
            Feature(f"unit_{s.stem}_rise", "official",
                    f"{LEVELS[s.stem]} minus the same over the {before} days before his tenure "
                    "(highest over his posts; null: no before)", s.unit,
                    f"at his unit, the {measure} {s.what} changed by {change} against the "
                    f"{before} days before his tenure", monotone=1),
        ]
    out.append(Feature(
        DODGES, "official",
        "direct or limited purchases of his unit during his tenure that were just below a value "
        "threshold, or direct awards in a run adding up to the open-tender threshold (R055) "
        "(highest over his posts)", "count",
        "his unit made {value:.0f} purchase(s) just below a value threshold, or split into "
        "direct awards, during his tenure", monotone=1,
    ))
    return out


# Tender sets may restrict their work to the tenders in scope (published or awarded in the last
# `tender_scope_days`): the officials need the values of every tender of a tenure, so they ask
# with a scope that reaches back a century.
EVERY_TENDER_DAYS = 100 * 366


def _provider(name: str, params: FeatureParams) -> FeatureSet:
    """The tender feature set that computes the tender feature `name`."""
    from features.catalog import feature_sets  # the catalog imports this module

    for s in feature_sets("tender"):
        if name in {f.name for f in s.features(params)}:
            return s
    raise LookupError(f"no tender feature set computes {name!r}, which official features read")


def tender_flags(v: Tables, as_of: ir.DateScalar, params: FeatureParams,
                 names: tuple[str, ...]) -> ir.Table:
    """(entity_id, <name>...): the tender features `names` of every tender in the view, from the
    tender sets that compute them."""
    wide = params.model_copy(update={"tender_scope_days": EVERY_TENDER_DAYS})
    out = v.tenders.select(entity_id="tender_id")
    by_set: dict[str, tuple[FeatureSet, list[str]]] = {}
    for name in names:
        s = _provider(name, params)
        by_set.setdefault(s.name, (s, []))[1].append(name)
    for s, wanted in by_set.values():
        part = s.compute(v, as_of, wide)
        part = part.select(tender_id=part.entity_id, **{n: part[n] for n in wanted})
        out = out.left_join(part, out.entity_id == part.tender_id).drop("tender_id")
    return out


def _windowed(items: ir.Table, p: ir.Table, params: FeatureParams) -> ir.Table:
    """items (unit_id, day, ...) joined to the posts over [start - before, until), with
    `during` = in his tenure."""
    lo = p.start_date - ibis.interval(days=params.official_before_days)
    j = p.join(items, (p.unit_id == items.unit_id) & (items.day >= lo) & (items.day < p.until))
    return j.mutate(during=j.day >= j.start_date)


def _level_rise(per_post: ir.Table, stems: list[str], params: FeatureParams,
                **also: ir.Value) -> ir.Table:
    """From <stem>__d/__dn/__b/__bn (level and count during and before) per post: the level and
    the rise per post, null where the count is below the minimum (and the columns `also`)."""
    least = params.official_rate_min_tenders
    null = ibis.null("float64")
    columns = dict(also)
    for stem in stems:
        level = ibis.ifelse(per_post[f"{stem}__dn"] >= least, per_post[f"{stem}__d"], null)
        before = ibis.ifelse(per_post[f"{stem}__bn"] >= least, per_post[f"{stem}__b"], null)
        columns[LEVELS[stem]] = level
        columns[f"unit_{stem}_rise"] = level - before
    return per_post.select("person_id", **columns)


def _tender_signals(v: Tables, as_of: ir.DateScalar, p: ir.Table,
                    params: FeatureParams) -> ir.Table:
    found = tender_flags(v, as_of, params, tuple(s.source for s in TENDER_SIGNALS))
    t = v.tenders
    t = t.select("tender_id", "unit_id", day=t.published_on.coalesce(t.awarded_on))
    t = t.join(found, t.tender_id == found.entity_id)
    t = t.select("unit_id", "day", **{s.stem: t[s.source].cast("float64") for s in TENDER_SIGNALS})
    j = _windowed(t, p, params)
    null = ibis.null("float64")
    dodged = ibis.greatest(j.below_threshold.fill_null(0), j.split_direct.fill_null(0))
    aggregates = {"dodges": ibis.ifelse(j.during, dodged, 0).sum()}
    for s in TENDER_SIGNALS:
        during = ibis.ifelse(j.during, j[s.stem], null)
        before = ibis.ifelse(j.during, null, j[s.stem])
        aggregates |= {f"{s.stem}__d": during.mean(), f"{s.stem}__dn": during.count(),
                       f"{s.stem}__b": before.mean(), f"{s.stem}__bn": before.count()}
    per_post = j.group_by(["post_id", "person_id"]).aggregate(**aggregates)
    return _level_rise(per_post, [s.stem for s in TENDER_SIGNALS], params,
                       **{DODGES: per_post.dodges.cast("float64")})


def _top_supplier(v: Tables, p: ir.Table, params: FeatureParams) -> ir.Table:
    """The largest supplier's share of the unit's contract value, during and before."""
    a = awards(v)
    a = a.select("unit_id", "enterprise_id", "amount", day=a.signed_on)
    j = _windowed(a, p.select("post_id", "unit_id", "start_date", "until"), params)
    per_firm = j.group_by(["post_id", "during", "enterprise_id"]).aggregate(
        value=j.amount.sum(), n=j.count()
    )
    per_period = per_firm.group_by(["post_id", "during"]).aggregate(
        share=per_firm.value.max() / per_firm.value.sum().nullif(0), n=per_firm.n.sum()
    )
    d, null = per_period.during, ibis.null("float64")
    per_post = per_period.group_by("post_id").aggregate(
        top_supplier__d=ibis.ifelse(d, per_period.share, null).max(),
        top_supplier__dn=ibis.ifelse(d, per_period.n, 0).sum(),
        top_supplier__b=ibis.ifelse(d, null, per_period.share).max(),
        top_supplier__bn=ibis.ifelse(d, 0, per_period.n).sum(),
    )
    per_post = per_post.join(p.select("post_id", "person_id"), "post_id")
    return _level_rise(per_post, ["top_supplier"], params)


@feature_set("official_unit_red_flags", "official", features, zero_when_absent=False)
def compute(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    p = scoped_posts(v, as_of, params).select("post_id", "person_id", "unit_id", "start_date",
                                              "until")
    per_person = persons_in_scope(v, as_of, params)
    for part in (_tender_signals(v, as_of, p, params), _top_supplier(v, p, params)):
        names = [c for c in part.columns if c != "person_id"]
        highest = part.group_by("person_id").aggregate(**{c: part[c].max() for c in names})
        per_person = per_person.left_join(
            highest, per_person.entity_id == highest.person_id
        ).drop("person_id")
    return per_person.mutate(**{DODGES: per_person[DODGES].fill_null(0)})
