"""Refusals of the use cases, as values every surface can word in its own way (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from bot.domain.drivers import DriverError


class SurveyError(ValueError):
    """A survey request that was refused.

    ``str(error)`` is the reason in English (the operator CLI prints it); ``key`` and
    ``params`` are the same reason as a catalog message (domain ``admin``) for people in
    chat, and ``field`` names the setting at fault, when there is one, so a form can
    show the reason next to it.
    """

    def __init__(
        self, message: str, *, key: str, field: str | None = None, **params: object
    ) -> None:
        super().__init__(message)
        self.key = key
        self.field = field
        self.params = params

    @classmethod
    def unknown_options(cls, names: Iterable[str], *, key: str, **params: object) -> SurveyError:
        """The refusal of options a command does not take: ``names``, sorted and joined,
        are the message ``key``'s ``{names}``."""
        listed = ", ".join(sorted(names))
        return cls(f"unknown options: {listed}", key=key, field=None, names=listed, **params)


class SurveyErrors(SurveyError):
    """Several refusals at once, one per setting at fault, so a form shows them all
    together. It reads as its first refusal (``key``, ``field``, ``params``); ``errors``
    holds every one, and ``str()`` joins their English reasons."""

    def __init__(self, errors: Sequence[SurveyError]) -> None:
        first = errors[0]
        super().__init__(
            "; ".join(str(error) for error in errors),
            key=first.key,
            field=first.field,
            **first.params,
        )
        self.errors = tuple(errors)


class Refusals:
    """Collects the refusals of several independent checks, then raises them together::

    refusals = Refusals()
    with refusals.collecting():
        check_name(values)
    with refusals.collecting():
        check_subject(values)
    refusals.raise_any()
    """

    def __init__(self) -> None:
        self.errors: list[SurveyError] = []

    @contextmanager
    def collecting(self) -> Iterator[None]:
        """Run the block; a :class:`SurveyError` it raises is kept, not raised."""
        try:
            yield
        except SurveyErrors as several:
            self.errors.extend(several.errors)
        except SurveyError as error:
            self.errors.append(error)

    def raise_any(self) -> None:
        """Raise the one refusal collected, or :class:`SurveyErrors` for several."""
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise SurveyErrors(self.errors)


def unknown_survey(name: str) -> SurveyError:
    """The refusal for a survey name this tenant does not have."""
    return SurveyError(f"no survey called {name!r}", key="admin.error.unknown", name=name)


def driver_refusal(error: DriverError) -> SurveyError:
    """``error`` as a refusal of the ``drivers`` setting, with its own catalog message."""
    return SurveyError(
        str(error), key=f"admin.error.drivers.{error.problem}", field="drivers", **error.params
    )
