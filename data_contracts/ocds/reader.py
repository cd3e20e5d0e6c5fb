"""Streaming of OCDS JSON Lines: one compiled release per line, plain or gzip-compressed.

A line that is not a JSON object with a string `ocid` is reported (with its 1-based line number)
and skipped; the rest of the file is still read. Blank lines are ignored.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GZIP_MAGIC = b"\x1f\x8b"
UTF8_BOM = b"\xef\xbb\xbf"

# Reasons a line is skipped, as they appear in the summary.
NOT_JSON = "not JSON"
NOT_OBJECT = "not a JSON object"
NO_OCID = "no string ocid"


@dataclass(frozen=True, slots=True)
class Release:
    line: int
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Malformed:
    line: int
    reason: str
    detail: str


def open_lines(path: Path) -> Iterator[bytes]:
    """The raw lines of a file, gunzipped if it is gzip (by its magic bytes, not its name)."""
    with open(path, "rb") as probe:
        compressed = probe.read(2) == GZIP_MAGIC
    opener = gzip.open if compressed else open
    with opener(path, "rb") as stream:
        yield from stream


def parse_lines(lines: Iterable[bytes | str]) -> Iterator[Release | Malformed]:
    """Releases and malformed lines, in file order."""
    for number, line in enumerate(lines, start=1):
        if number == 1:
            line = line.removeprefix(UTF8_BOM) if isinstance(line, bytes) else line.lstrip("\ufeff")
        if not line.strip():
            continue
        yield parse_line(number, line)


def parse_line(number: int, line: bytes | str) -> Release | Malformed:
    try:
        data = json.loads(line)
    except (ValueError, UnicodeDecodeError) as error:  # JSONDecodeError is a ValueError
        return Malformed(number, NOT_JSON, str(error))
    if not isinstance(data, dict):
        return Malformed(number, NOT_OBJECT, f"a JSON {type(data).__name__}")
    # A record (as in a record package) carries its compiled release under `compiledRelease`.
    compiled = data.get("compiledRelease")
    if isinstance(compiled, dict):
        data = compiled
    ocid = data.get("ocid")
    if not isinstance(ocid, str) or not ocid.strip():
        hint = " (a release or record package? expected one compiled release per line)"
        packaged = "releases" in data or "records" in data
        return Malformed(number, NO_OCID, f"ocid is {ocid!r}" + (hint if packaged else ""))
    return Release(number, data)
