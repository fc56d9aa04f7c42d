"""``nps-bot survey share|unshare|shares`` through Typer's runner on a real SQLite file,
and what the person it names then reads in chat."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli.main import app
from bot.cli.surveys import survey_app
from bot.domain.identity import respondent_key
from bot.domain.people import Person
from bot.runtime.services import build_services
from bot.runtime.settings import Settings
from bot.views.admin import AdminView
from bot.views.common import Notice, ReportView, ScorePrompt
from storage.models import ScopedViewer, Survey
from tests.conftest import TEST_PEPPER

TENANT = "T0TEAM001"
WHERE = ["--platform", "slack", "--tenant", TENANT]
LEAD = Person(platform="slack", tenant=TENANT, user_id="U0LEAD001")


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'nps.db'}"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("NPS_PEPPER", TEST_PEPPER)
    return url


def in_chat(url: str, *, answers: list[tuple[str, int]], then: Person, text: str) -> AdminView:
    """People answer the survey ``pulse`` with team labels, then ``then`` types ``text``."""

    async def work() -> AdminView:
        settings = Settings(_env_file=None, database_url=url, nps_pepper=TEST_PEPPER)
        services = await build_services(settings, migrate=True)
        try:
            for number, (team, score) in enumerate(answers):
                person = Person(
                    platform="slack",
                    tenant=TENANT,
                    user_id=f"U{number:08d}",
                    segments={"team": team},
                )
                prompt = await services.engine.start(person)
                assert isinstance(prompt, ScorePrompt)
                await services.engine.record_score(person, survey_id=prompt.survey_id, score=score)
            return await services.commands.handle(then, text)
        finally:
            await services.database.dispose()

    return asyncio.run(work())


def test_share_list_and_unshare_name_the_person_by_key_only(database: str) -> None:
    runner = CliRunner()
    created = runner.invoke(survey_app, ["create", "--survey", "default", *WHERE])
    assert created.exit_code == 0, created.output

    shared = runner.invoke(
        survey_app, ["share", "--survey", "default", *WHERE, "--user", LEAD.user_id, "team=eng"]
    )
    listed = runner.invoke(survey_app, ["shares", "--survey", "default", *WHERE])

    assert shared.exit_code == 0, shared.output
    assert "shared team=eng of survey default" in shared.output
    key = respondent_key(TEST_PEPPER.encode(), LEAD)
    assert "team=eng" in listed.output and key[:8] in listed.output
    assert LEAD.user_id not in listed.output
    assert LEAD.user_id.encode() not in Path(database.split("///")[1]).read_bytes()

    eng = [("eng", s) for s in (10, 9, 9, 8, 3, 10)] + [("ops", s) for s in (0, 1, 2, 3, 4, 5)]
    view = in_chat(database, answers=eng, then=LEAD, text="report")
    assert isinstance(view, ReportView) and "team=eng" in view.title
    assert view.headline.startswith("NPS +50")

    ended = runner.invoke(
        survey_app, ["unshare", "--survey", "default", *WHERE, "--user", "U0LEAD001"]
    )
    again = runner.invoke(
        survey_app, ["unshare", "--survey", "default", *WHERE, "--user", "U0LEAD001"]
    )
    assert "stopped sharing survey default" in ended.output
    assert "was not sharing survey default" in again.output
    refused = in_chat(database, answers=[], then=LEAD, text="report")
    assert isinstance(refused, Notice) and refused.text == "Only survey admins can see reports."


def test_sharing_refuses_a_bad_group_and_an_unknown_survey(database: str) -> None:
    runner = CliRunner()
    runner.invoke(survey_app, ["create", "--survey", "default", *WHERE])
    bad = runner.invoke(
        survey_app, ["share", "--survey", "default", *WHERE, "--user", "U1", "team"]
    )
    unknown = runner.invoke(
        survey_app, ["share", "--survey", "nope", *WHERE, "--user", "U1", "team=eng"]
    )
    assert bad.exit_code == 2 and "expected LABEL=VALUE" in bad.output
    assert unknown.exit_code == 1 and "no survey called 'nope'" in unknown.output


@pytest.mark.parametrize("viewer", ["", " ", "U1 U2", "<@U1>", "U" * 65])
def test_sharing_with_no_user_id_is_refused_and_nothing_is_shared(
    database: str, viewer: str
) -> None:
    runner = CliRunner()
    runner.invoke(survey_app, ["create", "--survey", "default", *WHERE])
    for action, extra in (("share", ["team=eng"]), ("unshare", [])):
        done = runner.invoke(
            survey_app, [action, "--survey", "default", *WHERE, "--user", viewer, *extra]
        )
        assert done.exit_code == 1, done.output
        assert "give the person by their user id" in done.output
    listed = runner.invoke(survey_app, ["shares", "--survey", "default", *WHERE])
    assert "team=eng" not in listed.output


def test_a_share_stored_with_hidden_characters_is_listed_as_what_it_holds(database: str) -> None:
    """A share stored before groups were held to their characters may hide or reorder its
    words: it is listed with those characters as their escapes, on the command line and
    in chat, so it passes for no other group."""
    runner = CliRunner()
    runner.invoke(survey_app, ["create", "--survey", "default", "--platform", "console"])
    spoof = "\u202egne\u200b"

    async def store_old_share() -> None:
        settings = Settings(_env_file=None, database_url=database, nps_pepper=TEST_PEPPER)
        services = await build_services(settings, migrate=False)
        try:
            async with services.database.transaction() as session:
                survey = (await session.execute(select(Survey))).scalars().one()
                session.add(
                    ScopedViewer(
                        tenant_id=survey.tenant_id,
                        survey_id=survey.id,
                        viewer_key="old-share",
                        label="team",
                        value=spoof,
                        shared_on=date(2026, 1, 5),
                    )
                )
        finally:
            await services.database.dispose()

    asyncio.run(store_old_share())
    listed = runner.invoke(survey_app, ["shares", "--survey", "default", "--platform", "console"])
    in_chat_console = runner.invoke(
        app, ["console", "--user", "ann", "--admin"], input="/nps survey shares default\n"
    )

    for output in (listed.output, in_chat_console.output):
        assert "team=\\u202egne\\u200b" in output, output
        assert spoof not in output and "\u202e" not in output
