"""The import without its I/O: parsed lines in, contract frames and a summary out."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from data_contracts.ocds.mapping import MappingOptions, map_release
from data_contracts.ocds.reader import Malformed, Release
from data_contracts.ocds.summary import Tally
from data_contracts.ocds.tables import TableAccumulator

DUPLICATE_OCID = "duplicate ocid (first kept)"


@dataclass(frozen=True)
class ImportResult:
    frames: dict[str, pd.DataFrame]
    summary: dict[str, Any]

    @property
    def releases_read(self) -> int:
        return self.summary["releases_read"]


def import_releases(
    parsed: Iterable[Release | Malformed],
    options: MappingOptions,
    on_malformed: Callable[[Malformed], None] = lambda _: None,
) -> ImportResult:
    """Map every release; malformed lines and repeated ocids are tallied and skipped.

    A read error (e.g. a truncated gzip file) ends the import with what was read so far, and
    is recorded in the summary rather than raised: the lines read are complete and usable.
    """
    tally = Tally()
    accumulator = TableAccumulator()
    seen_ocids: set[str] = set()
    try:
        for item in parsed:
            tally.lines_read = item.line
            if isinstance(item, Malformed):
                tally.skip_line(item.reason, item.line)
                on_malformed(item)
                continue
            ocid = item.data["ocid"]
            if ocid in seen_ocids:
                tally.skip_line(DUPLICATE_OCID, item.line)
                continue
            seen_ocids.add(ocid)
            tally.releases_read += 1
            mapped = map_release(item.data, item.line, options, tally, accumulator.described)
            accumulator.add(mapped, item.line, tally)
    except (OSError, EOFError) as error:
        tally.read_error = f"after line {tally.lines_read}: {error}"
    summary = tally.report(accumulator.row_counts(), accumulator.placeholders(options))
    return ImportResult(accumulator.frames(), summary)
