"""A question sent on request (``/nps``, "Answer now") whose outcome Slack lost.

Slack may have posted before the answer was lost (a 500 after posting, a dropped
connection). That is a known state of the network, not a fault of the bot: one clear
log line, no traceback, no second message, and the request answered without a 5xx.
"""

from __future__ import annotations

import logging

import pytest

from adapters.slack import actions
from tests.adapters.slack.conftest import RunningApp, settle
from tests.doubles.slack_api import SlackApiDouble
from tests.support.slack_requests import SlackRequestBuilder

KENJI = "U0KENJI01"
LOST = pytest.mark.parametrize("status", [500, 0], ids=["server error", "dropped connection"])


def logged(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.levelno >= logging.WARNING]


def assert_one_clear_line(caplog: pytest.LogCaptureFixture) -> None:
    [record] = logged(caplog)
    assert record.exc_info is None and "Traceback" not in record.getMessage()
    assert "may have been posted" in record.getMessage()
    assert "\n" not in record.getMessage()


@LOST
async def test_nps_whose_post_was_answered_with_a_lost_outcome_logs_one_line(
    app: RunningApp,
    slack: SlackApiDouble,
    requests: SlackRequestBuilder,
    caplog: pytest.LogCaptureFixture,
    status: int,
) -> None:
    slack.faults.after_effect("chat.postMessage", status=status)
    caplog.clear()

    with caplog.at_level(logging.WARNING):
        answered, _ = await app.post(requests.slash_command(user_id=KENJI, channel_id="C0NPSGEN1"))
        await settle(app)

    assert answered == 200
    assert len(slack.workspace.messages_in(slack.workspace.dm_channel(KENJI))) == 1
    assert len(slack.calls("chat.postMessage")) == 1  # never blindly sent again
    assert_one_clear_line(caplog)


@LOST
async def test_answer_now_on_the_home_tab_with_a_lost_outcome_logs_one_line(
    app: RunningApp,
    slack: SlackApiDouble,
    requests: SlackRequestBuilder,
    caplog: pytest.LogCaptureFixture,
    status: int,
) -> None:
    slack.faults.after_effect("chat.postMessage", status=status)
    caplog.clear()

    with caplog.at_level(logging.WARNING):
        answered, _ = await app.post(
            requests.block_actions(
                user_id=KENJI, action_id=actions.HOME_ANSWER_ACTION, value="answer", channel_id="D1"
            )
        )
        await settle(app)

    assert answered == 200
    assert len(slack.calls("chat.postMessage")) == 1
    assert_one_clear_line(caplog)
