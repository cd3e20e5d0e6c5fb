"""Point-in-time views: the contract tables as they were known just before an as-of date D.

Every feature is computed from `as_of_view(tables, D)` and from nothing else, which is what
makes features leakage-free by construction: a row enters the view only once the date that
makes it public has passed, and columns describing later events are masked to null.

What "known before D" means, table by table:
- officials, enterprise_roles: started before D; an end on or after D is not known yet (null).
- enterprises: registered before D; a deregistration on or after D is not known yet.
- tenders: published before D, or (direct awards, no publication) awarded before D; an award
  date on or after D is masked; `status` is dropped because it is stated as of the delivery,
  not as of D (a tender cancelled in May must not look cancelled in March).
- bids: once the tender's bids were opened, i.e. its deadline (else its award) is before D.
- contracts: signed before D; final amount, amendments and completion only once completed
  before D (amendment dates are not in the contract, so an unfinished contract's amendments
  are unknown, not zero).
- penalties: dated before D.
- units, persons, relations: registries without dates, taken as known.
- cases are labels, never features: left out of the view.

E.g. with D = 2024-07-01, a tender published 2024-06-20 and awarded 2024-07-10 is in the view
with awarded_on = null and none of its bids unless its deadline passed before 2024-07-01.
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir

from features.backend import Tables


def _before(column: ir.Value, as_of: ir.DateScalar) -> ir.BooleanValue:
    return column.notnull() & (column < as_of)


def _known_or_null(column: ir.Value, as_of: ir.DateScalar) -> ir.Value:
    return ibis.ifelse(_before(column, as_of), column, ibis.null(column.type()))


def _tenders(tenders: ir.Table, as_of: ir.DateScalar) -> ir.Table:
    known = _before(tenders.published_on, as_of) | (
        tenders.published_on.isnull() & _before(tenders.awarded_on, as_of)
    )
    return tenders.filter(known).mutate(
        awarded_on=_known_or_null(tenders.awarded_on, as_of)
    ).drop("status")


def _bids(bids: ir.Table, tenders: ir.Table, as_of: ir.DateScalar) -> ir.Table:
    opened = tenders.deadline.coalesce(tenders.awarded_on)
    opened_tenders = tenders.filter(_before(opened, as_of)).select("tender_id")
    return bids.semi_join(opened_tenders, "tender_id")


def _contracts(contracts: ir.Table, as_of: ir.DateScalar) -> ir.Table:
    completed = _before(contracts.completed_on, as_of)
    hidden = {
        column: ibis.ifelse(completed, contracts[column], ibis.null(contracts[column].type()))
        for column in ("final_amount", "amendments", "completed_on")
    }
    return contracts.filter(_before(contracts.signed_on, as_of)).mutate(**hidden)


def as_of_view(tables: Tables, as_of: dt.date) -> Tables:
    """The tables restricted to what was known strictly before `as_of`."""
    d = ibis.literal(as_of, type="date")
    officials, roles, firms = tables.officials, tables.enterprise_roles, tables.enterprises
    penalties = tables.penalties
    return Tables(
        units=tables.units,
        persons=tables.persons,
        relations=tables.relations,
        officials=officials.filter(_before(officials.start_date, d)).mutate(
            end_date=_known_or_null(officials.end_date, d)
        ),
        enterprises=firms.filter(_before(firms.registered_on, d)).mutate(
            deregistered_on=_known_or_null(firms.deregistered_on, d)
        ),
        enterprise_roles=roles.filter(_before(roles.start_date, d)).mutate(
            end_date=_known_or_null(roles.end_date, d)
        ),
        tenders=_tenders(tables.tenders, d),
        bids=_bids(tables.bids, tables.tenders, d),
        contracts=_contracts(tables.contracts, d),
        penalties=None if penalties is None else penalties.filter(_before(penalties.date, d)),
        cases=None,
    )
