"""``nps-bot replies send|list`` as a real process on a SQLite file: a reply to a quoted
comment by its handle, refusals for anything else, and the thread by handle."""

from __future__ import annotations

from pathlib import Path

from bot.domain.surveys import DEFAULT_SURVEY
from bot.runtime.services import build_services
from bot.runtime.settings import Settings
from bot.views.replies import RepliesView
from tests.cli.conftest import Run
from tests.conftest import TEST_PEPPER
from tests.support.replies_world import quoted, released_report, writers


async def test_reply_by_handle_and_list(nps_bot: Run, tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'nps.db'}"
    services = await build_services(
        Settings(_env_file=None, database_url=url, nps_pepper=TEST_PEPPER), migrate=True
    )
    try:
        everyone = await writers(services)
        handles = quoted(await released_report(services), everyone)
        table = nps_bot("report", "--quotes").stdout
        handle, writer = next(iter(handles.items()))
        assert handle in table

        sent = nps_bot(
            "replies", "send", "--survey", DEFAULT_SURVEY, "--comment", handle, "--text", "Thanks!"
        )
        assert f"replied to comment {handle}" in sent.stdout
        unknown = nps_bot(
            "replies",
            "send",
            "--survey",
            DEFAULT_SURVEY,
            "--comment",
            "aaaaaaaa",
            "--text",
            "x",
            check=False,
        )
        assert unknown.returncode == 1 and "no comment" in unknown.stderr

        button = services.engine.replies_button(writer.person, reason_token=writer.token)
        assert button is not None
        view = await services.engine.show_replies(writer.person, token=button.token)
        assert isinstance(view, RepliesView) and [line.text for line in view.lines] == ["Thanks!"]
        await services.engine.answer_back(writer.person, token=button.token, text="you're welcome")
    finally:
        await services.database.dispose()

    listed = nps_bot("replies", "list", "--survey", DEFAULT_SURVEY).stdout
    assert handle in listed and "Thanks!" in listed and "open" in listed
    # Not announced yet: the answer back waits for the periodic notice.
    assert "welcome" not in listed
