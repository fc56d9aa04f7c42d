"""The notice that new replies exist, in App Home too, through the real Slack app: it
appears only after the periodic notice ran (not when the admin replied), reads the same
for everyone, in their language, naming no one, and fades after ``NOTICE_DAYS``."""

from __future__ import annotations

import json
from typing import Any

from bot.domain.replies import NOTICE_DAYS
from bot.domain.surveys import DEFAULT_SURVEY
from bot.ports.reach import Reach
from bot.runtime.services import Services
from bot.usecases.reply_notices import announce_replies
from tests.adapters.slack.conftest import RunningApp, eventually
from tests.adapters.slack.test_respondent_path import ANN, KENJI
from tests.doubles.slack_api import SlackApiDouble
from tests.support.clock import Clock
from tests.support.replies_world import quoted, released_report, writers
from tests.support.slack_requests import SlackRequestBuilder

TEAM = "T0NPS0001"
CHANNEL = "C0NPSGEN1"


async def _home(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, user: str
) -> list[dict[str, Any]]:
    before = len(slack.calls("views.publish"))
    await app.post(requests.app_home_opened(user_id=user))
    await eventually(lambda: len(slack.calls("views.publish")) == before + 1)
    return list(slack.workspace.home_views[user]["blocks"])


def _notice(blocks: list[dict[str, Any]]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b.get("block_id") == "replies_notice"]


async def test_app_home_says_new_replies_exist_after_the_periodic_notice(
    app: RunningApp,
    slack: SlackApiDouble,
    requests: SlackRequestBuilder,
    slack_services: Services,
    clock: Clock,
) -> None:
    everyone = await writers(slack_services, platform="slack", tenant=TEAM)
    handles = quoted(await released_report(slack_services, channel=CHANNEL), everyone)
    await slack_services.replies.send(
        platform="slack", tenant=TEAM, name=DEFAULT_SURVEY, handle=next(iter(handles)), text="hi"
    )
    # Replied, not yet announced: App Home says nothing, so it does not time the reply.
    assert _notice(await _home(app, slack, requests, ANN)) == []

    reach = Reach(platform=app.platform, tenant=TEAM)
    assert await announce_replies(slack_services.waves, reach) == 1
    en, ja = slack_services.catalogs.translator("en"), slack_services.catalogs.translator("ja")
    [posted] = slack.workspace.messages_in(CHANNEL)
    for user, t in ((ANN, en), (KENJI, ja), ("U0ADMIN01", en)):
        blocks = await _home(app, slack, requests, user)
        assert _notice(blocks) == [t("replies.notice", survey=DEFAULT_SURVEY)]
        assert next(b for b in blocks if b.get("block_id") == "replies_notice")["text"] == {
            "type": "plain_text",
            "text": t("replies.notice", survey=DEFAULT_SURVEY),
            "emoji": False,
        }
        shown = json.dumps(blocks)
        assert not any(w.person.user_id in shown for w in everyone)
    assert posted.text == en("replies.notice", survey=DEFAULT_SURVEY)  # as the channel read it

    # Nothing new: a later run posts nothing and the notice fades after NOTICE_DAYS.
    clock.advance(days=NOTICE_DAYS)
    assert await announce_replies(slack_services.waves, reach) == 0
    assert _notice(await _home(app, slack, requests, ANN)) != []
    clock.advance(days=1)
    assert _notice(await _home(app, slack, requests, ANN)) == []


async def test_privacy_help_and_replies_say_what_a_reply_is_in_both_languages(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    en, ja = slack_services.catalogs.translator("en"), slack_services.catalogs.translator("ja")
    told = []
    for user, word in ((ANN, "privacy"), (KENJI, "privacy"), (ANN, "help"), (KENJI, "replies")):
        await app.post(requests.slash_command(user_id=user, text=word))
        await eventually(lambda: len(slack.responses) == len(told) + 1)
        told.append(slack.responses[-1].payload["text"])
    assert told[0].endswith("\n" + en("privacy.replies"))
    assert told[1].endswith("\n" + ja("privacy.replies"))
    assert told[2] == en("help.text") + "\n" + en("help.replies")
    assert told[3] == ja("help.replies")
    # What a reply is, that nothing links it to the person, and how to close it.
    assert en("replies.close") in en("privacy.replies") and "no link" in en("privacy.replies")
    assert ja("replies.close") in ja("privacy.replies")
    assert "結びつける情報がなく" in ja("privacy.replies")
