"""``/nps survey …`` on the console, as an operator meets it: the grammar every platform
shares, typed settings instead of a form, and waves that reach the person at the terminal."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from adapters.console.plugin import plugin
from bot.runtime.context import Terminal
from bot.runtime.services import Services
from bot.runtime.serving import serve_terminal
from tests.adapters.console.test_console_cli import env_for, nps
from tests.support.clock import Clock

ADMIN_SCRIPT = "\n".join(
    [
        "",  # no answer to the default survey's question
        "/nps survey create",
        '/nps survey create pulse --kind nps --subject "Acme Cloud" --k 7 --colour blue',
        '/nps survey create pulse --kind nps --subject "Acme Cloud" --k 7',
        "/nps survey edit pulse --window-days 3 --k_min 2",
        "/nps survey edit pulse --window-days 3",
        "/nps survey list",
        "/nps survey status pulse",
        "/nps survey start pulse",
        "/nps survey close pulse",
        "/nps survey delete pulse",
        "/nps survey list",
        "/nps survey delete pulse --yes",
        "/nps survey list",
        "/nps survey close",
        "",
    ]
)


def test_an_admin_runs_a_survey_from_the_console(tmp_path: Path) -> None:
    done = nps(
        ["console", "--user", "ivy", "--admin"],
        cwd=tmp_path,
        stdin=ADMIN_SCRIPT,
        env=env_for(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "don't know the command" not in out
    # Without settings, the form as text: each setting by the option that sets it.
    assert "New survey\n  Name (--name):" in out
    assert "  Smallest group shown (k) (--k_min): 5" in out
    assert "To create it by typing, send /nps survey create NAME" in out
    assert "✗ There is no setting called colour." in out
    assert '✓ Survey "pulse" created.' in out
    assert "✗ --k_min: Enter a number from 3 to 100." in out
    assert '✓ Survey "pulse" updated.' in out
    assert "  pulse    NPS · active · k = 7 · 0 answers" in out
    assert "Survey status: pulse\nHow likely are you to recommend Acme Cloud" in out
    assert "  Days open             3" in out
    # Whether the question is asked at once depends on the hour; the invitation does not.
    assert '✓ Survey "pulse" started: 1 person invited' in out
    assert '✓ Survey "pulse": 1 open wave closed.' in out
    assert '! Delete survey "pulse" and everything under it' in out
    assert "  To delete it, send /nps survey delete pulse --yes" in out
    listed = out.split("Surveys\n")[1:]
    assert ["pulse    NPS" in listing for listing in listed] == [True, True, False]
    assert '✓ Survey "pulse" deleted, with its waves, invitations and 0 answers.' in out
    # The console's usage: no mentions to type, so sharing is the command line's.
    assert out.rstrip().endswith(
        "! Usage: /nps survey create [NAME] [--SETTING VALUE …] | edit "
        "NAME [--SETTING VALUE …] | list | status [NAME] | start NAME | "
        "close NAME | delete NAME [--yes] | shares NAME. The console has no @mentions: "
        "to share a report with one person, run nps-bot survey share --survey NAME "
        "--platform console --user THEIR_NAME LABEL=VALUE (and survey unshare to stop)."
    )
    assert "@person" not in out


def test_someone_who_is_not_an_admin_gets_the_refusal_every_platform_gives(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    lines = ["", "/nps survey list", "/nps survey create pulse --k 7", "/nps survey", ""]
    done = nps(
        ["console", "--user", "hank", "--locale", "ja"],
        cwd=tmp_path,
        stdin="\n".join(lines),
        env=env,
    )
    assert done.returncode == 0, done.stderr
    refusal = "! アンケートを管理できるのはアンケート管理者だけです。"
    assert done.stdout.count(refusal) == 3
    listed = nps(
        ["console", "--user", "ivy", "--admin"], cwd=tmp_path, stdin="\n/nps survey list\n", env=env
    )
    assert "1 survey" in listed.stdout and "pulse" not in listed.stdout


def test_a_name_hiding_characters_is_refused_in_the_admins_language(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    lines = ["", "/nps survey create pul\u200bse --k 7", "/nps survey create \u202eesluP --k 7", ""]
    for locale, refusal in (
        ("en", "✗ --name: A name holds only visible characters and spaces"),
        ("ja", "✗ --name: 名前に使えるのは表示される文字とスペースだけです"),
    ):
        done = nps(
            ["console", "--user", "ivy", "--admin", "--locale", locale],
            cwd=tmp_path,
            stdin="\n".join(lines),
            env=env,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.count(refusal) == 2, done.stdout
    listed = nps(
        ["console", "--user", "ivy", "--admin"], cwd=tmp_path, stdin="\n/nps survey list\n", env=env
    )
    assert "1 survey" in listed.stdout and "se" not in listed.stdout.split("Surveys")[1]


def test_an_enps_survey_is_called_enps_in_lists_and_statuses(tmp_path: Path) -> None:
    lines = [
        "",
        "/nps survey create pulse --kind enps --k 7",
        "/nps survey list",
        "/nps survey status pulse",
        "/nps survey status",  # the default survey's, an eNPS one here
        "",
    ]
    env = {**env_for(tmp_path), "SURVEY_KIND": "enps"}
    done = nps(
        ["console", "--user", "ivy", "--admin"], cwd=tmp_path, stdin="\n".join(lines), env=env
    )
    assert done.returncode == 0, done.stderr
    assert "  pulse    eNPS · active · k = 7 · 0 answers" in done.stdout
    assert done.stdout.count("  Kind                  eNPS") == 2
    assert "ENPS" not in done.stdout


# Tuesday 10 March 2026, 11:00 UTC: working hours in the survey's time zone.
MORNING = datetime(2026, 3, 10, 11, 0, tzinfo=UTC)
RECORDED = "Thank you! Your answer is recorded."  # the thanks after a score, without it


async def test_a_wave_started_on_the_console_asks_at_the_terminal(
    services: Services, clock: Clock
) -> None:
    clock.now = MORNING
    script = [
        "",
        "/nps survey create pulse --subject Acme --k 3",
        "/nps survey start pulse",
        "9",
        "Fast support",
        "/nps survey status pulse",
        "/nps survey close pulse",
        "7",
    ]
    output = io.StringIO()
    terminal = Terminal(
        user="ivy", admin=True, source=io.StringIO("\n".join(script) + "\n"), sink=output
    )

    await serve_terminal(services, plugin, terminal)

    out = output.getvalue()
    started = 'Survey "pulse" started: 1 person invited, 1 asked right away'
    question = "How likely are you to recommend Acme as a place to work"
    assert out.index(started) < out.index(question) < out.index(RECORDED)
    assert "What do you value most?" in out
    assert "  Answers               1" in out
    assert out.index('Survey "pulse": 1 open wave closed.') < out.index("This survey has closed.")
    # Once closed, a number is no answer to anything.
    assert out.count(RECORDED) == 1


def test_a_setting_with_a_control_character_is_refused_in_the_admins_language(
    tmp_path: Path,
) -> None:
    env = env_for(tmp_path)
    # An escape sequence that would clear the screen of whoever reads the question.
    lines = ["", "/nps survey create pulse --k 7 --subject 'Acme\x1b[2JCloud'", "/nps survey list"]
    for locale, refusal in (
        ("en", "✗ --subject: This cannot hold a line break, a tab or another control character."),
        ("ja", "✗ --subject: 改行・タブなどの制御文字は使えません。"),
    ):
        done = nps(
            ["console", "--user", "ivy", "--admin", "--locale", locale],
            cwd=tmp_path,
            stdin="\n".join([*lines, ""]),
            env=env,
        )
        assert done.returncode == 0, done.stderr
        assert refusal in done.stdout
        assert "pulse" not in done.stdout.split(refusal)[1]
        assert "Traceback" not in done.stderr
