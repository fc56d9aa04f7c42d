"""The response rate per group, as every renderer shows it, in English and Japanese: the
Slack blocks, the Discord embed, the console's text, the command line's tables and the
JSON. A group the gate withheld shows why, and neither of its counts, anywhere."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable

import pytest
from rich.console import Console

from adapters.console.render import render as console_text
from adapters.discord.render import report_embeds
from adapters.slack.render import message
from bot.cli.output import print_reports
from bot.i18n import Catalogs, Translator
from bot.report.build import SurveyFacts, build_report
from bot.report.model import GroupResponse, ReportRequest, SurveyReport
from bot.report.render import render_report
from bot.stats.disclosure import Verdict
from bot.stats.terms import Tokenizers, english_terms
from tests.bot.report.cube import cube, verdicts

WAVE = "2026-03-10"
K = 5
SHOWN = GroupResponse(label="開発", invited=6, answered=5)
ALL_ANSWERED = GroupResponse(label="ops", invited=7, answered=7)
WITHHELD = GroupResponse(label="sales", withheld=Verdict.TOO_FEW)


@pytest.fixture(scope="module")
def catalogs() -> Catalogs:
    return Catalogs()


def team_report() -> SurveyReport:
    """A report by team whose latest wave's groups are as the gate released them."""
    answers = [("2026-03", "開発", score) for score in (10, 9, 9, 7, 3)] + [
        ("2026-03", "ops", score) for score in (10, 10, 8, 6, 2, 0, 9)
    ]
    cells = cube(answers)
    report = build_report(
        SurveyFacts(name="pulse", kind="enps", k=K, k_comments=8),
        request=ReportRequest(by="team"),
        cells=cells,
        verdicts=verdicts(cells, k=K),
        wave=None,
        reasons=(),
        tokenizers=lambda: Tokenizers(japanese=english_terms),
    )
    return dataclasses.replace(
        report, wave_groups=(SHOWN, ALL_ANSWERED, WITHHELD), wave_groups_wave=WAVE
    )


def slack_text(report: SurveyReport, t: Translator) -> str:
    return json.dumps(message(render_report(report, t, charts=False)).blocks, ensure_ascii=False)


def discord_text(report: SurveyReport, t: Translator) -> str:
    """The embed's headings and values, unescaped again: the embed escapes every word
    of a report (``(`` becomes ``\\(``) so none can be markdown."""
    [embed, *_charts] = report_embeds(render_report(report, t, charts=False))
    shown = "\n".join(f"{field.name}\n{field.value}" for field in embed.fields)
    return re.sub(r"\\(.)", r"\1", shown)


def terminal_text(report: SurveyReport, t: Translator) -> str:
    return console_text(render_report(report, t, charts=False))


def command_line_text(report: SurveyReport, t: Translator) -> str:
    out = Console(record=True, width=400, color_system=None)
    print_reports(out, [report], t)
    return out.export_text()


RENDERERS: dict[str, Callable[[SurveyReport, Translator], str]] = {
    "slack": slack_text,
    "discord": discord_text,
    "console": terminal_text,
    "cli": command_line_text,
}


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("renderer", sorted(RENDERERS))
def test_each_group_shows_its_rate_and_counts_and_a_withheld_one_shows_why(
    catalogs: Catalogs, renderer: str, language: str
) -> None:
    t = catalogs.translator(language)
    shown = RENDERERS[renderer](team_report(), t)

    assert t("report.wave_groups", by="team", wave=WAVE) in shown
    assert t("report.wave_groups_note") in shown
    # 5 of 6 is 83 % (rounded once); all who were invited is 100 %, never more.
    assert t("report.response_rate_value", rate=83, answered=5, invited=6) in shown
    assert t("report.response_rate_value", rate=100, answered=7, invited=7) in shown
    assert "開発" in shown and "sales" in shown
    assert t("report.withheld.too_few", k=K) in shown
    # The withheld group's value is its reason: no count of it is given anywhere.
    assert shown.count(t("report.withheld.too_few", k=K)) == 1


def test_the_section_is_in_the_words_of_each_language(catalogs: Catalogs) -> None:
    english = render_report(team_report(), catalogs.translator("en"), charts=False)
    japanese = render_report(team_report(), catalogs.translator("ja"), charts=False)
    [en] = [s for s in english.sections if s.title.startswith("Response rate by team")]
    [ja] = [s for s in japanese.sections if s.title.startswith("team別の回答率")]
    assert [row.label for row in en.rows] == ["開発", "ops", "sales"] == [r.label for r in ja.rows]
    assert en.rows[0].value == "83 % (5 of 6 invited)"
    assert ja.rows[0].value == "83%（招待 6 人中 5 人）"
    assert en.rows[2].value == "withheld: fewer than 5 answers"
    assert ja.rows[2].value == "非表示：回答が 5 件未満です"


def test_without_a_breakdown_or_a_wave_there_is_no_such_section(catalogs: Catalogs) -> None:
    t = catalogs.translator("en")
    title = t("report.wave_groups", by="team", wave=WAVE)
    no_wave = dataclasses.replace(team_report(), wave_groups=(), wave_groups_wave=None)
    for renderer in RENDERERS.values():
        assert title not in renderer(no_wave, t)
        assert "(5 of 6 invited)" not in renderer(no_wave, t)


def test_the_json_gives_each_groups_counts_and_a_withheld_group_none() -> None:
    shaped = team_report().to_json()
    assert shaped["wave_segments_wave"] == WAVE
    assert shaped["wave_segments"] == [
        {"label": "開発", "suppressed": False, "invited": 6, "answered": 5, "response_rate": 5 / 6},
        {"label": "ops", "suppressed": False, "invited": 7, "answered": 7, "response_rate": 1.0},
        {"label": "sales", "suppressed": True, "withheld": "too_few"},
    ]
    assert json.loads(json.dumps(shaped, ensure_ascii=False)) == shaped
