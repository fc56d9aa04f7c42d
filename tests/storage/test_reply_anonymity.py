"""No reply thread can be tied to a person: the schema, and a dump of a filled database
with threads, replies, answers back and a closed thread (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import OperationalError

from bot.domain.surveys import DEFAULT_SURVEY
from bot.runtime.services import Services
from bot.views.replies import RepliesView
from tests.storage.test_anonymity import dump_all_text
from tests.support.replies_world import quoted, released_report, writers

ALLOWED = {
    "reply_thread": {"id", "tenant_id", "survey_id", "answer_id", "opened_on", "closed"},
    "reply_message": {"id", "thread_id", "position", "author", "text", "announced"},
}
# The only tables a reply row may point at: never an ask, invitation or person's row.
REFERRED = {"reply_thread": {"tenant", "survey"}, "reply_message": {"reply_thread"}}


@pytest.mark.parametrize("table", sorted(ALLOWED))
async def test_reply_schema_holds_nothing_that_identifies(services: Services, table: str) -> None:
    async with services.database.engine.connect() as connection:
        columns = await connection.run_sync(
            lambda sync: {c["name"]: c for c in inspect(sync).get_columns(table)}
        )
        foreign = await connection.run_sync(lambda sync: inspect(sync).get_foreign_keys(table))
    assert set(columns) == ALLOWED[table]
    kinds = {name: str(column["type"]).upper() for name, column in columns.items()}
    # Only the thread's opening day (an admin's act) is a date; nothing holds a time.
    assert [name for name, kind in kinds.items() if "DATE" in kind or "TIME" in kind] == (
        ["opened_on"] if table == "reply_thread" else []
    )
    assert "TIME" not in kinds.get("opened_on", "")
    assert {fk["referred_table"] for fk in foreign} == REFERRED[table]


@pytest.mark.parametrize("table", sorted(ALLOWED))
async def test_sqlite_reply_tables_have_no_rowid(services: Services, table: str) -> None:
    if services.database.dialect != "sqlite":
        pytest.skip("rowid is a SQLite notion")
    async with services.database.engine.connect() as connection:
        with pytest.raises(OperationalError):
            await connection.execute(text(f"SELECT rowid FROM {table}"))


async def test_dump_links_no_thread_to_a_person(services: Services) -> None:
    everyone = await writers(services)
    handles = quoted(await released_report(services), everyone)
    for handle, writer in handles.items():
        await services.replies.send(
            platform="console", tenant="local", name=DEFAULT_SURVEY, handle=handle, text="thanks"
        )
        button = services.engine.replies_button(writer.person, reason_token=writer.token)
        assert button is not None
        view = await services.engine.answer_back(writer.person, token=button.token, text="more")
        assert isinstance(view, RepliesView)
    last = list(handles.values())[-1]
    button = services.engine.replies_button(last.person, reason_token=last.token)
    assert button is not None
    await services.engine.close_replies(last.person, token=button.token)

    async with services.database.engine.connect() as connection:
        keys = {
            row[0] for row in await connection.execute(text("SELECT respondent_key FROM contact"))
        }
        threads = list(await connection.execute(text("SELECT * FROM reply_thread")))
        messages = list(await connection.execute(text("SELECT * FROM reply_message")))
    assert len(threads) == 6 and len(messages) == 12 and len(keys) == len(everyone)
    replies_dump = repr(threads) + repr(messages)
    for writer in everyone:
        assert writer.person.user_id not in replies_dump
        assert writer.token not in replies_dump
    for key in keys:
        assert key not in replies_dump
    # Tokens never reach the database at all.
    dump = await dump_all_text(services)
    for writer in everyone:
        assert writer.person.user_id not in dump
    assert button.token not in dump
    # Positions count within a thread only: every thread reads 1, 2.
    positions: dict[object, list[int]] = {}
    for row in messages:
        positions.setdefault(row.thread_id, []).append(row.position)
    assert sorted(sorted(p) for p in positions.values()) == [[1, 2]] * 6
