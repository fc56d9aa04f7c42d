"""Respondent keys and reason tokens."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from bot.identity import ReasonTokens, respondent_key
from bot.people import Person

PEPPER = b"p" * 40


def test_respondent_key_is_stable_and_scoped() -> None:
    alice = Person(platform="slack", tenant="T1", user_id="U1")
    assert respondent_key(PEPPER, alice) == respondent_key(PEPPER, alice)
    others = [
        Person(platform="discord", tenant="T1", user_id="U1"),
        Person(platform="slack", tenant="T2", user_id="U1"),
        Person(platform="slack", tenant="T1", user_id="U2"),
    ]
    keys = {respondent_key(PEPPER, alice)} | {respondent_key(PEPPER, p) for p in others}
    assert len(keys) == 4
    assert respondent_key(b"q" * 40, alice) != respondent_key(PEPPER, alice)
    assert "U1" not in respondent_key(PEPPER, alice)


def test_reason_tokens_are_bound_to_person_and_time() -> None:
    tokens = ReasonTokens(secret=b"s" * 32, valid_days=14)
    response = uuid.uuid4()
    today = date(2026, 5, 1)
    token = tokens.issue(response_id=response, key="alice", today=today)
    assert tokens.verify(token, key="alice", today=today) == response
    assert tokens.verify(token, key="alice", today=today + timedelta(days=14)) == response
    assert tokens.verify(token, key="alice", today=today + timedelta(days=15)) is None
    assert tokens.verify(token, key="bob", today=today) is None
    forged = f"{uuid.uuid4().hex}.{token.split('.', 1)[1]}"
    assert tokens.verify(forged, key="alice", today=today) is None
    for garbage in ("", "a.b", "a.b.c", token + "x"):
        assert tokens.verify(garbage, key="alice", today=today) is None
