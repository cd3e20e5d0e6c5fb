"""`huoyan audit verify`: is the audit log's hash chain intact?

    $ huoyan audit verify
    audit log intact: 1204 entries, head 5f0c9a...
    $ huoyan audit verify      # after someone edited entry 17
    audit log BROKEN at entry 17: hash does not match the entry's content ... (17 checked)
    $ echo $?
    1
"""

from __future__ import annotations

import click

from serving import audit as audit_log
from serving.db import migrate, sessions

audit = click.Group("audit", help="The audit log of decisions, assignments and reads.")


@audit.command("verify")
@click.pass_context
def verify(ctx: click.Context) -> None:
    """Recompute the hash chain; exit 1 naming the first entry that does not fit."""
    migrate()
    with sessions().begin() as session:
        result = audit_log.verify(session)
    if result.ok:
        waiting = f"; {result.unsealed} reads staged, not yet sealed" if result.unsealed else ""
        click.echo(f"audit log intact: {result.entries} entries, head {result.last_hash}{waiting}")
        return
    click.echo(f"audit log BROKEN at entry {result.first_bad_id}: {result.problem} "
               f"({result.entries} checked)", err=True)
    ctx.exit(1)
