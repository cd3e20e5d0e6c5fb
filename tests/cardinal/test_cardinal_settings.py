"""The INI settings file: Cardinal's format, typed; bad settings name their section and key."""

from __future__ import annotations

import pytest

from features.ocds.settings import (
    NoSettings,
    R003Settings,
    R018Settings,
    R038Settings,
    RatioThresholdSettings,
    Settings,
    SettingsError,
    parse_pipe_separated,
    parse_settings,
)

# What `ocdscardinal init` writes, with the comments taken off some properties.
INIT_FILE = """\
currency = USD
; no_price_comparison_procurement_methods = Random Selection
price_comparison_procurement_methods = Reverse Auction|Open

[defaults]
; currency = USD
item_classification_scheme = UNSPSC

[redactions]
[corrections]
[modifications]
move_auctions = true

[codelists.bid_status]
qualified = valid

[exclusions]
procurement_method_details = Random Selection

[R003]
threshold = 15
procurement_methods = open|selective|limited

[R003.procurement_method_details]
emergency = 10
international = 25

[R018]
[R024]
# threshold = 0.05
[R025]
percentile = 75
threshold = 0.05
[R028]
[R030]
[R035]
threshold = 1
[R036]
[R038]
threshold = 0.5
minimum_submitted_bids = 2
minimum_contracting_processes = 2
[R048]
digits = 2
threshold = 10
minimum_contracting_processes = 20
[R058]
threshold = "0.5"
"""


def test_reads_cardinal_init_file() -> None:
    settings = parse_settings(INIT_FILE)
    assert settings.currency == "USD"
    assert settings.price_comparison_procurement_methods == {"Reverse Auction", "Open"}
    assert settings.no_price_comparison_procurement_methods == frozenset()
    assert settings.excluded_procurement_method_details == {"Random Selection"}
    assert settings.R003 == R003Settings(
        threshold=15,
        procurement_methods=frozenset({"open", "selective", "limited"}),
        procurement_method_details={"emergency": 10, "international": 25},
    )
    assert settings.R018 == R018Settings()  # default open|selective
    assert settings.R024 == RatioThresholdSettings(threshold=None)
    assert settings.R025 is not None and settings.R025.threshold == 0.05
    assert settings.R028 == NoSettings()
    assert settings.R038 == R038Settings(0.5, 2, 2)
    assert settings.R048 is not None and settings.R048.threshold == 10
    assert settings.R058 == RatioThresholdSettings(threshold=0.5)  # quotes are dropped
    assert settings.R044 is None and settings.R055 is None
    assert settings.enabled_codes() == [
        "R003", "R018", "R024", "R025", "R028", "R030", "R035", "R036", "R038", "R048", "R058"
    ]


def test_an_empty_file_enables_nothing() -> None:
    assert parse_settings("; nothing\n") == Settings()
    assert Settings().enabled_codes() == []


def test_a_map_section_alone_enables_its_indicator() -> None:
    settings = parse_settings("[R003.procurement_method_details]\nx = 5\n")
    assert settings.R003 == R003Settings(procurement_method_details={"x": 5})


def test_pipe_separated_values_split_like_rust_split_terminator() -> None:
    assert parse_pipe_separated("") == frozenset()
    assert parse_pipe_separated("a|b|") == {"a", "b"}
    assert parse_pipe_separated("a||b") == {"a", "", "b"}


def test_an_empty_procurement_methods_keeps_every_method() -> None:
    assert parse_settings("[R018]\nprocurement_methods =\n").R018 == R018Settings(frozenset())


def test_r055_needs_its_threshold() -> None:
    assert parse_settings("[R055]\nthreshold = 1e6\n").R055.threshold == 1_000_000.0
    with pytest.raises(SettingsError, match=r"^\[R055\] threshold: required$"):
        parse_settings("[R055]\n")


NUMBER = "expected a finite number, got"
INTEGER = "expected an integer, got"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[R024]\nthreshold = high\n", f"[R024] threshold: {NUMBER} 'high' (line 2)"),
        ("[R024]\nthreshold = nan\n", f"[R024] threshold: {NUMBER} 'nan' (line 2)"),
        ("[R024]\nthreshold = 1_000\n", f"[R024] threshold: {NUMBER} '1_000' (line 2)"),
        ("[R003]\nthreshold = 1.5\n", f"[R003] threshold: {INTEGER} '1.5' (line 2)"),
        ("[R048]\nthreshold =\n", f"[R048] threshold: {INTEGER} '' (line 2)"),
        (
            "[R035]\nthreshold = -1\n",
            "[R035] threshold: expected a non-negative integer, got '-1' (line 2)",
        ),
        (
            "[R003.procurement_method_details]\nx = five\n",
            f"[R003.procurement_method_details] x: {INTEGER} 'five' (line 2)",
        ),
        ("[R024]\nthresold = 1\n", "[R024] thresold: unknown setting (expected threshold)"),
        ("[R028]\nthreshold = 1\n", "[R028] threshold: unknown setting (expected no keys)"),
        (
            "currency = USD\ncurency = EUR\n",
            "top level curency: unknown setting (expected currency, "
            "no_price_comparison_procurement_methods, price_comparison_procurement_methods)",
        ),
        (
            "[exclusions]\nprocurement_methods = x\n",
            "[exclusions] procurement_methods: unknown setting "
            "(expected procurement_method_details) (line 2)",
        ),
        ("[defaults]\ncolour = red\n", "[defaults] colour: unknown setting"),
        ("[r024]\nthreshold = 1\n", "[r024]: unknown section; did you mean [R024]? (line 1)"),
        ("[R999]\n", "[R999]: unknown section (line 1)"),
        ("[R024]\n[R024]\n", "[R024]: section appears twice (line 2)"),
        ("[R024]\nthreshold = 1\nthreshold = 2\n", "[R024] threshold: set twice (line 3)"),
        ("[R024\n", "top level: malformed section header '[R024' (line 1)"),
        ("[R024]\nthreshold\n", "[R024]: expected 'key = value', got 'threshold' (line 2)"),
    ],
)
def test_bad_settings_name_the_section_and_key(text: str, message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        parse_settings(text)
    assert str(caught.value).startswith(message)
