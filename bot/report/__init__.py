"""Survey results: aggregated in SQL into histograms, summarised by pure statistics.

:class:`Reports` reads the score cube through :mod:`storage.aggregates` and turns it into
:class:`SurveyReport` values (for JSON and the CLI) and :class:`~bot.views.ReportView`
values (for chat, through :func:`render_report`).
"""

from bot.report.model import ReportRequest, SurveyReport
from bot.report.render import render_report
from bot.report.service import Reports

__all__ = ["ReportRequest", "Reports", "SurveyReport", "render_report"]
