"""The planted schemes, one module each, in the order they take over tenders."""

from __future__ import annotations

from types import ModuleType

from data_contracts.synthetic.schemes import (
    bid_rigging,
    conflict_of_interest,
    price_inflation,
    revolving_door,
    shell_company,
    split_purchase,
    tailored_tender,
)

# Order matters: each scheme takes over tenders the earlier ones left; the schemes that need
# particular tenders (a tenure, a former unit) come before those that can use many.
SCHEME_MODULES: dict[str, ModuleType] = {
    "split_purchase": split_purchase,
    "shell_company": shell_company,
    "conflict_of_interest": conflict_of_interest,
    "revolving_door": revolving_door,
    "price_inflation": price_inflation,
    "tailored_tender": tailored_tender,
    "bid_rigging": bid_rigging,
}
