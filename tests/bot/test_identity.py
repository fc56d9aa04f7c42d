"""Respondent keys and reason tokens."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from bot.domain.identity import ReasonTokens, respondent_key
from bot.domain.people import Person
from bot.usecases.keys import PersonKeys, derive_key

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


def test_keys_stored_by_earlier_versions_are_derived_again() -> None:
    """Respondent keys, claims and derived keys are stored or depend on stored data: the
    same pepper must give the same bytes in every version, or people are asked again
    and claims stop matching their asks."""
    alice = Person(platform="slack", tenant="T1", user_id="U1")
    assert respondent_key(PEPPER, alice) == (
        "28283f6af741da7dda471da13038758d838f839bdc91b3fc29630066dc566c64"
    )
    assert PersonKeys(PEPPER).claim(uuid.UUID(int=1)) == (
        "3fe99ab763afadb06433408128da88b12a4c5fd1fc885ce43eeffa752d79351b"
    )
    assert derive_key(PEPPER, purpose=b"reason-token").hex() == (
        "6f6355147deaa6a2a45433b9f606c6eb78224e5d2809360abe64861df75b1642"
    )


def test_a_token_issued_by_one_instance_is_verified_by_another() -> None:
    """The cipher is built once per instance: two instances over the same secret (two
    replicas) still read each other's tokens."""
    response, today = uuid.uuid4(), date(2026, 5, 1)
    token = ReasonTokens(secret=b"s" * 32).issue(response_id=response, key="k", today=today)
    assert ReasonTokens(secret=b"s" * 32).verify(token, key="k", today=today) == response


def test_reason_tokens_are_bound_to_person_and_time() -> None:
    tokens = ReasonTokens(secret=b"s" * 32, valid_days=14)
    response = uuid.uuid4()
    today = date(2026, 5, 1)
    token = tokens.issue(response_id=response, key="alice", today=today)
    assert tokens.verify(token, key="alice", today=today) == response
    assert tokens.verify(token, key="alice", today=today + timedelta(days=14)) == response
    assert tokens.verify(token, key="alice", today=today + timedelta(days=15)) is None
    assert tokens.verify(token, key="bob", today=today) is None
    assert response.hex not in token and len(token) == 62
    flipped = token[:20] + ("A" if token[20] != "A" else "B") + token[21:]
    assert tokens.verify(flipped, key="alice", today=today) is None
    other_secret = ReasonTokens(secret=b"t" * 32)
    assert other_secret.verify(token, key="alice", today=today) is None
    for garbage in ("", "a.b", "a.b.c", token + "x", "!!!!", "A" * 62):
        assert tokens.verify(garbage, key="alice", today=today) is None


def test_reason_tokens_differ_each_time_they_are_issued() -> None:
    tokens = ReasonTokens(secret=b"s" * 32)
    response, today = uuid.uuid4(), date(2026, 5, 1)
    first = tokens.issue(response_id=response, key="k", today=today)
    second = tokens.issue(response_id=response, key="k", today=today)
    assert first != second
    assert tokens.verify(first, key="k", today=today) == tokens.verify(second, key="k", today=today)
