"""Catalogs: every language has every word, with the same placeholders."""

from __future__ import annotations

import string
from datetime import date
from pathlib import Path

import pytest

from bot.i18n import Catalogs, normalize_locale, read_language


@pytest.fixture(scope="module")
def catalogs() -> Catalogs:
    return Catalogs()


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_english_and_japanese_have_the_same_keys_and_placeholders(catalogs: Catalogs) -> None:
    assert catalogs.keys("en") == catalogs.keys("ja")
    en, ja = catalogs.translator("en"), catalogs.translator("ja")
    for key in catalogs.keys("en"):
        assert en.messages[key].strip() and ja.messages[key].strip(), key
        assert placeholders(en.messages[key]) == placeholders(ja.messages[key]), key


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ja", "ja"),
        ("ja-JP", "ja"),
        ("ja_JP", "ja"),
        ("en-US", "en"),
        ("en-GB", "en"),
        ("fr-FR", "en"),
        (None, "en"),
        ("", "en"),
    ],
)
def test_normalize_locale(raw: str | None, expected: str) -> None:
    assert normalize_locale(raw, fallback="en") == expected


def test_fallback_language_is_used_for_unsupported_locales() -> None:
    assert normalize_locale("de", fallback="ja") == "ja"


def test_dates_are_written_in_each_language(catalogs: Catalogs) -> None:
    day = date(2027, 4, 23)
    assert catalogs.translator("en").date(day) == "April 23, 2027"
    assert catalogs.translator("ja").date(day) == "2027年4月23日"


def test_missing_key_is_an_error(catalogs: Catalogs) -> None:
    with pytest.raises(KeyError):
        catalogs.translator("en")("no.such.key")


def test_words_that_count_have_every_plural_form_of_each_language(catalogs: Catalogs) -> None:
    en, ja = catalogs.plural_forms("en"), catalogs.plural_forms("ja")
    assert en and set(en) == set(ja)
    for key, forms in en.items():
        assert len(forms) == 2 and len(ja[key]) == 1, key
        assert all(form.strip() for form in (*forms, *ja[key])), key
        names = {frozenset(placeholders(form)) for form in (*forms, *ja[key])}
        assert len(names) == 1, key  # the number is {count}, or shown as it is counted


@pytest.mark.parametrize(
    ("count", "english", "japanese"),
    [
        (1, "imported 1 answer into survey x", "1件の回答をアンケート x に取り込みました"),
        (2, "imported 2 answers into survey x", "2件の回答をアンケート x に取り込みました"),
        (0, "imported 0 answers into survey x", "0件の回答をアンケート x に取り込みました"),
    ],
)
def test_a_count_picks_its_plural_form(
    catalogs: Catalogs, count: int, english: str, japanese: str
) -> None:
    assert catalogs.translator("en").plural("cli.imported", count, survey="x") == english
    assert catalogs.translator("ja").plural("cli.imported", count, survey="x") == japanese


def test_a_missing_plural_message_is_an_error(catalogs: Catalogs) -> None:
    with pytest.raises(KeyError):
        catalogs.translator("ja").plural("no.such.key", 2)


@pytest.mark.parametrize("jargon", ["サーベイ", "ウェーブ", "ドライバー", "テナント"])
def test_japanese_uses_one_plain_word_for_each_thing(catalogs: Catalogs, jargon: str) -> None:
    # アンケート for a survey, 配信回 for a wave, 評価の質問 for driver questions.
    texts = [*catalogs.translator("ja").messages.values()]
    texts += [form for forms in catalogs.plural_forms("ja").values() for form in forms]
    assert [text for text in texts if jargon in text] == []


HEADER = (
    'msgid ""\nmsgstr ""\n"Language: en\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
)
WORD = 'msgid "thing.word"\nmsgstr "A word"\n\n'
COUNT = (
    'msgid "thing.count"\nmsgid_plural "thing.count"\n'
    'msgstr[0] "{count} thing"\nmsgstr[1] "{count} things"\n\n'
)


def catalog_dir(tmp_path: Path, **files: str) -> Path:
    (tmp_path / "en").mkdir()
    for name, body in files.items():
        (tmp_path / "en" / f"{name}.po").write_text(HEADER + body, encoding="utf-8")
    return tmp_path


def test_one_reading_gives_the_words_and_the_plural_forms(tmp_path: Path) -> None:
    messages, forms = read_language("en", directory=catalog_dir(tmp_path, core=WORD + COUNT))

    assert messages == {"thing.word": "A word"}
    assert forms == {"thing.count": ("{count} thing", "{count} things")}


@pytest.mark.parametrize("body", [WORD, COUNT], ids=["word", "plural"])
def test_a_key_defined_in_two_files_is_refused(tmp_path: Path, body: str) -> None:
    with pytest.raises(ValueError, match="defined twice for en"):
        read_language("en", directory=catalog_dir(tmp_path, core=body, more=body))
