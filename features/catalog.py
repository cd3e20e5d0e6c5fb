"""All feature sets and the registry they make, for a given set of parameters."""

from __future__ import annotations

import importlib
import pkgutil

import features.enterprise
import features.official
import features.tender
from features.params import FeatureParams
from features.registry import EntityType, Registry
from features.sets import FEATURE_SETS, FeatureSet, sets_of

_PACKAGES = (features.tender, features.enterprise, features.official)


def _import_all() -> None:
    # Importing a module registers its sets; walking the packages keeps new modules from being
    # forgotten in a hand-written list.
    for package in _PACKAGES:
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")


def feature_sets(entity_type: EntityType) -> list[FeatureSet]:
    _import_all()
    return sets_of(entity_type)


def registry(params: FeatureParams | None = None) -> Registry:
    _import_all()
    params = params or FeatureParams()
    return Registry(f for s in FEATURE_SETS for f in s.features(params))
