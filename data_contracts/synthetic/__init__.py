"""The synthetic world: `huoyan generate` writes every table of the input contract, valid
against it, for the demo, the tests and the benchmarks, with planted corruption schemes,
honest look-alikes of their traces, selective case labels and, beside the data, the truth.

A world of N tenders over the period (default 2023-01-01 .. 2026-09-30, the end being the
world's "today") has ~N/52 units in 3-30 regions (20 at 40,000 tenders), ~N/8 enterprises,
officials' post histories from eight years before the period, relatives, owners, ~5.5 bids per
tender, contracts, penalties and cases. Same arguments, same bytes.

Schemes: the share given with `--scheme NAME=SHARE` is the share of the population below that
the scheme captures (defaults give a few hundred involved entities per type at 40,000 tenders).

| scheme               | population (denominator of the share)            | default |
|----------------------|--------------------------------------------------|---------|
| bid_rigging          | competitive (open/selective) tenders             | 0.02    |
| conflict_of_interest | unit-head posts in office during the period      | 0.05    |
| split_purchase       | tenders (the split pieces)                       | 0.01    |
| shell_company        | enterprises                                      | 0.01    |
| tailored_tender      | competitive (open/selective) tenders             | 0.01    |
| price_inflation      | contracts                                        | 0.01    |
| revolving_door       | officials above staff rank who left the service  | 0.05    |
|                      | from 2 years before the period to 6 months ago   |         |

At 40,000 tenders (seed 7) the defaults give: bid_rigging ~35 rings, ~140 firms, ~475 tenders;
conflict_of_interest ~68 heads, ~330 tenders; split_purchase ~140 splits, 400 pieces;
shell_company ~50 shells, ~160 tenders; tailored_tender ~75 favourites, ~235 tenders;
price_inflation ~105 suppliers, ~370 contracts; revolving_door ~63 former officials, ~210
tenders; about 5.5% of tenders are involved in some scheme.

Every instance names officials (the unit head, or the relative's official, the insider, the
former official), enterprises and tenders over a span of time (truth/members.parquet).

Traces of each scheme (what a real one leaves in the tables):
- bid_rigging: 3-5 firms of one division and region tied by a shared owner, an owner's relative
  or nominee, a shared phone, address or manager; they bid together at 1-4 buyers, wins rotate,
  covers 1-6% above the winner (15% of tenders: two identical covers), filed within minutes;
  fewer outsiders, cheaper ones disqualified (mostly where the buyer's head is an insider).
- conflict_of_interest: a declared (or registry-found) relative or associate of a unit head is
  legal representative and largest shareholder of a firm that wins at his unit during his
  tenure, often by limited or direct procedure or with cheaper rivals disqualified, near the
  estimate.
- split_purchase: 2-4 direct/limited purchases of one category at 85-99.9% of the threshold
  (works 4,000,000 CNY, goods and services 1,000,000), within six weeks, one supplier.
- shell_company: tiny capital (10,000-300,000), registered 3 weeks to 6 months before its first
  win, often at an agent's address or phone (a pair of shells shares them), a nominee owner
  related to the unit head, no other business, the unit's largest purchases; 75% dissolved
  2-15 months after their last activity (if that falls before today).
- tailored_tender: open/selective at the legal minimum period (20 / 10 days), a single bid or
  all other bidders disqualified, the favourite wins at 97-100% of the estimate.
- price_inflation: won at 100-115% of the estimate, then 2-6 amendments to 125-190% of the
  signed amount (works, engineering, IT, repair, environment).
- revolving_door: 0-24 months after his last post ends, the official becomes legal
  representative, director or shareholder of a firm (or founds one) that then wins at his
  former unit.

Honest confounders, the same kinds of traces for honest reasons: big old (often state-owned)
incumbents that win most of a buyer's purchases in a division; thin markets (fuels, health
services, agriculture, medical equipment) with many single-bid tenders; registration-agent
business-centre addresses and agent phones shared by ~25 unrelated small firms; business
groups with one owner; owners who are siblings or spouses; officials' relatives who own firms
that never sell to the official's units (and win elsewhere); former officials who join firms
that never bid at their old units; honest young firms that win soon after registration;
urgent open tenders at the legal minimum; honest purchases just below the threshold; honest
amendments (works ~1.2 per contract, +3% each); honest cancellations, unsuccessful tenders,
disqualified (5%), withdrawn (2%) and late bids.

Labels (cases): an instance is investigated with probability `--investigated` (0.4) times a
propensity by scheme (revolving door 1.35 ... split purchase 0.75), a case opened 3-18 months
after it started (and 1-6 months after its first tender), closed 2-16 months later (72%
confirmed, 18% inconclusive, 10% dismissed; open if not closed by today), naming its officials,
firms and the tenders seen by then. Innocents who look suspicious (incumbents, single bids in
thin markets, agent-address firms, officials with relatives in business, former officials in
business, near-threshold purchases, honest overruns, routine audits) make ~75% as many files,
80% dismissed. No case is opened in the last `--unlabelled-months` (6) months.

Modules: config (settings, sizes), vocab (word lists, divisions), registry (regions, units,
posts, officials, relatives), enterprises (firms and roles), confounders (honest look-alikes),
tenders, schemes/ (one module per scheme), bidding, contracts, lifecycle (deregistration),
penalties, cases, truth, export (contract tables), build (stage order), generate (writing),
command (the CLI).
"""
