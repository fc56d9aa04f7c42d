"""Action ids, callback ids and what buttons and modals carry back to the app.

Score buttons carry only ``"<survey id>:<score>"``; nothing names the person. The
reason form (button value and modal ``private_metadata``) carries the reason token,
which only the person who answered can use, and it disappears from the conversation
once the reason is sent; the thanks then carries a "See replies" button whose value is
the person's reply token (see ``docs/design/replies.md``). Driver rating buttons, shown
in the DM after the reason, carry ``"<token>|<driver key>|<rating>"``: the same token,
so only that person can rate that answer, until the token expires.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, replace

from bot.views.common import ReasonPrompt

SCORE_ACTION_PREFIX = "nps_score_"
SCORE_ACTION = re.compile(rf"^{SCORE_ACTION_PREFIX}\d+$")
NOT_NOW_ACTION = "nps_not_now"
STOP_ACTION = "nps_stop"
REASON_OPEN_ACTION = "nps_reason_open"
CARD_ANSWER_ACTION = "nps_card_answer"
HOME_TOGGLE_ACTION = "nps_home_toggle"
HOME_ANSWER_ACTION = "nps_home_answer"

DRIVER_ACTION_PREFIX = "nps_driver_"
DRIVER_ACTION = re.compile(rf"^{DRIVER_ACTION_PREFIX}\d$")

REASON_CALLBACK = "nps_reason"
REASON_BLOCK = "reason"
REASON_INPUT = "reason_text"

OPT_OUT = "optout"
OPT_IN = "optin"


def score_action_id(score: int) -> str:
    """Action ids must be unique within a block, so each score gets its own."""
    return f"{SCORE_ACTION_PREFIX}{score}"


def score_value(survey_id: str, score: int) -> str:
    return f"{survey_id}:{score}"


def parse_score_value(value: str) -> tuple[str, str]:
    """``(survey_id, score)`` as typed; the engine validates both."""
    survey_id, _, score = value.rpartition(":")
    return survey_id, score


def driver_action_id(rating: int) -> str:
    """Unique within a driver's block, like the score buttons."""
    return f"{DRIVER_ACTION_PREFIX}{rating}"


def driver_value(token: str, driver: str, rating: int) -> str:
    """What a rating button carries: the reason token, the driver's key and the rating."""
    return f"{token}|{driver}|{rating}"


def parse_driver_value(value: str) -> tuple[str, str, str]:
    """``(token, driver, rating)`` as clicked; the engine validates all three."""
    token, _, rest = value.partition("|")
    driver, _, rating = rest.partition("|")
    return token, driver, rating


@dataclass(frozen=True)
class ReasonForm:
    """Everything needed to (re)open the reason modal and to update the DM afterwards.

    The words come from the engine's `ReasonPrompt`; ``channel``/``ts`` name the DM
    message to replace once the reason is sent (empty in a button value, where the
    click itself says which message it came from).
    """

    token: str
    title: str
    prompt: str
    submit: str
    channel: str = ""
    ts: str = ""

    @classmethod
    def from_prompt(cls, prompt: ReasonPrompt) -> ReasonForm:
        return cls(
            token=prompt.token,
            title=prompt.title,
            prompt=prompt.prompt,
            submit=prompt.submit_label,
        )

    def at(self, *, channel: str, ts: str) -> ReasonForm:
        """This form, bound to the DM message ``channel``/``ts``."""
        return replace(self, channel=channel, ts=ts)

    def encode(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def decode(cls, raw: str) -> ReasonForm | None:
        """The form, or None when ``raw`` is not one (a forged or foreign value)."""
        try:
            fields = json.loads(raw)
            return cls(**{key: str(fields[key]) for key in cls.__dataclass_fields__})
        except (ValueError, TypeError, KeyError):
            return None


REPLIES_OPEN_ACTION = "nps_replies_open"
"""The "See replies" button of a thanks message; its value is the reply token."""
REPLIES_CALLBACK = "nps_replies"
REPLIES_BLOCK = "replies_answer"
REPLIES_INPUT = "replies_text"
REPLIES_CLOSE_BLOCK = "replies_close"
REPLIES_CLOSE_INPUT = "replies_close_choice"
REPLIES_CLOSE_VALUE = "close"

REPORT_REPLY_ACTION = "nps_report_reply"
"""A quote's "reply" button on a report; its value is ``"<handle>|<survey>"``."""
REPORT_REPLY_CALLBACK = "nps_report_reply"
REPORT_REPLY_BLOCK = "report_reply"
REPORT_REPLY_INPUT = "report_reply_text"


def report_reply_value(handle: str, survey: str) -> str:
    return f"{handle}|{survey}"


def parse_report_reply_value(value: str) -> tuple[str, str]:
    """``(handle, survey)`` as clicked; the use case checks both (and the admin)."""
    handle, _, survey = value.partition("|")
    return handle, survey
