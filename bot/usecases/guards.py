"""The guards every chat use case shares: one for database failures, one for admins.

Both wrap a use case called as ``use_case(owner, person, ...)`` (a method whose first
argument after ``self`` is the :class:`~bot.domain.people.Person` asking) and keep its
own return type, widened by the :class:`~bot.views.common.Notice` they may answer
instead; so a caller still knows which views a use case can return.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot.domain.people import Person
from bot.i18n import Translator
from bot.views.common import Notice, Tone

log = logging.getLogger(__name__)


class Speaking(Protocol):
    """An owner of use cases that can say things in a person's language."""

    def translator(self, person: Person) -> Translator: ...


Owner = TypeVar("Owner", bound=Speaking)
P = ParamSpec("P")
R = TypeVar("R")

DATABASE_ERRORS = (OperationalError, DBAPIError, OSError, PoolTimeout)
"""What a database outage raises. OSError: a refused connection surfaces from the
driver before SQLAlchemy wraps it. PoolTimeout: no pooled connection came free in
``DATABASE_POOL_WAIT_SECONDS`` (an overload the person is asked to wait out)."""


def database_guard(
    use_case: Callable[Concatenate[Owner, Person, P], Awaitable[R]],
) -> Callable[Concatenate[Owner, Person, P], Awaitable[R | Notice]]:
    """Turn a database failure into a "try again in a moment" notice in the person's
    language; the failed transaction has already rolled back, so nothing is half-stored."""

    @functools.wraps(use_case)
    async def guarded(
        owner: Owner, person: Person, /, *args: P.args, **kwargs: P.kwargs
    ) -> R | Notice:
        try:
            return await use_case(owner, person, *args, **kwargs)
        except DATABASE_ERRORS:
            log.exception("database error while handling a request")
            return Notice(owner.translator(person)("error.try_again"), Tone.ERROR)

    return guarded


def admin_only(
    refusal: str,
) -> Callable[
    [Callable[Concatenate[Owner, Person, P], Awaitable[R]]],
    Callable[Concatenate[Owner, Person, P], Awaitable[R | Notice]],
]:
    """Run the use case only for an admin (the platform's verdict on
    :attr:`Person.is_admin`); anyone else gets the catalog message ``refusal`` and
    nothing runs. Checked here, not only in adapters, so an adapter that forgets its own
    check still refuses."""

    def decorate(
        use_case: Callable[Concatenate[Owner, Person, P], Awaitable[R]],
    ) -> Callable[Concatenate[Owner, Person, P], Awaitable[R | Notice]]:
        @functools.wraps(use_case)
        async def checked(
            owner: Owner, person: Person, /, *args: P.args, **kwargs: P.kwargs
        ) -> R | Notice:
            if not person.is_admin:
                return Notice(owner.translator(person)(refusal), Tone.WARNING)
            return await use_case(owner, person, *args, **kwargs)

        return checked

    return decorate
