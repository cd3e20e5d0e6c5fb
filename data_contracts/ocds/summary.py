"""The import tally: what was mapped, skipped (and why), missing, and filled in by placeholder.

Mapping code reports events into a `Tally`; `Tally.report` turns it into the JSON-ready summary
written as `import-summary.json` and `render` into the lines printed on stderr.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

FIRST_LINES_KEPT = 5  # line numbers kept per reason: enough to find examples, bounded in size


@dataclass
class Occurrences:
    count: int = 0
    first_lines: list[int] = field(default_factory=list)

    def add(self, line: int) -> None:
        self.count += 1
        fresh = not self.first_lines or self.first_lines[-1] != line  # lines arrive in order
        if fresh and len(self.first_lines) < FIRST_LINES_KEPT:
            self.first_lines.append(line)

    def as_dict(self) -> dict[str, Any]:
        return {"count": self.count, "first_lines": self.first_lines}


@dataclass
class Tally:
    lines_read: int = 0
    releases_read: int = 0
    skipped_lines: dict[str, Occurrences] = field(default_factory=dict)
    # table -> reason -> occurrences; a skipped OCDS object (bid, contract, award...) counts once
    skipped_rows: dict[str, dict[str, Occurrences]] = field(default_factory=dict)
    missing_fields: Counter[str] = field(default_factory=Counter)
    # events worth knowing that changed or qualified a row without skipping it
    notes: dict[str, Occurrences] = field(default_factory=dict)
    read_error: str | None = None

    def skip_line(self, reason: str, line: int) -> None:
        self.skipped_lines.setdefault(reason, Occurrences()).add(line)

    def skip_row(self, table: str, reason: str, line: int) -> None:
        self.skipped_rows.setdefault(table, {}).setdefault(reason, Occurrences()).add(line)

    def missing(self, path: str) -> None:
        self.missing_fields[path] += 1

    def note(self, event: str, line: int) -> None:
        self.notes.setdefault(event, Occurrences()).add(line)

    def report(self, rows: dict[str, int], placeholders: dict[str, dict[str, Any]]) -> dict:
        return {
            "lines_read": self.lines_read,
            "releases_read": self.releases_read,
            "read_error": self.read_error,
            "rows": rows,
            "skipped_lines": _occurrences(self.skipped_lines),
            "skipped_rows": {t: _occurrences(r) for t, r in sorted(self.skipped_rows.items())},
            "missing_fields": dict(sorted(self.missing_fields.items())),
            "placeholders": placeholders,
            "notes": _occurrences(self.notes),
        }


def _occurrences(by_reason: dict[str, Occurrences]) -> dict[str, dict[str, Any]]:
    return {reason: found.as_dict() for reason, found in sorted(by_reason.items())}


def render(report: dict[str, Any]) -> list[str]:
    """The summary as short human-readable lines (the JSON file has everything)."""
    lines = [f"read {report['lines_read']} lines, {report['releases_read']} releases"]
    if report["read_error"]:
        lines.append(f"reading stopped early: {report['read_error']}")
    lines.append("rows: " + ", ".join(f"{t} {n}" for t, n in report["rows"].items()))
    lines += _render_reasons("skipped lines", report["skipped_lines"])
    for table, reasons in report["skipped_rows"].items():
        lines += _render_reasons(f"skipped {table}", reasons)
    if report["missing_fields"]:
        lines.append("missing OCDS fields (occurrences):")
        lines += [f"  {path}: {n}" for path, n in report["missing_fields"].items()]
    if report["placeholders"]:
        lines.append("placeholders (contract columns OCDS does not provide):")
        for column, used in report["placeholders"].items():
            lines.append(f"  {column} = {used['value']}: {used['rows']} rows ({used['why']})")
    lines += _render_reasons("notes", report["notes"])
    return lines


def _render_reasons(title: str, reasons: dict[str, dict[str, Any]]) -> list[str]:
    if not reasons:
        return []
    out = [f"{title}:"]
    for reason, found in reasons.items():
        first = ", ".join(map(str, found["first_lines"]))
        more = ", ..." if found["count"] > len(found["first_lines"]) else ""
        out.append(f"  {reason}: {found['count']} (lines {first}{more})")
    return out
