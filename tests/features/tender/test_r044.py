"""R044 tenderers sharing an address, a phone or a person."""

from __future__ import annotations

import math

import pytest

from features.params import FeatureParams
from tests.features.tender.tiny import Tiny

SETS = ("tender_r044",)
COLUMNS = ("tenderers_linked", "linked_tenderers", "tenderers_share_address",
           "tenderers_share_phone", "tenderers_share_person")


def two_bids(w: Tiny, tender: str, *firms: str) -> None:
    w.tender(tender)
    for i, firm in enumerate(firms):
        w.bid(tender, firm, 100 + i)


def world() -> Tiny:
    w = Tiny()
    w.firm("A", address="江苏省南京市中山路1号 A座", phone="025-1234 5678")
    w.firm("B", address="江苏省南京市中山路１号a座")  # full-width 1, lower-case a
    w.firm("C", phone="+86 25 12345678")
    w.firm("D", address="江苏省南京市龙溪路8号", phone="13812345678")
    w.firm("E")
    w.firm("F")
    w.role("E", "P1", "legal_representative")
    w.role("F", "P1", "manager", start="2020-01-01")
    w.firm("G")
    w.role("G", "P1", "director", start="2015-01-01", end="2023-12-31")  # ended before T4
    w.role("G", "P2", "shareholder")
    w.role("E", "P2", "shareholder", start="2024-03-01")  # began after T4's bids were opened
    for i in range(11):  # a business centre: 11 firms at one address (limit 10)
        w.firm(f"H{i}", address="南京市珠江路88号商务中心")
    for i in range(10):  # ten firms at one address: still counted
        w.firm(f"K{i}", address="南京市广州路5号")
    for i in range(11):  # an agent who supervises 11 firms (limit 10) is no link
        w.role(f"M{i}", "AGENT", "supervisor")
    two_bids(w, "T1", "A", "B", "E")  # shared address
    two_bids(w, "T2", "A", "C")  # shared phone
    two_bids(w, "T3", "E", "F")  # one person runs both
    two_bids(w, "T4", "E", "G")  # roles that did not overlap the tender
    two_bids(w, "T5", "H0", "H1")  # a business centre is no link
    two_bids(w, "T6", "K0", "K1")
    two_bids(w, "T7", "A", "D")
    two_bids(w, "T12", "M0", "M1")
    two_bids(w, "T8", "A", "B", "C", "E", "F")  # everything at once
    w.tender("T9")  # a single bidder
    w.bid("T9", "A", 100)
    w.tender("T10", deadline="2024-07-15", awarded=None, status="active")  # not opened
    w.bid("T10", "A", 100)
    w.bid("T10", "B", 100)
    w.tender("T11")  # a linked firm whose bid was withdrawn is not a tenderer
    w.bid("T11", "A", 100)
    w.bid("T11", "B", 100, status="withdrawn")
    w.bid("T11", "D", 100)
    return w


@pytest.fixture(scope="module")
def features():
    return world().features(only=SETS)


@pytest.mark.parametrize(("tender", "expected"), [
    ("T1", (1, 2, 1, 0, 0)),
    ("T2", (1, 2, 0, 1, 0)),
    ("T3", (1, 2, 0, 0, 1)),
    ("T4", (0, 0, 0, 0, 0)),
    ("T5", (0, 0, 0, 0, 0)),
    ("T6", (1, 2, 1, 0, 0)),
    ("T7", (0, 0, 0, 0, 0)),
    ("T8", (1, 5, 1, 1, 1)),
    ("T11", (0, 0, 0, 0, 0)),
    ("T12", (0, 0, 0, 0, 0)),
])
def test_links(features, tender, expected):
    assert tuple(features.loc[tender, list(COLUMNS)]) == expected


@pytest.mark.parametrize("tender", ["T9", "T10"])
def test_null_when_not_applicable(features, tender):
    assert features.loc[tender, list(COLUMNS)].isna().all()


def test_limits_are_parameters():
    params = FeatureParams(shared_contact_limit=11, shared_person_limit=11)
    f = world().features(params=params, only=SETS)
    assert tuple(f.loc["T5", list(COLUMNS)]) == (1, 2, 1, 0, 0)  # 11 firms now count
    assert tuple(f.loc["T12", list(COLUMNS)]) == (1, 2, 0, 0, 1)


def test_normalisation():
    import ibis

    from features.tender.r044 import normalise_address, normalise_phone

    con = ibis.duckdb.connect()
    phones = ["025-1234 5678", "+86 25 12345678", "0086 25 1234 5678", "138 1234 5678",
              "+86 138-1234-5678", "１３８１２３４５６７８", "12345", None]
    t = con.create_table("p", {"phone": phones})
    got = con.execute(t.select(n=normalise_phone(t.phone))).n.tolist()
    assert got[:6] == ["2512345678", "2512345678", "2512345678", "13812345678",
                       "13812345678", "13812345678"]
    assert got[6] is None or (isinstance(got[6], float) and math.isnan(got[6]))
    addresses = ["中山路1号 A座", "中山路１号ａ座", "  ", "Room 5, No.1 Road"]
    t = con.create_table("a", {"address": addresses})
    got = con.execute(t.select(n=normalise_address(t.address))).n.tolist()
    assert got[0] == got[1] == "中山路1号a座"
    assert got[2] is None or (isinstance(got[2], float) and math.isnan(got[2]))
    assert got[3] == "room5no1road"
