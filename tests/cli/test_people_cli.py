"""``nps-bot people …`` as an operator runs it: rosters in the encodings spreadsheets
save, all or nothing with line numbers, by user id or by email through the Slack double,
and a database that holds no user id or email from the roster."""

from __future__ import annotations

import codecs
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import create_async_engine

from storage.migrate import upgrade
from tests.conftest import TEST_PEPPER
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_records import SlackUser
from tests.support.cli_process import run_nps_bot, without_platforms

TOKEN = "xoxb-roster-test"
TEAM = "T0ROSTER1"
TODAY = date.today()  # the command computes bands on the day it runs
ROSTER = (
    "User,Team,Role,Hire_Date\n"
    f"U0ROSTER01,開発,dev,{TODAY - timedelta(days=100)}\n"
    f"U0ROSTER02,開発,lead,{TODAY.year - 7}-01-15\n"
    f"U0ROSTER03,営業,dev,{TODAY.year - 3}/01/01\n"
)
USERS = ("U0ROSTER01", "U0ROSTER02", "U0ROSTER03")


class Cli:
    """The real command on one SQLite file, with an environment to add to."""

    def __init__(self, tmp_path: Path, **env: str) -> None:
        self.url = f"sqlite+aiosqlite:///{tmp_path / 'nps.db'}"
        self.cwd = tmp_path
        self.env = without_platforms(
            DATABASE_URL=self.url,
            NPS_PEPPER=TEST_PEPPER,
            LOG_LEVEL="WARNING",
            **env,
        )

    async def __call__(self, *args: str) -> tuple[int, str, str]:
        finished = await run_nps_bot(*args, env=self.env, cwd=self.cwd)
        return finished.code, finished.out, finished.err

    async def ok(self, *args: str) -> str:
        code, out, err = await self(*args)
        assert code == 0, out + err
        return out + err

    async def dump(self) -> str:
        """Every value of every table, as text."""
        engine = create_async_engine(self.url)
        try:
            async with engine.connect() as connection:
                tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
                chunks = []
                for table in tables:
                    rows = await connection.execute(text(f'SELECT * FROM "{table}"'))
                    chunks.extend(repr(tuple(row)) for row in rows)
        finally:
            await engine.dispose()
        return "\n".join(chunks)


WHERE = ("--platform", "slack", "--tenant", TEAM)


@pytest.fixture
async def cli(tmp_path: Path) -> Cli:
    made = Cli(tmp_path)
    await upgrade(made.url)
    await made.ok("survey", "create", "--survey", "pulse", *WHERE)  # the tenant exists
    return made


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        lambda text: text.encode("shift_jis"),
        lambda text: text.encode("utf-16"),
    ],
    ids=["utf-8", "utf-8-bom", "shift_jis", "utf-16"],
)
async def test_a_roster_in_any_encoding_is_counted_per_label_and_stores_no_id(
    cli: Cli, tmp_path: Path, encode: object
) -> None:
    assert callable(encode)
    roster = tmp_path / "roster.csv"
    roster.write_bytes(encode(ROSTER))
    assert "now holds 3 people" in await cli.ok("people", "import", str(roster), *WHERE)
    listed = await cli.ok("people", "list", *WHERE)
    assert "3 people" in listed
    for value, count in (("開発", 2), ("営業", 1), ("lead", 1), ("dev", 2)):
        assert any(
            value in line and line.rstrip().endswith(str(count)) for line in listed.splitlines()
        )
    assert "<1y" in listed and "5y+" in listed and "2–5y" in listed
    dump = await cli.dump()
    assert "lead" in dump  # the labels are there …
    assert not any(user in dump for user in USERS)  # … keyed by no user id
    assert not any(user in listed for user in USERS)


@pytest.mark.parametrize("separator", [";", "\t"], ids=["semicolons", "tabs"])
async def test_a_roster_separated_by_semicolons_or_tabs_is_read_by_its_header(
    cli: Cli, tmp_path: Path, separator: str
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_bytes(ROSTER.replace(",", separator).encode("utf-16"))
    assert "now holds 3 people" in await cli.ok("people", "import", str(roster), *WHERE)
    listed = await cli.ok("people", "list", *WHERE)
    assert any(line.split() == ["開発", "2"] for line in listed.splitlines()), listed


async def test_a_roster_of_one_is_counted_as_one_person(cli: Cli, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("user,team\nU0ROSTER01,eng\n", encoding="utf-8")
    assert "now holds 1 person (" in await cli.ok("people", "import", str(roster), *WHERE)
    assert "1 person in the roster" in await cli.ok("people", "list", *WHERE)


async def test_a_roster_with_problems_stores_nothing_and_names_every_line(
    cli: Cli, tmp_path: Path
) -> None:
    good = tmp_path / "good.csv"
    good.write_text(ROSTER, encoding="utf-8")
    await cli.ok("people", "import", str(good), *WHERE)
    before = await cli.dump()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "user,team,start_date\nU0NEW00001,ops,2024-01-01\n,ops,\nU0NEW00002,ops,soon\n"
        "U0NEW00001,eng,\n",
        encoding="utf-8",
    )
    code, _, err = await cli("people", "import", str(bad), *WHERE)
    assert code == 1
    assert "line 3: neither a user nor an email" in err
    assert "line 4: date 'soon'" in err
    assert "line 5: this person (user) is already on line 2" in err
    assert f"3 problems in {bad}: nothing was imported" in err
    assert await cli.dump() == before  # the roster before stays whole


async def test_a_handle_or_a_start_date_to_come_is_refused_by_line_and_nothing_stored(
    cli: Cli, tmp_path: Path
) -> None:
    good = tmp_path / "good.csv"
    good.write_text(ROSTER, encoding="utf-8")
    await cli.ok("people", "import", str(good), *WHERE)
    before = await cli.dump()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "user,team,hire_date\n"
        f"U0NEW00001,ops,{TODAY}\n"
        "@ann,ops,\n"
        f"U0NEW00002,ops,{TODAY + timedelta(days=30)}\n",
        encoding="utf-8",
    )
    code, _, err = await cli("people", "import", str(bad), *WHERE)
    assert code == 1
    assert "line 3: user '@ann' is no platform user id" in err
    assert f"line 4: date '{TODAY + timedelta(days=30)}' is in the future" in err
    assert f"2 problems in {bad}: nothing was imported" in err
    assert await cli.dump() == before


async def test_export_gives_label_combinations_and_clear_empties_the_roster(
    cli: Cli, tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    await cli.ok("people", "import", str(roster), *WHERE)
    code, exported, _ = await cli("people", "export", *WHERE)
    assert code == 0
    assert exported.splitlines()[0] == '"role","team","tenure","people"'
    assert '"dev","開発","<1y",1' in exported.splitlines()
    assert not any(user in exported for user in USERS)
    assert "3 removed" in await cli.ok("people", "clear", *WHERE)
    assert "0 people" in await cli.ok("people", "list", *WHERE)


async def test_an_unknown_tenant_is_refused(cli: Cli, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    code, _, err = await cli(
        "people", "import", str(roster), "--platform", "slack", "--tenant", "T0TYPO"
    )
    assert code == 1 and "no tenant 'T0TYPO'" in err


async def test_emails_are_resolved_on_slack_and_stored_only_as_respondent_keys(
    tmp_path: Path,
) -> None:
    async with SlackApiDouble(token=TOKEN) as slack:
        team = slack.workspace.team_id
        emails = [f"person{n}@example.com" for n in range(3)]
        slack.workspace.add_user(
            *(
                SlackUser(id=f"U0MAIL000{n}", name=f"p{n}", email=email)
                for n, email in enumerate(emails)
            )
        )
        cli = Cli(tmp_path, SLACK_BOT_TOKEN=TOKEN, SLACK_API_BASE_URL=slack.base_url)
        await upgrade(cli.url)
        where = ("--platform", "slack", "--tenant", team)
        await cli.ok("survey", "create", "--survey", "pulse", *where)
        roster = tmp_path / "roster.csv"
        roster.write_text(
            "Email,team\n" + "".join(f"{email.upper()},eng\n" for email in emails),
            encoding="utf-8",
        )
        assert "now holds 3 people" in await cli.ok("people", "import", str(roster), *where)
        assert len(slack.calls("users.lookupByEmail")) == 3
        dump = await cli.dump()
        assert not any(e in dump.casefold() for e in emails)
        assert not any(f"U0MAIL000{n}" in dump for n in range(3))

        # One email no member has: a problem on its line, and the roster stays as it was.
        roster.write_text("email,team\nperson0@example.com,ops\nnobody@example.com,ops\n")
        code, _, err = await cli("people", "import", str(roster), *where)
        assert code == 1
        assert "line 3: no member of the workspace has the email 'nobody@example.com'" in err
        assert await cli.dump() == dump

        # A token of another workspace would resolve emails to other people: refused.
        code, _, err = await cli(
            "people", "import", str(roster), "--platform", "slack", "--tenant", "T0OTHER"
        )
        assert code == 1
