"""Refusals of survey requests, as pure values: the use cases raise them and the chat
forms build them too, so both name a refused setting the same way."""

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


def driver_refusal(error: DriverError) -> SurveyError:
    """``error`` as a refusal of the ``drivers`` setting, with its own catalog message."""
    return SurveyError(
        str(error), key=f"admin.error.drivers.{error.problem}", field="drivers", **error.params
    )
