"""Cardinal rules that its fixtures do not pin down, checked on hand-written processes."""

from __future__ import annotations

from typing import Any

from tests.cardinal.conftest import IndicatorsCommand


def bid(
    tenderer: str, amount: float, status: str = "valid", currency: str = "USD"
) -> dict[str, Any]:
    return {"status": status, "tenderers": [{"id": tenderer}],
            "value": {"amount": amount, "currency": currency}}


def awarded(ocid: str, supplier: str, *bids: dict[str, Any]) -> dict[str, Any]:
    return {"ocid": ocid, "awards": [{"status": "active", "suppliers": [{"id": supplier}]}],
            "bids": {"details": list(bids)}}


def test_r024_winner_lowest_bid_and_first_runner_up_on_ties(indicators: IndicatorsCommand) -> None:
    releases = [awarded("P", "W", bid("W", 12), bid("A", 11), bid("W", 10), bid("B", 11))]
    output = indicators("[R024]\nthreshold = 0.5\n", releases)
    assert output["OCID"] == {"P": {"R024": 0.1}}  # (11 - 10) / 10
    assert output["Tenderer"] == {"W": {"R024": 0.0}, "A": {"R024": 0.0}}  # A before B


def test_r024_skips_bids_in_another_currency(indicators: IndicatorsCommand) -> None:
    releases = [awarded("P", "W", bid("W", 10), bid("A", 10.5, currency="EUR"), bid("B", 11))]
    output = indicators("[R024]\nthreshold = 0.5\n", releases)
    assert output["OCID"] == {"P": {"R024": 0.1}}


def test_r048_counts_a_process_once_per_supplier(indicators: IndicatorsCommand) -> None:
    award = {"status": "active", "suppliers": [{"id": "S"}],
             "items": [{"classification": {"id": "10"}}]}
    other = {**award, "items": [{"classification": {"id": "20"}}]}
    one_process = [{"ocid": "P", "awards": [award, other]}]
    settings = "[R048]\nminimum_contracting_processes = 2\nthreshold = 1\n"
    assert indicators(settings, one_process) == {"Meta": {"R048": {"upper_fence": 1.0}}}
    two_processes = [*one_process, {"ocid": "Q", "awards": [award]}]
    assert indicators(settings, two_processes)["Tenderer"] == {"S": {"R048": 2.0}}


def test_r048_digits(indicators: IndicatorsCommand) -> None:
    award = {"status": "active", "suppliers": [{"id": "S"}],
             "items": [{"classification": {"id": "4510"}}, {"classification": {"id": "4520"}}]}
    releases = [{"ocid": "P", "awards": [award]}]
    settings = "[R048]\nminimum_contracting_processes = 1\nthreshold = 2\ndigits = {}\n"
    assert "Tenderer" not in indicators(settings.format(2), releases)
    assert indicators(settings.format(3), releases)["Tenderer"] == {"S": {"R048": 2.0}}


def test_r028_one_tenderer_repeating_its_price_is_fine(indicators: IndicatorsCommand) -> None:
    releases = [
        awarded("same", "A", bid("A", 5), bid("A", 5, status="pending")),
        awarded("A then B then A", "A", bid("A", 5), bid("B", 5), bid("A", 5)),
        awarded("invited", "A", bid("A", 5), bid("B", 5, status="invited")),
    ]
    output = indicators("[R028]\n", releases)
    assert output["OCID"] == {"A then B then A": {"R028": 1.0}}
    assert output["Tenderer"] == {"B": {"R028": 1.0}, "A": {"R028": 1.0}}


def test_r035_threshold(indicators: IndicatorsCommand) -> None:
    disqualified = [bid("D", 1, "disqualified"), bid("E", 1, "disqualified")]
    releases = [awarded("P", "V", bid("V", 1), *disqualified)]
    assert indicators("[R035]\nthreshold = 2\n", releases)["OCID"] == {"P": {"R035": 2.0}}
    assert "OCID" not in indicators("[R035]\nthreshold = 3\n", releases)
    assert indicators("[R035]\nthreshold = 0\n", releases)["OCID"] == {"P": {"R035": 2.0}}


def test_r003_details_threshold_and_method_filter(indicators: IndicatorsCommand) -> None:
    def tender(ocid: str, method: str, details: str) -> dict[str, Any]:
        period = {"startDate": "2000-01-01T00:00:00Z", "endDate": "2000-01-08T00:00:00Z"}
        return {"ocid": ocid, "tender": {"tenderPeriod": period, "procurementMethod": method,
                                         "procurementMethodDetails": details}}

    settings = "[R003]\nprocurement_methods = open\n[R003.procurement_method_details]\nfast = 7\n"
    releases = [tender("open", "open", "normal"), tender("fast", "open", "fast"),
                tender("direct", "direct", "normal")]
    assert indicators(settings, releases)["OCID"] == {"open": {"R003": 1.0}}


def test_r038_thresholds_and_minimums(indicators: IndicatorsCommand) -> None:
    releases = [
        {"ocid": "1", "buyer": {"id": "B"}, "bids": {"details": [
            bid("T", 1, "disqualified"), bid("U", 1), bid("U", 1, "withdrawn")]}},
        {"ocid": "2", "buyer": {"id": "C"}, "bids": {"details": [bid("T", 1), bid("U", 1)]}},
    ]
    output = indicators("[R038]\nthreshold = 0.5\n", releases)
    assert output["Buyer"] == {"B": {"R038": 0.5}}  # C: 0/2
    assert output["Tenderer"] == {"T": {"R038": 0.5}}  # U: 0/2 (the withdrawn bid is not submitted)
    output = indicators("[R038]\nthreshold = 0.5\nminimum_contracting_processes = 3\n", releases)
    assert "Buyer" not in output
