"""The rule library: supervision models as declarative cards, beside the learned models.

A card (one YAML file in a `rules/` directory) names a supervision point, the data it needs and
its comparison rule: a filter over the entity type's feature table and/or a SQL query over the
contract tables, both evaluated point-in-time. Cards are drafted in files, validated
(`check.py`), backtested over history (`backtest.py`), then published into the service
database (`store.py`), where every change is a new version, audited. Published cards run in
the daily ranking: their hits are listed on each entity, a high-severity hit raises a flag
whatever the model's score, and the hits are model features too (`hits.py`).
"""
