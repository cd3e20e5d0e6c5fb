"""OCDS red flags, Cardinal-compatible: `huoyan indicators FILE.jsonl --settings FILE.ini`.

Reproduces Cardinal (open-contracting/cardinal-rs), the Open Contracting Partnership's red-flag
library, on OCDS compiled releases (one JSON object per line). The definitions are in
/work/shared/spec/ocds-red-flags.md; Cardinal's own test fixtures are the arbiter.

Layout, in the Cardinal manner (one indicator, one module):
- settings.py: the INI settings file, typed; an indicator runs only if its section is present.
- common.py: global rules (skip rules, exclusions, price-comparison filter, main currency,
  complete awards and bids, submitted bids, valid bid tuples, RFC 3339 dates).
- quartiles.py: Hyndman-Fan type 8 quantiles and Tukey fences, bit for bit as Cardinal.
- state.py: what indicators write to (results, Meta) and share (main currency, bid ratios).
- second_lowest_bid.py: the winner/runner-up ratio behind R024 and R058.
- r003.py ... r058.py: the indicators.
- run.py: reads the JSONL stream once, runs the enabled indicators, assembles the output.
- command.py: the click command.
"""
