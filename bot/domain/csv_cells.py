"""Text cells a spreadsheet would run as a formula, made inert (pure).

Excel, LibreOffice and Google Sheets run a cell of an opened CSV file that starts with
``=``, ``+``, ``-`` or ``@`` as a formula, and some importers first drop a leading tab or
carriage return. A respondent's reason ``=HYPERLINK("http://…","click")`` would become a
live link in the file HR opens, and ``=cmd|…`` a command (OWASP: CSV injection).

:func:`neutralise` puts a single quote before such a cell, which spreadsheets read as
"this is text"; the writer quotes every text cell as well, so nothing after the quote can
end the field. Only text is neutralised: numbers the export writes itself (a score) stay
numbers. :func:`restore` takes the added quote off again, so an exported file imports
unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_TRIGGERS = frozenset("=+-@\t\r")
QUOTE = "'"


def needs_quote(text: str) -> bool:
    """Whether ``text`` would be read as a formula once any leading quotes were dropped.

    Counting those quotes lets :func:`restore` tell a quote this module added from one
    a person typed: ``'=1`` typed as such is exported as ``''=1`` and restored intact.
    """
    unquoted = text.lstrip(QUOTE)
    return bool(unquoted) and unquoted[0] in FORMULA_TRIGGERS


def neutralise(text: str) -> str:
    """``text`` with one quote in front when :func:`needs_quote`, else unchanged.

    The result never starts with a formula trigger, and ``restore(neutralise(t)) == t``.
    """
    return QUOTE + text if needs_quote(text) else text


def restore(text: str) -> str:
    """Undo :func:`neutralise`: drop the quote it added, leave any other text alone."""
    return text[1:] if text.startswith(QUOTE) and needs_quote(text) else text


def inert_row(values: Iterable[object]) -> list[object]:
    """One CSV row as a writer should get it: every text cell neutralised, numbers (an
    ``int`` or ``float``, never a ``bool``) kept as numbers, ``None`` an empty cell."""
    cells: list[object] = []
    for value in values:
        if value is None:
            cells.append("")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            cells.append(value)
        else:
            cells.append(neutralise(str(value)))
    return cells
