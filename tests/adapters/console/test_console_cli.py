"""The console and the CLI as a person meets them: real processes, piped input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.i18n import Catalogs
from tests.support.waiting import HANG_GUARD_SECONDS

PEPPER = "console-test-pepper-" + "y" * 32
ANSWERS = [  # (user, score, reason)
    ("alice", "10", "Kind colleagues"),
    ("bob", "9", ""),
    ("carol", "8", "More focus time"),
    ("dave", "7", ""),
    ("erin", "3", "<!channel> too many meetings"),
    ("frank", "0", "Nothing works"),
]


def nps(
    args: list[str],
    *,
    cwd: Path,
    stdin: str = "",
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DISCORD_", "DATABASE_", "NPS_"))
    }
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=HANG_GUARD_SECONDS,
    )


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path


def env_for(workdir: Path) -> dict[str, str]:
    return {"DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'survey.db'}", "NPS_PEPPER": PEPPER}


def test_six_people_answer_then_report_json_has_the_right_numbers(workdir: Path) -> None:
    env = env_for(workdir)
    for user, score, reason in ANSWERS:
        done = nps(["console", "--user", user], cwd=workdir, stdin=f"{score}\n{reason}\n", env=env)
        assert done.returncode == 0, done.stderr
        assert "How likely are you to recommend" in done.stdout
        assert "Thank you!" in done.stdout
    done = nps(["report", "--json"], cwd=workdir, env=env)
    assert done.returncode == 0, done.stderr
    [report] = [json.loads(line) for line in done.stdout.splitlines()]
    # promoters alice, bob; passives carol, dave; detractors erin, frank: NPS 0
    assert (report["n"], report["promoters"], report["passives"], report["detractors"]) == (
        6,
        2,
        2,
        2,
    )
    assert report["nps"] == 0
    for key in ("ci_low", "ci_high", "margin", "segments", "trend"):
        assert key in report
    assert report["distribution"] == [1, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1]

    stored = b"".join(path.read_bytes() for path in workdir.glob("survey.db*"))
    for user, _, _ in ANSWERS:
        assert user.encode() not in stored


def test_invalid_input_is_asked_again_and_commands_work(workdir: Path) -> None:
    env = env_for(workdir)
    script = "eleven\n11\n6\n" + "x" * 2001 + "\nshorter\n/nps optout\n/nps\n/nps help\n"
    done = nps(["console", "--user", "gina", "--locale", "ja"], cwd=workdir, stdin=script, env=env)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.count("0 から 10 までの整数で答えてください。") == 2
    assert "何にがっかりしましたか" in out
    assert "上限は 2000 文字" in out
    assert "回答と理由を匿名で記録しました" in out
    assert "停止しました" in out and "アンケートを停止中です" in out
    assert "/nps optin" in out


def test_forget_me_is_no_way_to_answer_the_same_survey_again(workdir: Path) -> None:
    env = env_for(workdir)
    script = "9\n\n/nps forget-me\n/nps\n"
    done = nps(["console", "--user", "jo"], cwd=workdir, stdin=script, env=env)
    again = nps(["console", "--user", "jo"], cwd=workdir, stdin="/nps\n", env=env)
    assert done.returncode == 0 and again.returncode == 0, done.stderr + again.stderr

    # The cap's 150-day gap from today, moved on to the Monday on or after it.
    gap_ends = datetime.now(UTC).date() + timedelta(days=150)
    next_time = gap_ends + timedelta(days=-gap_ends.weekday() % 7)
    t = Catalogs().translator("en")
    told = t("answer.too_soon", date=t.date(next_time))
    assert done.stdout.count("How likely are you to recommend") == 1
    assert "✓ Done: we deleted the dates you were asked" in done.stdout
    assert done.stdout.rstrip().endswith(told)
    assert "How likely" not in again.stdout and told in again.stdout


def test_report_in_the_console_needs_admin(workdir: Path) -> None:
    env = env_for(workdir)
    refused = nps(["console", "--user", "hank"], cwd=workdir, stdin="/nps report\n", env=env)
    assert "Only survey admins" in refused.stdout
    shown = nps(
        ["console", "--user", "ivy", "--admin"], cwd=workdir, stdin="\n/nps report\n", env=env
    )
    assert "NPS report: default" in shown.stdout


def test_run_without_tokens_talks_on_the_console_with_the_default_database(workdir: Path) -> None:
    done = nps(["run"], cwd=workdir, stdin="9\nGreat\n")
    assert done.returncode == 0, done.stderr
    assert "talking on this console" in done.stderr
    assert "generated a local pepper" in done.stderr
    assert "Thank you!" in done.stdout
    assert (workdir / "nps.db").exists() and (workdir / "nps.db.pepper").exists()


def test_not_migrated_database_gives_one_error_line(workdir: Path) -> None:
    env = env_for(workdir)
    (workdir / "survey.db").write_bytes(b"")
    done = nps(["report"], cwd=workdir, env=env)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "error: the database has no nps-bot schema yet; run `nps-bot db upgrade`"
    ]
    upgraded = nps(["db", "upgrade"], cwd=workdir, env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    assert nps(["report"], cwd=workdir, env=env).returncode == 0


def test_unreachable_database_gives_one_error_line(workdir: Path) -> None:
    env = {"DATABASE_URL": "postgresql+asyncpg://nobody@127.0.0.1:1/none", "NPS_PEPPER": PEPPER}
    done = nps(["report"], cwd=workdir, env=env)
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("error: cannot reach the database")
    migrate = nps(["console", "--user", "x"], cwd=workdir, stdin="", env=env)
    assert migrate.returncode == 1 and "Traceback" not in migrate.stderr


def test_missing_pepper_in_production_stops_start_up(workdir: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'prod.db'}"}
    done = nps(["console", "--user", "x"], cwd=workdir, env=env)
    assert done.returncode == 1
    assert "NPS_PEPPER is required" in done.stderr
    assert not (workdir / "prod.db").exists()


def test_bad_segment_option_is_refused(workdir: Path) -> None:
    done = nps(["console", "--user", "x", "--segment", "team"], cwd=workdir, env=env_for(workdir))
    assert done.returncode == 2 and "KEY=VALUE" in done.stderr


@pytest.mark.parametrize("locale", ["jp", "fr"])
def test_a_language_without_a_catalog_is_refused(workdir: Path, locale: str) -> None:
    done = nps(["console", "--user", "x", "--locale", locale], cwd=workdir, env=env_for(workdir))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip() == f"error: --locale takes en or ja, got {locale!r}"
    assert list(workdir.iterdir()) == []


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_score_without_reason_is_thanked_without_the_number(workdir: Path, language: str) -> None:
    t = Catalogs().translator(language)
    done = nps(
        ["console", "--user", "ines", "--locale", language],
        cwd=workdir,
        stdin="7\n\n",
        env=env_for(workdir),
    )
    assert done.returncode == 0, done.stderr
    # Everything after the question, which itself lists the scale: the thanks, the
    # prompt and the closing thanks, none of which repeats the 7.
    answered = done.stdout.split(t("score.input_hint"), 1)[1]
    assert "7" not in answered and "７" not in answered
    assert t("score.recorded") in answered
    assert t("thanks.without_reason") in answered


def test_help_at_the_reason_prompt_keeps_the_reason_and_later_text_gets_a_reply(
    workdir: Path,
) -> None:
    env = env_for(workdir)
    script = "8\n/nps help\nFewer meetings on Fridays\nhello?\n"
    done = nps(["console", "--user", "kai", "--admin"], cwd=workdir, stdin=script, env=env)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    t = Catalogs().translator("en")
    assert out.index("/nps help") < out.index("your reason are recorded anonymously")
    assert out.rstrip().endswith(t("console.nothing_asked"))
    exported = nps(["export", "--format", "json", "--raw"], cwd=workdir, env=env)
    [answer] = [json.loads(line) for line in exported.stdout.splitlines()]
    assert (answer["score"], answer["reason"]) == (8, "Fewer meetings on Fridays")


@pytest.mark.parametrize("typed", ["８", "８点", "１０", "10点", "　９　"])
def test_scores_typed_with_a_japanese_input_method_are_taken(workdir: Path, typed: str) -> None:
    env = env_for(workdir)
    done = nps(
        ["console", "--user", "yui", "--locale", "ja"], cwd=workdir, stdin=f"{typed}\n\n", env=env
    )
    assert done.returncode == 0, done.stderr
    assert "0 から 10 までの整数で答えてください。" not in done.stdout
    assert "ありがとうございます" in done.stdout


def test_a_frequency_cap_of_no_ask_is_refused_and_the_survey_keeps_asking(
    workdir: Path,
) -> None:
    env = env_for(workdir)
    assert nps(["console", "--user", "ann"], cwd=workdir, stdin="9\n\n", env=env).returncode == 0
    edit = ["survey", "edit", "--survey", "default", "--platform", "console"]
    refused = nps([*edit, "--set", "cap_max_asks=0"], cwd=workdir, env=env)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.strip() == "error: the cap must allow at least one ask"
    asked = nps(["console", "--user", "ben"], cwd=workdir, stdin="8\n\n", env=env)
    assert asked.returncode == 0 and "Traceback" not in asked.stderr, asked.stderr
    assert "Your answer is recorded" in asked.stdout, asked.stdout


def test_a_wave_window_past_a_year_is_refused_and_the_survey_still_starts(
    workdir: Path,
) -> None:
    env = env_for(workdir)
    assert nps(["console", "--user", "ann"], cwd=workdir, stdin="9\n\n", env=env).returncode == 0
    edit = ["survey", "edit", "--survey", "default", "--platform", "console"]
    refused = nps([*edit, "--set", "window_days=100000000"], cwd=workdir, env=env)
    assert refused.returncode == 1
    assert refused.stderr.strip() == "error: a wave can stay open at most 365 days"
    started = nps(
        ["console", "--user", "op", "--admin"],
        cwd=workdir,
        stdin="/nps survey start default\n",
        env=env,
    )
    assert started.returncode == 0 and "Traceback" not in started.stderr, started.stderr
    assert '✓ Survey "default" started' in started.stdout, started.stdout
