"""Any field of a release may hold any JSON type: the import never crashes and what it writes
still satisfies the contract."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from .conftest import fixture_releases, import_file, validated, write_jsonl

ODD_VALUES: list[Any] = [None, 7, -1.5, True, "", "x", [], {}, [1, "a"], {"id": []}]


def paths(node: Any, prefix: tuple = ()) -> Iterator[tuple]:
    """Every key or index path inside a JSON value (not the root)."""
    children = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, child in children:
        yield (*prefix, key)
        yield from paths(child, (*prefix, key))


def replaced(release: dict, path: tuple, value: Any) -> dict:
    mutated = copy.deepcopy(release)
    parent = mutated
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return mutated


def test_every_field_replaced_by_every_odd_value(tmp_path) -> None:
    variants = []
    for number, release in enumerate(fixture_releases()):
        for path in paths(release):
            if path == ("ocid",):
                continue
            for value in ODD_VALUES:
                variant = replaced(release, path, value)
                variant["ocid"] = f"v{len(variants)}-{number}"
                variants.append(variant)
    assert len(variants) > 2000
    result = import_file(write_jsonl(variants, tmp_path / "variants.jsonl"))
    assert result.releases_read == len(variants)
    validated(result)  # raises ContractError listing every violation
