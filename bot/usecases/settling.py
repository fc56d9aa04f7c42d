"""The person's side of an answer: closing its ask once the answer is stored.

An answer is stored in a transaction that writes nothing about the person (see
:mod:`storage.mixing` for why); the ask it answers is claimed there by a keyed digest
(:mod:`storage.claims`). :func:`close_claimed` then closes the ask and marks the wave's
invitation answered, in the next transaction. :func:`settle_claims`, run on a schedule,
does the rest: it closes the asks whose second step never ran (the process stopped, the
database went away between the two), and deletes claims two runs after finding their
asks closed. The claim outlives the ask's closing on purpose: a request that read the
ask as open a moment before it closed must still find the claim when it tries to claim
the ask, so the claim goes only once no such request can still be running.
"""

from __future__ import annotations

from bot.usecases.keys import PersonKeys
from storage import claims, contacts, invitations
from storage.asks import OpenAsk
from storage.database import Database
from storage.sql import Executor


async def close_claimed(session: Executor, *, ask: OpenAsk, respondent_key: str) -> None:
    """Close ``ask`` (answered) and mark its invitation answered."""
    await contacts.close_contact(session, contact_id=ask.contact_id)
    if ask.wave_id is not None:
        # Reminders skip people who answered; the wave forgets this when it closes.
        await invitations.mark_answered(session, wave_id=ask.wave_id, respondent_key=respondent_key)


async def settle_claims(database: Database, keys: PersonKeys) -> int:
    """One settling run: close the asks of claims whose ask is still open, note the
    claims whose ask is closed (or gone: closed with its wave, forgotten), and delete
    those noted by an earlier run. Returns how many asks it closed.

    Safe to run while people answer and on several replicas at once: closing an ask and
    noting or deleting a claim are idempotent, and a claim not yet committed is not seen.
    """
    closed = 0
    async with database.transaction() as session:
        for survey_id, standing in (await claims.claims_by_survey(session)).items():
            for contact_id, wave_id, key in await contacts.open_asks(session, survey_id=survey_id):
                if keys.claim(contact_id) in standing:
                    ask = OpenAsk(contact_id=contact_id, wave_id=wave_id)
                    await close_claimed(session, ask=ask, respondent_key=key)
                    closed += 1
            await claims.drop_claims(session, digests=[d for d, seen in standing.items() if seen])
            await claims.mark_seen(session, digests=[d for d, seen in standing.items() if not seen])
    return closed
