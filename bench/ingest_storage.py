"""The middle side of the ingest bench: the storage layer alone.

The engine's answer path without the engine: the same storage functions, hence the same
statements through SQLAlchemy Core, in the same three transactions, called straight
with the values a use case would pass (:mod:`bench.ingest` measures it between the
engine and the raw driver). Per person:

1. the ask: :func:`storage.asks.ask_state`, then :func:`storage.asks.add_ask`;
2. the answer: :func:`storage.asks.ask_state`, then :func:`storage.asks.insert_answer`
   (the claim, and on PostgreSQL the mixing pool's rewrite);
3. closing the ask: :func:`storage.contacts.close_contact`.

What is left out is everything of the engine's own: the person's key, the decision,
the labels, the remembered ids, the guard, the prompts and the reason token. So the
engine's rate against this one is what the engine's own work costs, and this one's
against the raw driver is what SQLAlchemy's execution of the same statements costs.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from datetime import date

from storage import asks, contacts
from storage.database import Database

CLAIM_KEY = b"bench-storage-claims"


async def storage_rate(
    database: Database, *, tenant: uuid.UUID, survey: uuid.UUID, people: range
) -> float:
    """Answers per second of the storage functions alone, for ``people`` (each asked,
    then answering)."""
    today = date.today()
    started = time.perf_counter()
    for n in people:
        key = f"core{n:060d}"
        async with database.connection() as connection:
            state = await asks.ask_state(
                connection, tenant_id=tenant, survey_id=survey, respondent_key=key
            )
            assert state is not None and state.open_ask is None and not state.opted_out
            ask, written = await asks.add_ask(
                connection,
                tenant_id=tenant,
                survey_id=survey,
                respondent_key=key,
                asked_on=today,
                wave_id=None,
                labels={},
            )
            assert written
        async with database.connection() as connection:
            state = await asks.ask_state(
                connection, tenant_id=tenant, survey_id=survey, respondent_key=key
            )
            assert state is not None and state.open_ask == ask
            stored = await asks.insert_answer(
                connection,
                survey=state.survey,
                claim=hmac.new(CLAIM_KEY, ask.contact_id.bytes, hashlib.sha256).hexdigest(),
                wave_id=None,
                score=n % 11,
                segments={},
                answered_on=today,
            )
            assert stored is not None
        async with database.connection() as connection:
            assert await contacts.close_contact(connection, contact_id=ask.contact_id)
    return len(people) / (time.perf_counter() - started)
