"""CSV import and anonymized export of answers (``nps-bot import`` / ``nps-bot export``)."""
