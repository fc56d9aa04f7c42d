"""Driver questions in the console, as a person meets them: after the reason, one
driver at a time, "1–5, or Enter to skip"; then ``report --json`` shows the drivers."""

from __future__ import annotations

import json
from pathlib import Path

from bot.i18n import Catalogs
from tests.adapters.console.test_console_cli import env_for, nps

DRIVERS = {"SURVEY_DRIVERS": "growth=Growth,manager=My manager"}
REPLIES_HINT = Catalogs().translator("en")("console.replies_hint")
# (user, score, reason, growth, manager): "" skips
ANSWERS = [
    ("alice", "10", "Kind colleagues", "5", "4"),
    ("bob", "9", "", "4", ""),
    ("carol", "8", "More focus time", "4", "3"),
    ("dave", "7", "", "3", ""),
    ("erin", "3", "Too many meetings", "2", "1"),
    ("frank", "0", "", "1", ""),
]


def test_each_driver_is_asked_after_the_reason_and_reported(tmp_path: Path) -> None:
    env = {**env_for(tmp_path), **DRIVERS}
    for user, score, reason, growth, manager in ANSWERS:
        done = nps(
            ["console", "--user", user],
            cwd=tmp_path,
            stdin=f"{score}\n{reason}\n{growth}\n{manager}\n",
            env=env,
        )
        assert done.returncode == 0, done.stderr
        out = done.stdout
        assert "Optional: how do you rate the following, from 1 to 5?" in out
        assert "Growth (1–5, or Enter to skip)" in out
        assert "My manager (1–5, or Enter to skip)" in out
        assert f"Saved: Growth {growth}/5." in out
        assert ("Saved: My manager" in out) == bool(manager)
        thanks = "Thank you, your ratings are recorded anonymously with your answer."
        # After the last driver: the thanks, then how to read replies to a typed reason.
        assert out.rstrip().endswith(f"{thanks}\n{REPLIES_HINT}" if reason else thanks)
        assert out.count(REPLIES_HINT) == bool(reason)

    done = nps(["report", "--json"], cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    [report] = [json.loads(line) for line in done.stdout.splitlines()]
    growth, manager = report["drivers"]
    assert growth["key"] == "growth" and growth["label"] == "Growth"
    assert growth["method"] == "spearman" and growth["n"] == 6
    assert growth["mean_rating"] == (5 + 4 + 4 + 3 + 2 + 1) / 6
    assert growth["importance"] > 0.9
    assert growth["ci_low"] < growth["importance"] < growth["ci_high"]
    # Three ratings are fewer than k = 5: nothing but the name is shown.
    assert manager == {"key": "manager", "label": "My manager", "suppressed": True, "method": None}

    text = nps(["report"], cwd=tmp_path, env=env)
    assert "Key drivers" in text.stdout
    assert "withheld: fewer than 5 ratings" in text.stdout


def test_a_rating_outside_one_to_five_is_asked_again(tmp_path: Path) -> None:
    env = {**env_for(tmp_path), **DRIVERS}
    done = nps(["console", "--user", "zoe"], cwd=tmp_path, stdin="9\n\n7\n4\n\n", env=env)
    assert done.returncode == 0, done.stderr
    assert "✗ Please answer with a whole number from 1 to 5." in done.stdout
    assert "Saved: Growth 4/5." in done.stdout
    assert "Saved: My manager" not in done.stdout


def test_without_driver_questions_the_console_thanks_after_the_reason(tmp_path: Path) -> None:
    done = nps(["console", "--user", "yan"], cwd=tmp_path, stdin="9\nfine\n", env=env_for(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "how do you rate" not in done.stdout
    thanks = "Your answer and your reason are recorded anonymously."
    assert done.stdout.rstrip().endswith(f"{thanks}\n{REPLIES_HINT}")
