"""Every official feature is declared once, explains itself, and is what the build returns."""

from __future__ import annotations

from features.catalog import registry
from tests.features.official.test_conflict_family import world


def test_official_features_are_declared_and_explained() -> None:
    declared = registry().of("official")
    names = [f.name for f in declared]
    assert len(names) == len(set(names))
    frame = world().features("2024-01-01")
    assert list(frame.columns) == names  # the build returns exactly the declared columns
    row = {**frame.loc["P"].to_dict(), **{n: 1.0 for n in names}}
    for f in declared:
        assert f.description and f.template, f.name
        assert f.fields() <= set(names) | {"value"}, f.name
        sentence = f.sentence(row)
        assert sentence and "unknown" not in sentence, f.name
        assert f.monotone in (-1, 0, 1)
        text = f"{f.name} {f.description} {f.template}".lower()
        assert "birth" not in text and "gender" not in text and " age" not in text, f.name
