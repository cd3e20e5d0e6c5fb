"""R055: direct awards from one buyer to one supplier within 365 days reach the threshold."""

from __future__ import annotations

from typing import Any

from tests.cardinal.conftest import IndicatorsCommand

SETTINGS = "[R055]\nthreshold = 100\n"


def direct(ocid: str, date: str, amount: float, buyer: str = "B", supplier: str = "S",
           currency: str = "USD", method: str = "direct", status: str = "active") -> dict[str, Any]:
    return {
        "ocid": ocid,
        "buyer": {"id": buyer},
        "tender": {"procurementMethod": method},
        "awards": [{"status": status, "date": date, "suppliers": [{"id": supplier}],
                    "value": {"amount": amount, "currency": currency}}],
    }


def test_awards_within_a_year_that_reach_the_threshold(indicators: IndicatorsCommand) -> None:
    releases = [
        direct("a", "2023-01-01T00:00:00Z", 40),
        direct("b", "2023-06-01T00:00:00Z", 30),
        direct("c", "2024-01-01T00:00:00Z", 30),  # exactly 365 days after a: inside
        direct("d", "2025-06-01T00:00:00Z", 99),  # alone, below the threshold
    ]
    output = indicators(SETTINGS, releases)
    assert output["OCID"] == {"a": {"R055": 1.0}, "b": {"R055": 1.0}, "c": {"R055": 1.0}}
    assert output["Buyer"] == {"B": {"R055": 100.0}}
    assert output["Tenderer"] == {"S": {"R055": 100.0}}


def test_a_day_too_late_is_a_different_window(indicators: IndicatorsCommand) -> None:
    releases = [
        direct("a", "2023-01-01T00:00:00Z", 40),
        direct("b", "2023-06-01T00:00:00Z", 30),
        direct("c", "2024-01-01T00:00:01Z", 30),  # 365 days and a second after a
    ]
    assert indicators(SETTINGS, releases) == {"Meta": {}}


def test_order_in_the_file_does_not_matter(indicators: IndicatorsCommand) -> None:
    releases = [
        direct("late", "2024-03-01T00:00:00Z", 60),
        direct("early", "2023-04-01T00:00:00+08:00", 50),
    ]
    output = indicators(SETTINGS, releases)
    assert set(output["OCID"]) == {"late", "early"}
    assert output["Buyer"] == {"B": {"R055": 110.0}}


def test_pairs_are_kept_apart_and_the_largest_sum_is_reported(
    indicators: IndicatorsCommand,
) -> None:
    releases = [
        direct("s1", "2023-01-01T00:00:00Z", 60, supplier="S"),
        direct("t1", "2023-02-01T00:00:00Z", 60, supplier="T"),  # another supplier: no sum
        direct("b2", "2023-03-01T00:00:00Z", 60, buyer="C"),  # another buyer: no sum
        direct("big", "2023-04-01T00:00:00Z", 150, supplier="T"),
        direct("bigger", "2023-05-01T00:00:00Z", 250, buyer="C", supplier="T"),
    ]
    output = indicators(SETTINGS, releases)
    # (B, T): 60 + 150 = 210; (C, T): 250; (B, S) and (C, S): 60 each, below the threshold.
    assert output["OCID"] == {"t1": {"R055": 1.0}, "big": {"R055": 1.0}, "bigger": {"R055": 1.0}}
    assert output["Buyer"] == {"B": {"R055": 210.0}, "C": {"R055": 250.0}}
    assert output["Tenderer"] == {"T": {"R055": 250.0}}


def test_only_active_direct_awards_in_the_main_currency(indicators: IndicatorsCommand) -> None:
    releases = [
        direct("usd", "2023-01-01T00:00:00Z", 60),
        direct("open", "2023-01-02T00:00:00Z", 60, method="open"),
        direct("pending", "2023-01-03T00:00:00Z", 60, status="pending"),
        direct("eur", "2023-01-04T00:00:00Z", 60, currency="EUR"),
        direct("no date", "not a date", 60),
    ]
    assert indicators(SETTINGS, releases) == {"Meta": {}}
    flagged = indicators("currency = EUR\n" + SETTINGS, releases + [
        direct("eur2", "2023-01-05T00:00:00Z", 40, currency="EUR")])
    assert set(flagged["OCID"]) == {"eur", "eur2"}
