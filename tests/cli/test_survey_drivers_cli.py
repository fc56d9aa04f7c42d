"""``nps-bot survey create/edit --drivers``: validated before anything is written."""

from __future__ import annotations

import asyncio
import os

import pytest
from sqlalchemy.exc import NoResultFound
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli.surveys import survey_app
from bot.runtime.settings import Settings
from storage.database import Database
from storage.models import Survey
from tests.cli.test_survey_cli import WHERE, runner

__all__ = ["runner"]


def stored_drivers(name: str) -> list[dict[str, str]]:
    async def read() -> list[dict[str, str]]:
        database = Database(os.environ["DATABASE_URL"])
        try:
            async with database.transaction() as session:
                query = select(Survey).where(Survey.name == name)
                survey = (await session.execute(query)).scalar_one()
                return list(survey.drivers)
        finally:
            await database.dispose()

    return asyncio.run(read())


def test_create_with_drivers_then_change_and_remove_them(runner: CliRunner) -> None:
    created = runner.invoke(
        survey_app,
        ["create", "--survey", "pulse", *WHERE, "--drivers", "growth=Growth, manager=My manager"],
    )
    assert created.exit_code == 0, created.output
    assert stored_drivers("pulse") == [
        {"key": "growth", "label": "Growth"},
        {"key": "manager", "label": "My manager"},
    ]
    edited = runner.invoke(
        survey_app, ["edit", "--survey", "pulse", *WHERE, "--drivers", "workload=業務量"]
    )
    assert edited.exit_code == 0, edited.output
    assert stored_drivers("pulse") == [{"key": "workload", "label": "業務量"}]
    cleared = runner.invoke(survey_app, ["edit", "--survey", "pulse", *WHERE, "--drivers", ""])
    assert cleared.exit_code == 0, cleared.output
    assert stored_drivers("pulse") == []


@pytest.mark.parametrize(
    ("drivers", "problem"),
    [
        ("a=A,b=B,c=C,d=D,e=E,f=F", "at most 5 drivers"),
        ("growth=Growth,growth=Again", "is repeated"),
        ("Growth=Growth", "must be lower-case"),
        ("1st=First", "must be lower-case"),
        ("my-manager=Manager", "must be lower-case"),
        ("growth=" + "x" * 41, "label of 1 to 40"),
        ("growth=", "label of 1 to 40"),
        ("growth", "expected KEY=LABEL"),
        ("growth=Gro\u202ewth", "control or invisible character"),
        ("growth=Gro\twth", "control or invisible character"),
    ],
)
def test_invalid_drivers_are_refused_and_nothing_changes(
    runner: CliRunner, drivers: str, problem: str
) -> None:
    refused = runner.invoke(survey_app, ["create", "--survey", "x", *WHERE, "--drivers", drivers])
    assert refused.exit_code == 2 and problem in refused.output
    runner.invoke(survey_app, ["create", "--survey", "y", *WHERE, "--drivers", "pay=Pay"])
    edit = runner.invoke(survey_app, ["edit", "--survey", "y", *WHERE, "--drivers", drivers])
    assert edit.exit_code == 2 and problem in edit.output
    assert stored_drivers("y") == [{"key": "pay", "label": "Pay"}]
    with pytest.raises(NoResultFound):
        stored_drivers("x")


def test_drivers_set_as_a_setting_are_read_as_the_drivers_option(runner: CliRunner) -> None:
    runner.invoke(survey_app, ["create", "--survey", "y", *WHERE])
    edit = runner.invoke(survey_app, ["edit", "--survey", "y", *WHERE, "--set", "drivers=pay"])
    assert edit.exit_code == 2 and "expected KEY=LABEL for a driver, got 'pay'" in edit.output
    edit = runner.invoke(survey_app, ["edit", "--survey", "y", *WHERE, "--set", "drivers=pay=Pay"])
    assert edit.exit_code == 0, edit.output
    assert stored_drivers("y") == [{"key": "pay", "label": "Pay"}]


def test_the_default_survey_setting_is_validated() -> None:
    with pytest.raises(ValueError, match="at most 5 drivers"):
        Settings(_env_file=None, survey_drivers="a=A,b=B,c=C,d=D,e=E,f=F")
    with pytest.raises(ValueError, match="control or invisible character"):
        Settings(_env_file=None, survey_drivers="pay=P\u200bay")
    assert Settings(_env_file=None, survey_drivers="pay=Pay").survey_drivers == "pay=Pay"
