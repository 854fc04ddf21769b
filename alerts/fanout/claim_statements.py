"""The statements that claim ledger rows, built once with parameters.

Building them afresh for every chunk of 50 rows cost more Python than running them; they use
the tables' columns (Core), so no ORM loading either. `ledger.claim` runs them.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, case, or_, select, update

from alerts.models import AlertRecipient, Delivery, DeliveryState, Registrant

_D = cast(Table, Delivery.__table__).c
_R = cast(Table, Registrant.__table__).c
_A = cast(Table, AlertRecipient.__table__).c


def _claimable_now() -> Any:
    now = bindparam("b_now", type_=_D.lease_until.type)
    return or_(
        and_(
            _D.state == DeliveryState.QUEUED,
            or_(_D.not_before.is_(None), _D.not_before <= now),
        ),
        and_(_D.state == DeliveryState.SENDING, _D.lease_until < now),
    )


CANDIDATES = (
    select(
        _D.id,
        _D.alert_id,
        _D.registrant_id,
        _D.channel,
        _D.step,
        _D.batch,
        _A.language,
        _R.disability_kinds,
        _R.telegram_chat_id,
        _R.phone,
        _R.contact_phone,
        _R.voice_refused_at,
    )
    .select_from(
        cast(Table, Delivery.__table__)
        .join(cast(Table, Registrant.__table__), _R.id == _D.registrant_id)
        .join(
            cast(Table, AlertRecipient.__table__),
            and_(_A.alert_id == _D.alert_id, _A.registrant_id == _D.registrant_id),
        )
    )
    .where(_D.alert_id == bindparam("b_alert"), _D.batch == bindparam("b_batch"), _claimable_now())
    .order_by(_D.id)
    .limit(bindparam("b_limit"))
    .with_for_update(skip_locked=True, of=cast(Table, Delivery.__table__))
)


def _take(*, locked: bool) -> Any:
    return (
        update(cast(Table, Delivery.__table__))
        .where(
            _D.id.in_(bindparam("b_ids", expanding=True)),
            *(() if locked else (_claimable_now(),)),
        )
        .values(
            in_doubt=case((_D.state == DeliveryState.SENDING, True), else_=_D.in_doubt),
            state=DeliveryState.SENDING,
            worker=bindparam("b_worker"),
            lease_until=bindparam("b_lease_until", type_=_D.lease_until.type),
            attempts=_D.attempts + 1,
        )
        .returning(_D.id, _D.attempts, _D.in_doubt)
    )


TAKE_LOCKED = _take(locked=True)
TAKE_UNLOCKED = _take(locked=False)
