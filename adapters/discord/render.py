"""Engine views as Discord message parts: content, embeds, chart files, modal wording.

Only the words of the views appear; this module adds none. Buttons live in
``components.py`` because they carry behaviour. Discord's size limits are applied here,
so a long translation or report is shortened instead of being refused by the API.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import discord

from adapters.discord.escape import escape_text
from bot.views.common import (
    HomeView,
    Notice,
    ReasonPrompt,
    ReportRow,
    ReportView,
    ScorePrompt,
    SurveyCard,
    Tone,
)

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits,
# .../interactions/message-components#text-input).
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_FIELD_NAME_LIMIT = 256
EMBED_FIELD_VALUE_LIMIT = 1024
EMBED_FIELDS_LIMIT = 25
EMBED_TOTAL_LIMIT = 6000
EMBEDS_PER_MESSAGE = 10
CONTENT_LIMIT = 2000
MODAL_TITLE_LIMIT = 45
TEXT_INPUT_LABEL_LIMIT = 45
PLACEHOLDER_LIMIT = 100

_TONE_COLOURS = {
    Tone.INFO: discord.Colour.blurple(),
    Tone.SUCCESS: discord.Colour.green(),
    Tone.WARNING: discord.Colour.gold(),
    Tone.ERROR: discord.Colour.red(),
}
_TONE_MARKS = {Tone.INFO: "", Tone.SUCCESS: "✅ ", Tone.WARNING: "⚠️ ", Tone.ERROR: "❌ "}
_BLANK = "\u200b"  # an embed field needs a non-empty name


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending with an ellipsis when it was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def notice_content(notice: Notice) -> str:
    """A notice as message content, marked by its tone."""
    return clip(_TONE_MARKS[notice.tone] + notice.text, CONTENT_LIMIT)


def score_prompt_embed(prompt: ScorePrompt) -> discord.Embed:
    """The 0–10 question; the buttons come from ``components.score_prompt_view``."""
    body = f"{prompt.low_label} · {prompt.high_label}\n\n{prompt.notice}"
    if prompt.follow_up:
        # Themes come from respondents' words: escaped, so they ping and link nothing.
        body = f"{escape_text(prompt.follow_up)}\n\n{body}"
    return discord.Embed(
        title=clip(prompt.question, EMBED_TITLE_LIMIT),
        description=clip(body, EMBED_DESCRIPTION_LIMIT),
        colour=_TONE_COLOURS[Tone.INFO],
    )


def card_embed(card: SurveyCard) -> discord.Embed:
    """The public channel card; the button comes from ``components.card_view``."""
    follow_up = f"{escape_text(card.follow_up)}\n\n" if card.follow_up else ""
    return discord.Embed(
        title=clip(card.title, EMBED_TITLE_LIMIT),
        description=clip(
            f"{follow_up}**{card.question}**\n\n{card.notice}", EMBED_DESCRIPTION_LIMIT
        ),
        colour=_TONE_COLOURS[Tone.INFO],
    )


def home_embed(home: HomeView) -> discord.Embed:
    """A home view (Discord has no home tab: it is shown as a message)."""
    return discord.Embed(
        title=clip(home.title, EMBED_TITLE_LIMIT),
        description=clip(
            # The notice names a survey an admin named: escaped, like report text.
            "\n\n".join(
                part
                for part in (home.status_text, escape_text(home.replies_notice), home.privacy)
                if part
            ),
            EMBED_DESCRIPTION_LIMIT,
        ),
        colour=_TONE_COLOURS[Tone.INFO],
    )


def chart_filename(index: int) -> str:
    return f"chart-{index + 1}.png"


def report_embeds(report: ReportView) -> list[discord.Embed]:
    """A report as embeds: the text first, then one embed per chart image.

    Every row, note and heading is escaped: report text can quote what respondents
    wrote (themes, comments). Charts are referenced as ``attachment://chart-N.png`` and
    must be sent with ``chart_files(report)``.
    """
    first = discord.Embed(
        title=clip(escape_text(report.title), EMBED_TITLE_LIMIT),
        description=clip(escape_text(report.headline), EMBED_DESCRIPTION_LIMIT),
        colour=_TONE_COLOURS[Tone.INFO],
    )
    for section in report.sections[:EMBED_FIELDS_LIMIT]:
        lines = [_line(row) for row in section.rows]
        lines.extend(escape_text(note) for note in section.notes)
        value = "\n".join(lines) or _BLANK
        name = escape_text(section.title) or _BLANK
        if len(first) + len(name) + min(len(value), EMBED_FIELD_VALUE_LIMIT) > EMBED_TOTAL_LIMIT:
            break  # Discord refuses a message over the total; the charts still follow
        first.add_field(
            name=clip(name, EMBED_FIELD_NAME_LIMIT),
            value=clip(value, EMBED_FIELD_VALUE_LIMIT),
            inline=False,
        )
    embeds = [first]
    for index in range(min(len(report.charts), EMBEDS_PER_MESSAGE - 1)):
        chart = discord.Embed(colour=_TONE_COLOURS[Tone.INFO])
        chart.set_image(url=f"attachment://{chart_filename(index)}")
        embeds.append(chart)
    return embeds


def _line(row: ReportRow) -> str:
    """A row as ``label: **value**``; a row naming a channel mentions it (Discord shows
    its name; a mention in an embed notifies no one)."""
    label = escape_text(row.label)
    mention = row.mention
    if mention is None or not mention.channel_id.isascii() or not mention.channel_id.isdigit():
        return f"{label}: **{escape_text(row.value)}**"
    lead = f"{escape_text(mention.lead)} " if mention.lead else ""
    return f"{label}: **{lead}<#{mention.channel_id}>**"


def chart_files(report: ReportView) -> list[discord.File]:
    """Fresh upload objects for the report's charts (a ``discord.File`` is single-use)."""
    return [
        discord.File(io.BytesIO(png), filename=chart_filename(index))
        for index, png in enumerate(report.charts[: EMBEDS_PER_MESSAGE - 1])
    ]


@dataclass(frozen=True)
class ReasonForm:
    """The wording of the reason modal, already fitted to Discord's limits.

    Discord caps a modal title and a text input label at 45 characters, and a
    placeholder at 100. Choices: the title confirms the score is stored (so a person who
    closes the modal still knows) when that fits, else the prompt title; the label is the
    category prompt when it fits, else the prompt title; the placeholder always carries
    the full category prompt, so a long prompt is never lost.
    """

    title: str
    label: str
    placeholder: str | None
    limit: int


def reason_form(prompt: ReasonPrompt) -> ReasonForm:
    title = prompt.recorded if len(prompt.recorded) <= MODAL_TITLE_LIMIT else prompt.title
    label = prompt.prompt if len(prompt.prompt) <= TEXT_INPUT_LABEL_LIMIT else prompt.title
    return ReasonForm(
        title=clip(title, MODAL_TITLE_LIMIT),
        label=clip(label, TEXT_INPUT_LABEL_LIMIT),
        placeholder=clip(prompt.prompt, PLACEHOLDER_LIMIT),
        limit=prompt.limit,
    )
