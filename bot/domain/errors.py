"""Refusals of the use cases, as values every surface can word in its own way (pure)."""

from __future__ import annotations

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


def unknown_survey(name: str) -> SurveyError:
    """The refusal for a survey name this tenant does not have."""
    return SurveyError(f"no survey called {name!r}", key="admin.error.unknown", name=name)


def driver_refusal(error: DriverError) -> SurveyError:
    """``error`` as a refusal of the ``drivers`` setting, with its own catalog message."""
    return SurveyError(
        str(error), key=f"admin.error.drivers.{error.problem}", field="drivers", **error.params
    )
