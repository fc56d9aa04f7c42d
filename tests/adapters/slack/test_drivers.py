"""Driver questions in Slack, through Bolt's signed HTTP endpoint: after the reason modal
the DM shows each driver with 1–5 buttons; a click stores the rating and marks it; then
``nps-bot report --json`` shows the drivers."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from adapters.slack import actions
from bot.runtime.services import Services
from bot.runtime.settings import Settings
from storage.models import DriverRating
from tests.adapters.slack.conftest import RunningApp, buttons, eventually, settle
from tests.adapters.slack.test_respondent_path import ANN, KENJI, _tampered, ask, click, submit
from tests.cli.conftest import _runner
from tests.conftest import TEST_PEPPER
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_records import PostedMessage, SlackUser
from tests.support.slack_requests import SlackRequestBuilder

DRIVERS = "growth=Growth,manager=My manager"


@pytest.fixture
def settings(database_url: str) -> Settings:
    """The shared services' settings, with driver questions for the default survey."""
    return Settings(
        _env_file=None, database_url=database_url, nps_pepper=TEST_PEPPER, survey_drivers=DRIVERS
    )


async def answer_with_reason(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, user: str, score: int
) -> PostedMessage:
    """Score and reason through the real listeners; returns the DM once it shows the
    driver questions."""
    survey = await ask(app, slack, requests, user)
    views_before = set(slack.workspace.views)
    await app.post(click(requests, user, survey, score))
    await eventually(lambda: set(slack.workspace.views) != views_before)
    [modal_id] = set(slack.workspace.views) - views_before
    status, _ = await app.post(submit(requests, user, slack.workspace.views[modal_id], "ok"))
    assert status == 200
    key = (survey.channel, survey.ts)
    await eventually(
        lambda: any(
            b["action_id"].startswith(actions.DRIVER_ACTION_PREFIX)
            for b in buttons(slack.workspace.messages[key].blocks)
        )
    )
    return copy.deepcopy(slack.workspace.messages[key])


async def rate(
    app: RunningApp,
    requests: SlackRequestBuilder,
    user: str,
    dm: PostedMessage,
    *,
    driver: int,
    rating: int,
    value: str | None = None,
) -> None:
    row = next(b for b in dm.blocks if b.get("block_id") == f"rate_{driver}")
    button = row["elements"][rating - 1]
    status, _ = await app.post(
        requests.block_actions(
            user_id=user,
            action_id=button["action_id"],
            value=value or button["value"],
            channel_id=dm.channel,
            message_ts=dm.ts,
        )
    )
    assert status == 200


async def stored(services: Services) -> list[tuple[str, int]]:
    async with services.database.transaction() as session:
        rows = await session.execute(select(DriverRating.driver, DriverRating.rating))
        return sorted((str(d), int(r)) for d, r in rows.all())


async def test_score_reason_then_driver_clicks_then_the_report_shows_drivers(
    app: RunningApp,
    slack: SlackApiDouble,
    requests: SlackRequestBuilder,
    slack_services: Services,
    database_url: str,
    tmp_path: Path,
) -> None:
    t = slack_services.catalogs.translator("en")
    dm = await answer_with_reason(app, slack, requests, ANN, 9)
    shown = json.dumps(dm.blocks, ensure_ascii=False)
    for words in (t("thanks.with_reason"), t("drivers.intro"), "1 = poor", "5 = excellent"):
        assert words in shown
    rows = [b for b in dm.blocks if b["type"] == "actions" and b["block_id"] != "replies"]
    assert [[e["text"]["text"] for e in row["elements"]] for row in rows] == [
        ["1", "2", "3", "4", "5"]
    ] * 2
    assert all(ANN not in e["value"] for row in rows for e in row["elements"])

    await rate(app, requests, ANN, dm, driver=0, rating=4)
    key = (dm.channel, dm.ts)
    await eventually(lambda: "Growth: 4" in json.dumps(slack.workspace.messages[key].blocks))
    marked = next(b for b in slack.workspace.messages[key].blocks if b.get("block_id") == "rate_0")
    assert [e.get("style") for e in marked["elements"]] == [None, None, None, "primary", None]
    assert "Saved: Growth 4/5." in json.dumps(slack.workspace.messages[key].blocks)
    # A second click changes the rating; one row per answer and driver.
    await rate(app, requests, ANN, dm, driver=0, rating=2)
    await eventually(lambda: "Growth: 2" in json.dumps(slack.workspace.messages[key].blocks))
    assert await stored(slack_services) == [("growth", 2)]

    # Four more people, so the survey reaches k = 5 and the drivers may be shown.
    people = {"U0P000001": 10, "U0P000002": 6, "U0P000003": 3, "U0P000004": 8}
    slack.workspace.add_user(*(SlackUser(id=user, name=user.lower()) for user in people))
    await rate(app, requests, ANN, dm, driver=1, rating=5)
    for user, score in people.items():
        theirs = await answer_with_reason(app, slack, requests, user, score)
        await rate(app, requests, user, theirs, driver=0, rating=1 + score // 3)
        await rate(app, requests, user, theirs, driver=1, rating=3)
    await eventually(lambda: len(slack.calls("chat.update")) >= 3 + 4 * 4)
    await settle(app)
    assert len(await stored(slack_services)) == 10

    done = _runner(database_url, tmp_path)("report", "--json")
    [report] = [json.loads(line) for line in done.stdout.splitlines()]
    growth, manager = report["drivers"]
    assert (growth["key"], growth["n"], growth["method"]) == ("growth", 5, "spearman")
    assert growth["mean_rating"] == (2 + 4 + 3 + 2 + 3) / 5
    assert (manager["key"], manager["n"], manager["mean_rating"]) == ("manager", 5, 3.4)


async def test_someone_elses_or_a_forged_rating_button_stores_nothing(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    dm = await answer_with_reason(app, slack, requests, ANN, 7)
    button = next(b for b in dm.blocks if b.get("block_id") == "rate_0")["elements"][2]
    token, driver, rating = actions.parse_driver_value(button["value"])
    attempts = [
        (KENJI, button["value"]),
        (ANN, actions.driver_value(_tampered(token), driver, int(rating))),
        (ANN, actions.driver_value(token, "salary", 3)),
        (ANN, f"{token}|{driver}|9"),
    ]
    for user, value in attempts:
        await rate(app, requests, user, dm, driver=0, rating=3, value=value)
    await eventually(lambda: len(slack.responses) >= len(attempts))
    await settle(app)
    assert await stored(slack_services) == []
    texts = json.dumps([r.payload for r in slack.responses], ensure_ascii=False)
    assert "Please answer with a whole number from 1 to 5." in texts
    assert "This survey does not ask that question." in texts
    assert all(r.payload.get("response_type") == "ephemeral" for r in slack.responses)
