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


def test_an_officials_red_flags_are_his_units_tender_red_flag_rates() -> None:
    """The classic risk index of an official is his unit's: the rates of tender red flags."""
    from features.official.unit_flags import LEVELS, TENDER_SIGNALS

    features = registry()
    flagged = {f.name for f in features.of("official") if f.red_flag}
    expected = {LEVELS[s.stem] for s in TENDER_SIGNALS
                if s.level == "rate" and features.get(s.source).red_flag}
    assert flagged == expected and len(flagged) >= 5


def test_a_null_that_means_something_reads_as_what_it_means() -> None:
    features = registry()
    assert features.get("years_in_post").sentence({"years_in_post": float("nan")}) == (
        "holds no post now")
    assert features.get("years_in_post").sentence({"years_in_post": 2.5}) == (
        "has been in his post for 2.5 years")
    assert features.get("posts_held").sentence({}) == (
        f"{features.get('posts_held').description}: unknown")
