"""The co-bidding network: whom an enterprise bids with, and whether they look like a ring.

Over the network window (tenders whose bids were opened in it), from the pairs of enterprises
that submitted bids in the same tender:
- its co-bidders, and its most frequent partner (most shared tenders; ties: the partner it lost
  to more often, then the one it beat more often) with how often each beat the other;
- rotation: a ring's members take turns, so each wins some of the tenders the other bids in:
  the most turns it took with one partner (min of its wins over and its losses to him);
- cover bids: losing to a partner by a hair (at most `cover_bid_margin` above his winning bid)
  when the partner is a repeat co-bidder (at least two shared tenders);
- identical amounts: a bid with exactly the same amount as a co-bidder's in the same tender.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from features.backend import Tables
from features.enterprise.common import enterprise_feature, ratio, within
from features.links import participations
from features.params import FeatureParams
from features.registry import Feature
from features.sets import feature_set

REPEAT_PARTNER = 2  # shared tenders that make a co-bidder a partner for cover bids


def window_participations(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    p = participations(v)
    return p.filter(within(p.opened_on, as_of, params.network_window))


def pair_summary(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    """Per unordered pair (n < m) of co-bidders in the network window, by their numbers in
    `numbered`: shared tenders, wins of each over the other, close losses of each to the
    other (its bid at most `cover_bid_margin` above the other's winning bid) and tenders in
    which both offered the very same amount.

    At scale (a million tenders, ~25 million unordered pairs) this is the costly step, so the
    pairs are formed once per unordered pair, over dense integer numbers, with compact counts.
    """
    q = numbered(v, as_of, params)
    q = q.select("tender_id", "n", "amount", "won")
    other = q.select("tender_id", m="n", m_amount="amount", m_won="won")
    # `m - n > 0` rather than `n < m`: an inequality between the two sides would tempt the
    # engine into a range join; as an expression it stays a filter of the hash join.
    pairs = q.join(other, (q.tender_id == other.tender_id) & ((other.m - q.n) > 0))
    margin = 1 + params.cover_bid_margin

    def close(loser: ir.NumericValue, winner: ir.NumericValue) -> ir.BooleanValue:
        return ((loser > winner) & (loser <= winner * margin)).fill_null(False)

    n_wins = pairs.won & ~pairs.m_won
    m_wins = pairs.m_won & ~pairs.won
    return pairs.group_by(["n", "m"]).aggregate(
        shared=pairs.count(),
        n_wins=pairs.count(where=n_wins),
        m_wins=pairs.count(where=m_wins),
        n_close=pairs.count(where=m_wins & close(pairs.amount, pairs.m_amount)),
        m_close=pairs.count(where=n_wins & close(pairs.m_amount, pairs.amount)),
        identical=pairs.count(where=(pairs.amount == pairs.m_amount).fill_null(False)),
    )


def numbered(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    """The window's participations with the enterprise's number n (0, 1, ... in id order).

    A window function, not a join with a numbering table: the engine cannot reorder the pair
    self-join around it (it did, joining all pairs of bids first).
    """
    p = window_participations(v, as_of, params)
    return p.mutate(n=ibis.dense_rank().over(order_by=p.enterprise_id))


def count_features(params: FeatureParams) -> list[Feature]:
    w = params.network_window
    return [
        enterprise_feature(f"cobidders_{w}d",
                           f"distinct enterprises it bid against in the last {w} days", "count",
                           f"bid against {{value:.0f}} different enterprises in the last {w} days"),
        enterprise_feature(
            f"top_partner_tenders_{w}d",
            f"tenders shared with its most frequent co-bidder in the last {w} days", "count",
            f"met the same competitor in {{value:.0f}} of its {{bids_{w}d:.0f}} tenders in the "
            f"last {w} days",
        ),
        enterprise_feature(
            f"losses_to_top_partner_{w}d",
            f"tenders its most frequent co-bidder won against it in the last {w} days", "count",
            f"lost {{value:.0f}} time(s) to its most frequent competitor, and beat it "
            f"{{wins_over_top_partner_{w}d:.0f}} time(s), in the last {w} days",
        ),
        enterprise_feature(
            f"wins_over_top_partner_{w}d",
            f"tenders it won against its most frequent co-bidder in the last {w} days", "count",
            f"beat its most frequent competitor {{value:.0f}} time(s), and lost to it "
            f"{{losses_to_top_partner_{w}d:.0f}} time(s), in the last {w} days",
        ),
        enterprise_feature(
            f"rotation_turns_{w}d",
            f"most wins it traded with one co-bidder in the last {w} days: min(its wins over "
            "him, his wins over it)", "count",
            f"took turns winning with one competitor: each beat the other at least "
            f"{{value:.0f}} time(s) in the last {w} days", monotone=1,
        ),
        enterprise_feature(
            f"identical_bids_{w}d",
            f"bids of the last {w} days with exactly the amount of a co-bidder's bid in the "
            "same tender (once per co-bidder)", "count",
            f"bid exactly the same amount as a competitor {{value:.0f}} time(s) in the last "
            f"{w} days", monotone=1, source="R028",
        ),
    ]


def share_features(params: FeatureParams) -> list[Feature]:
    w = params.network_window
    return [
        enterprise_feature(
            f"top_partner_share_{w}d",
            f"share of its tenders of the last {w} days in which its most frequent co-bidder "
            "also bid", "share",
            f"met the same competitor in {{value:.0%}} of its tenders in the last {w} days",
        ),
        enterprise_feature(
            f"cover_bid_share_{w}d",
            f"share of its tenders of the last {w} days lost to a repeat co-bidder by at most "
            f"{params.cover_bid_margin:.0%} of the winning bid", "share",
            f"lost {{value:.0%}} of its tenders to a regular competitor by less than "
            f"{params.cover_bid_margin:.0%} in the last {w} days", monotone=1,
        ),
    ]


BITS = 21  # the most frequent partner's counts, packed into one int64 (each below 2**21)


def _per_enterprise(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    """Per bidder of the window (enterprise_id): its tenders, co-bidders, rotation turns,
    close losses to repeat partners, identical amounts, and its most frequent partner's
    shared tenders, wins over it and losses to it.

    The most frequent partner: most shared tenders, then the one it lost to more often, then
    the one it beat more often (what is reported is then the same whoever that is). It is
    found with one max over the three counts packed into an int64, so the pair table is read
    once, seen from both sides (each pair row doubled by unnesting [0, 1]), and never kept.
    """
    pairs = pair_summary(v, as_of, params)
    both = pairs.mutate(side=ibis.literal([0, 1]).unnest())
    first = both.side == 0

    def pick(mine: ir.Value, theirs: ir.Value) -> ir.Value:
        return ibis.ifelse(first, mine, theirs)

    sides = both.select(
        me=pick(both.n, both.m), shared=both.shared,
        wins_over=pick(both.n_wins, both.m_wins), losses_to=pick(both.m_wins, both.n_wins),
        close_losses=pick(both.n_close, both.m_close), identical=both.identical,
    )
    cap = 2**BITS - 1
    packed = (
        ibis.least(sides.shared, cap) * 2 ** (2 * BITS)
        + ibis.least(sides.losses_to, cap) * 2**BITS
        + ibis.least(sides.wins_over, cap)
    )
    per = sides.group_by("me").aggregate(
        cobidders=sides.count(),
        top=packed.max(),
        rotation=ibis.least(sides.wins_over, sides.losses_to).max(),
        covers=sides.close_losses.sum(where=sides.shared >= REPEAT_PARTNER).fill_null(0),
        identical=sides.identical.sum(),
    )
    q = numbered(v, as_of, params)
    mine = q.group_by(["n", "enterprise_id"]).aggregate(tenders=q.count())
    joined = mine.left_join(per, mine.n == per.me)
    return joined.select(
        "enterprise_id", "tenders", "cobidders", "rotation", "covers", "identical",
        shared=joined.top // 2 ** (2 * BITS),
        losses_to=(joined.top // 2**BITS) % 2**BITS,
        wins_over=joined.top % 2**BITS,
    )


@feature_set("enterprise_network", "enterprise", count_features)
def compute_counts(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    w = params.network_window
    per = _per_enterprise(v, as_of, params)
    return per.select(
        entity_id=per.enterprise_id,
        **{
            f"cobidders_{w}d": per.cobidders,
            f"top_partner_tenders_{w}d": per.shared,
            f"losses_to_top_partner_{w}d": per.losses_to,
            f"wins_over_top_partner_{w}d": per.wins_over,
            f"rotation_turns_{w}d": per.rotation,
            f"identical_bids_{w}d": per.identical,
        },
    )


@feature_set("enterprise_network_shares", "enterprise", share_features,
             zero_when_absent=False)
def compute_shares(v: Tables, as_of: ir.DateScalar, params: FeatureParams) -> ir.Table:
    w = params.network_window
    per = _per_enterprise(v, as_of, params)
    return per.select(
        entity_id=per.enterprise_id,
        **{
            f"top_partner_share_{w}d": ratio(per.shared.fill_null(0), per.tenders),
            # one winner per tender: close losses to different partners are different tenders
            f"cover_bid_share_{w}d": ratio(
                ibis.least(per.covers.fill_null(0), per.tenders), per.tenders
            ),
        },
    )
