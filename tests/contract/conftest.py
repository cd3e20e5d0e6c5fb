"""A small valid data set written as a supplier would write it: CSV text, one file per table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

ROWS: dict[str, list[dict[str, str]]] = {
    "units": [
        {"unit_id": "U1", "name": "南京市卫生健康委员会", "region": "320100", "level": "city", "sector": "health"},
        {"unit_id": "U2", "name": "江宁区市场监督管理局", "region": "320115", "level": "county", "sector": "other"},
    ],
    "persons": [
        {"person_id": "P1", "name": "王伟", "birth_year": "1968", "gender": "m"},
        {"person_id": "P2", "name": "李娜", "birth_year": "1971", "gender": "f"},
        {"person_id": "P3", "name": "王强", "birth_year": "1995", "gender": ""},
        {"person_id": "P4", "name": "赵敏", "birth_year": "", "gender": "f"},
    ],
    "officials": [
        {"post_id": "O1", "person_id": "P1", "unit_id": "U1", "position": "主任", "rank": "leading",
         "is_unit_head": "true", "start_date": "2019-03-01", "end_date": ""},
        {"post_id": "O2", "person_id": "P2", "unit_id": "U1", "position": "科长", "rank": "section",
         "is_unit_head": "0", "start_date": "2018-01-15", "end_date": "2022-06-30"},
    ],
    "relations": [
        {"person_id": "P1", "related_person_id": "P3", "relation": "child", "source": "hr_declaration"},
    ],
    "enterprises": [
        {"enterprise_id": "E1", "name": "南京康达医疗器械有限公司", "region": "320100",
         "registered_on": "2010-05-20", "deregistered_on": "", "registered_capital": "5000000",
         "ownership": "private", "industry": "33", "address": "中山路1号", "phone": "025-1234567"},
        {"enterprise_id": "E2", "name": "江苏华兴贸易有限公司", "region": "320115",
         "registered_on": "2021-11-02", "deregistered_on": "", "registered_capital": "100000",
         "ownership": "private", "industry": "33", "address": "", "phone": ""},
    ],
    "enterprise_roles": [
        {"enterprise_id": "E1", "person_id": "P4", "role": "legal_representative", "share": "",
         "start_date": "2010-05-20", "end_date": ""},
        {"enterprise_id": "E1", "person_id": "P4", "role": "shareholder", "share": "0.6",
         "start_date": "2010-05-20", "end_date": "2020-01-01"},
        {"enterprise_id": "E1", "person_id": "P2", "role": "shareholder", "share": "0.4",
         "start_date": "2010-05-20", "end_date": ""},
        {"enterprise_id": "E1", "person_id": "P3", "role": "shareholder", "share": "0.6",
         "start_date": "2020-01-01", "end_date": ""},
        {"enterprise_id": "E2", "person_id": "P3", "role": "shareholder", "share": "1",
         "start_date": "2021-11-02", "end_date": ""},
    ],
    "tenders": [
        {"tender_id": "T1", "unit_id": "U1", "title": "医用设备采购", "category": "33100000",
         "method": "open", "estimated_value": "1200000", "currency": "", "published_on": "2023-03-01",
         "deadline": "2023-03-25", "awarded_on": "2023-04-10", "status": "complete"},
        {"tender_id": "T2", "unit_id": "U1", "title": "办公用品", "category": "30190000",
         "method": "direct", "estimated_value": "90000", "currency": "CNY", "published_on": "",
         "deadline": "", "awarded_on": "2023-05-02", "status": "complete"},
    ],
    "bids": [
        {"bid_id": "B1", "tender_id": "T1", "enterprise_id": "E1", "amount": "1150000",
         "submitted_at": "2023-03-20T09:30:00+08:00", "status": "valid"},
        {"bid_id": "B2", "tender_id": "T1", "enterprise_id": "E2", "amount": "1180000",
         "submitted_at": "2023-03-21T10:00:00Z", "status": "valid"},
        {"bid_id": "B3", "tender_id": "T2", "enterprise_id": "E2", "amount": "88000",
         "submitted_at": "", "status": "valid"},
    ],
    "contracts": [
        {"contract_id": "C1", "tender_id": "T1", "enterprise_id": "E1", "amount": "1150000",
         "signed_on": "2023-04-20", "final_amount": "1260000", "amendments": "2", "completed_on": "2023-12-01"},
        {"contract_id": "C2", "tender_id": "T2", "enterprise_id": "E2", "amount": "88000",
         "signed_on": "2023-05-03", "final_amount": "", "amendments": "", "completed_on": ""},
    ],
    "penalties": [
        {"penalty_id": "F1", "enterprise_id": "E2", "unit_id": "U2", "date": "2022-08-08",
         "kind": "false_advertising", "amount": "20000"},
    ],
    "cases": [
        {"case_id": "K1", "entity_type": "enterprise", "entity_id": "E2", "opened_on": "2023-09-01",
         "closed_on": "2024-01-10", "outcome": "confirmed", "scheme": "conflict_of_interest"},
        {"case_id": "K2", "entity_type": "official", "entity_id": "P1", "opened_on": "2023-09-01",
         "closed_on": "", "outcome": "", "scheme": ""},
        {"case_id": "K3", "entity_type": "tender", "entity_id": "T2", "opened_on": "2023-10-01",
         "closed_on": "2023-12-01", "outcome": "dismissed", "scheme": "split_purchase"},
    ],
}


def frames() -> dict[str, pd.DataFrame]:
    return {name: pd.DataFrame(rows, dtype=str) for name, rows in ROWS.items()}


def write_csv_dir(tables: dict[str, pd.DataFrame], directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(directory / f"{name}.csv", index=False)
    return directory


@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    """Fresh raw tables a test may corrupt."""
    return frames()


@pytest.fixture
def valid_dir(tmp_path: Path) -> Path:
    return write_csv_dir(frames(), tmp_path / "valid")
