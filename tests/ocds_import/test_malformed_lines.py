"""Malformed lines are reported with their line number and skipped; the rest is imported."""

from __future__ import annotations

import gzip
import json

from data_contracts.ocds.reader import (
    NO_OCID,
    NOT_JSON,
    NOT_OBJECT,
    Malformed,
    Release,
    parse_lines,
)

from .conftest import FIXTURES, import_file, validated, write_jsonl

MALFORMED = FIXTURES / "malformed.jsonl"


def test_each_kind_of_bad_line_is_reported_with_its_line_number() -> None:
    parsed = list(parse_lines(MALFORMED.read_bytes().splitlines(keepends=True)))
    bad = [(item.line, item.reason) for item in parsed if isinstance(item, Malformed)]
    good = [(item.line, item.data["ocid"]) for item in parsed if isinstance(item, Release)]
    assert bad == [(2, NOT_JSON), (3, NOT_OBJECT), (4, NO_OCID), (5, NO_OCID), (9, NOT_OBJECT)]
    assert good == [(1, "m-1"), (7, "m-6"), (8, "m-1")]  # line 6 is blank: ignored


def test_the_import_goes_on_past_bad_lines_and_keeps_the_first_of_a_repeated_ocid() -> None:
    result = import_file(MALFORMED)
    summary = result.summary
    assert summary["releases_read"] == 2
    assert summary["skipped_lines"] == {
        "duplicate ocid (first kept)": {"count": 1, "first_lines": [8]},
        NOT_JSON: {"count": 1, "first_lines": [2]},
        NOT_OBJECT: {"count": 2, "first_lines": [3, 9]},
        NO_OCID: {"count": 2, "first_lines": [4, 5]},
    }
    tenders = validated(result).tenders
    assert list(tenders["tender_id"]) == ["m-1", "m-6"]
    assert list(tenders["title"]) == ["Paper", "Ink"]  # not the repeated m-1's "Paper again"


def test_a_numeric_ocid_is_not_an_ocid() -> None:
    [item] = parse_lines([b'{"ocid": 7, "tender": {}}\n'])
    assert isinstance(item, Malformed) and item.reason == NO_OCID and "7" in item.detail


def test_a_release_package_gets_a_hint_and_a_record_is_unwrapped() -> None:
    package = json.dumps({"uri": "x", "releases": [{"ocid": "p-1"}]})
    record = json.dumps(
        {"ocid": "r-1", "compiledRelease": {"ocid": "r-1", "tender": {"title": "t"}}}
    )
    first, second = parse_lines([package, record])
    assert isinstance(first, Malformed) and "package" in first.detail
    assert isinstance(second, Release) and second.data["tender"] == {"title": "t"}


def test_a_byte_order_mark_and_invalid_utf8_are_handled(tmp_path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"ocid": "b-1"}\n\xff\xfe{"ocid": "b-2"}\n')
    result = import_file(path)
    assert result.releases_read == 1
    assert result.summary["skipped_lines"][NOT_JSON]["first_lines"] == [2]


def test_a_truncated_gzip_file_keeps_what_was_read_and_says_where_it_stopped(tmp_path) -> None:
    releases = [{"ocid": f"g-{i}", "tender": {"title": "x" * 50}} for i in range(2000)]
    whole = write_jsonl(releases, tmp_path / "whole.jsonl.gz", compress=True).read_bytes()
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    result = import_file(cut)
    assert 0 < result.releases_read < 2000
    assert result.summary["read_error"] is not None
    assert gzip.decompress(whole).count(b"\n") == 2000  # the full file itself is fine
