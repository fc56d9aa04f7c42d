"""A seeded workspace for hostile-input tests, and hypothesis strategies for what Slack could send.

`seed_world` leaves a database in which forgeries have something real to aim at: Ann's
answer and her reason token, her DM message, a closed survey of the same workspace, and
another workspace's survey and token.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from hypothesis import strategies as st
from sqlalchemy import update
from sqlmodel import col

from bot.domain.people import Person
from bot.runtime.services import Services
from bot.usecases.surveys import SurveySpec, create_survey
from bot.views.common import ReasonPrompt, ScorePrompt
from storage.models import Survey
from tests.adapters.slack.conftest import RunningApp, buttons, eventually
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_records import PostedMessage
from tests.support.slack_requests import SlackRequestBuilder

ANN = "U0ANN0001"
KENJI = "U0KENJI01"
ADMIN = "U0ADMIN01"
TEAM = "T0NPS0001"
OTHER_TEAM = "T0OTHER01"


@dataclass(frozen=True)
class World:
    """Real ids a forger could have seen or guessed."""

    survey_id: str
    closed_survey_id: str
    other_survey_id: str
    ann_token: str
    other_token: str
    ann_message: PostedMessage


async def seed_world(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, services: Services
) -> World:
    # Ann answers 4 through the real endpoint: her DM now holds the 'add a reason' button.
    await app.post(requests.slash_command(user_id=ANN))
    dm = slack.workspace.dm_channel(ANN)
    await eventually(lambda: bool(slack.workspace.messages_in(dm)))
    survey = copy.deepcopy(slack.workspace.messages_in(dm)[-1])
    four = next(b for b in buttons(survey.blocks) if b["text"]["text"] == "4")
    survey_id = four["value"].rsplit(":", 1)[0]
    await app.post(
        requests.block_actions(
            user_id=ANN,
            action_id=four["action_id"],
            value=four["value"],
            channel_id=survey.channel,
            message_ts=survey.ts,
        )
    )
    await eventually(lambda: bool(slack.calls("chat.update")))
    answered = slack.workspace.messages[(survey.channel, survey.ts)]
    [add_reason] = buttons(answered.blocks)

    closed = await create_survey(
        services.database,
        platform="slack",
        tenant=TEAM,
        spec=SurveySpec(name="pulse"),
        now=services.clock(),
        default_locale="en",
    )
    async with services.database.transaction() as session:
        await session.execute(
            update(Survey).where(col(Survey.id) == closed.id).values(status="closed")
        )

    # Someone of another workspace answers there.
    stranger = Person(platform="slack", tenant=OTHER_TEAM, user_id=ANN)
    prompt = await services.engine.start(stranger)
    assert isinstance(prompt, ScorePrompt)
    reason = await services.engine.record_score(stranger, survey_id=prompt.survey_id, score=9)
    assert isinstance(reason, ReasonPrompt)
    slack.responses.clear()
    return World(
        survey_id=survey_id,
        closed_survey_id=str(closed.id),
        other_survey_id=prompt.survey_id,
        ann_token=add_reason["value"],
        other_token=reason.token,
        ann_message=copy.deepcopy(answered),
    )


def tampered(token: str, at: int) -> str:
    """``token`` with one character changed."""
    index = at % len(token)
    return token[:index] + ("B" if token[index] != "B" else "C") + token[index + 1 :]


# Text a hostile client could put anywhere: control characters, lone surrogates, mentions,
# right-to-left marks, very long strings.
NASTY = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "\ud800",
        "\udfff\ud800",
        "<!channel>",
        "<@U0ADMIN01>",
        "\u202e",
        "%00",
        "null",
        "{}",
        "[]",
        "../../etc/passwd",
        "' OR 1=1 --",
        "9",
        "１０",
        "٩",
        "10.0",
        "-1",
        "1e3",
    ]
)
HUGE = st.builds(
    lambda piece, times: piece * times, st.text(min_size=1, max_size=4), st.integers(600, 6000)
)
HOSTILE_TEXT = st.one_of(st.text(max_size=40), NASTY, HUGE)
JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), HOSTILE_TEXT
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
