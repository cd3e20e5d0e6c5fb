"""A card that cannot run is refused before it runs, with the field and the fix named."""

from __future__ import annotations

import pytest

from rulebook.card import CardError, card_from_yaml
from rulebook.check import check

CARD = """
id: SM-901
title: Bidders sharing a phone, in tenders of a single buyer
domain: procurement
supervision_point: Bidders giving one phone number are one firm in several coats.
entity_type: tender
tables: [bids, enterprises, features]
rule:
  filter: bidders >= 2
  sql: |
    SELECT b1.tender_id AS entity_id, 'phone ' || e1.phone AS evidence
    FROM bids b1
    JOIN bids b2 ON b1.tender_id = b2.tender_id AND b1.enterprise_id < b2.enterprise_id
    JOIN enterprises e1 ON e1.enterprise_id = b1.enterprise_id
    JOIN enterprises e2 ON e2.enterprise_id = b2.enterprise_id
    WHERE e1.phone = e2.phone
severity: high
owner: Procurement supervision office
created: 2026-11-26
changed: 2026-11-26
"""


def refused(text: str) -> str:
    with pytest.raises(CardError) as caught:
        check(card_from_yaml(text, "sm-901.yaml"), "sm-901.yaml")
    return str(caught.value)


def test_a_good_card_passes():
    card = check(card_from_yaml(CARD))
    assert card.id == "SM-901" and card.status == "draft" and card.version == 1


def test_an_unknown_feature_column_is_named_with_the_closest_one():
    message = refused(CARD.replace("bidders >= 2", "bidder >= 2"))
    assert "sm-901.yaml" in message and "rule.filter" in message
    assert "'bidder'" in message and "did you mean 'bidders'" in message


def test_an_unknown_contract_column_is_named():
    message = refused(CARD.replace("e1.phone AS evidence", "e1.telephone AS evidence"))
    assert "rule.sql" in message and "'telephone'" in message


def test_a_column_the_as_of_view_hides_is_explained():
    text = CARD.replace("tables: [bids, enterprises, features]",
                        "tables: [bids, enterprises, tenders, features]").replace(
        "WHERE e1.phone = e2.phone",
        "JOIN tenders t ON t.tender_id = b1.tender_id WHERE e1.phone = e2.phone "
        "AND t.status = 'complete'")
    assert "not known as of a date" in refused(text)


def test_sql_that_does_not_parse_is_refused():
    message = refused(CARD.replace("SELECT b1.tender_id", "SELEC b1.tender_id"))
    assert "rule.sql does not parse" in message and "\x1b" not in message


def test_only_a_select_may_run():
    text = CARD.replace("  sql: |\n", "  sql: DELETE FROM bids\n  old: |\n")
    assert "field rule.old" in refused(text)  # extra fields are refused too
    text = CARD.split("  sql: |")[0].replace("  filter: bidders >= 2\n", "") + \
        "  sql: DELETE FROM bids\nseverity: high\nowner: x\ncreated: 2026-11-26\nchanged: 2026-11-26\n"
    assert "only a SELECT may run" in refused(text)


def test_a_query_must_return_entity_id():
    message = refused(CARD.replace("AS entity_id", "AS tender"))
    assert "must return a column named entity_id" in message


def test_cases_are_labels_and_may_not_be_read():
    text = CARD.replace("tables: [bids, enterprises, features]", "tables: [cases, features]")
    text = text.split("  sql: |")[0] + (
        "  sql: SELECT entity_id FROM cases WHERE outcome = 'confirmed'\n"
        "severity: high\nowner: x\ncreated: 2026-11-26\nchanged: 2026-11-26\n")
    assert "cases are the labels" in refused(text)


def test_a_table_the_card_does_not_declare_is_refused():
    message = refused(CARD.replace("tables: [bids, enterprises, features]", "tables: [bids]"))
    assert "which the card's tables" in message


def test_field_errors_name_the_file_and_field():
    message = refused(CARD.replace("severity: high", "severity: urgent"))
    assert message.startswith("sm-901.yaml: field severity")
    message = refused(CARD.replace("id: SM-901", "id: rule one"))
    assert "field id" in message
