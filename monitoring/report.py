"""One HTML page per monitoring day: the alerts first, then each entity type's drift, fairness
and sparsity, then review coverage; plots inline (PNG), Evidently's pages linked beside it.

    $HUOYAN_HOME/reports/monitoring/2026-10-01/index.html
                                              /drift-official.html ...

Self-contained (no CDN, no script): it opens from a file share as well as from the service.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import re
from pathlib import Path

from matplotlib.figure import Figure

from monitoring.alerts import Alert
from monitoring.job import Outcome, Section

STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.6rem; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
.alerts { background: #fff4f4; border-left: 4px solid #d62728; padding: .6rem 1rem; }
.ok { background: #f2fbf2; border-left: 4px solid #2ca02c; padding: .6rem 1rem; }
.monitor { color: #666; font-size: .85em; text-transform: uppercase; }
figure { margin: 1rem 0; } figcaption { color: #555; } img { max-width: 100%; }
.note { color: #8a5a00; }
"""


def report_dir(root: Path, as_of: dt.date) -> Path:
    directory = root / "monitoring" / as_of.isoformat()
    directory.mkdir(parents=True, exist_ok=True)
    return directory


PAGE_NAME = r"[a-z0-9-]+\.html"  # index.html and Evidently's pages beside it


def existing_page(root: Path, as_of: dt.date, name: str) -> Path | None:
    """A page of the day's report under `root` (the home's reports), if `name` is one."""
    if not re.fullmatch(PAGE_NAME, name):
        return None
    path = root / "monitoring" / as_of.isoformat() / name
    return path if path.is_file() else None


def png(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _alert_items(alerts: list[Alert]) -> str:
    return "".join(f'<li><span class="monitor">{html.escape(a.monitor)}</span> '
                   f"{html.escape(a.message)}</li>" for a in alerts)


def _alerts_box(alerts: list[Alert]) -> str:
    if not alerts:
        return '<div class="ok">No alert.</div>'
    return (f'<div class="alerts"><strong>{len(alerts)} alert{"s" if len(alerts) > 1 else ""}'
            f"</strong><ul>{_alert_items(alerts)}</ul></div>")


def _section(section: Section) -> str:
    parts = [f"<h2>{html.escape(section.title)}</h2>", _alerts_box(section.alerts)]
    parts += [f'<p class="note">{html.escape(note)}</p>' for note in section.notes]
    parts += [f'<p><a href="{html.escape(name)}">{html.escape(label)}</a></p>'
              for label, name in section.pages]
    parts += [f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{png(fig)}">'
              f"<figcaption>{html.escape(caption)}</figcaption></figure>"
              for caption, fig in section.figures]
    return "\n".join(parts)


def render(outcome: Outcome) -> str:
    title = f"huoyan monitoring, {outcome.as_of.isoformat()}"
    body = "\n".join(_section(s) for s in outcome.sections)
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{STYLE}</style></head><body><h1>{title}</h1>"
            f"<p>Every monitor of the day; a lead for people to look at, never evidence.</p>"
            f"{_alerts_box(outcome.alerts)}\n{body}</body></html>")


def write(outcome: Outcome, directory: Path) -> Path:
    """index.html in `directory`, atomically (written beside, then renamed)."""
    path = directory / "index.html"
    staging = directory / ".index.html.partial"
    staging.write_text(render(outcome), encoding="utf-8")
    staging.replace(path)
    return path
