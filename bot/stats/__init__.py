"""Pure statistics behind nps-bot reports.

Every function here takes plain values (score histograms, their
:class:`~bot.nps.Composition`, counts, texts) and returns frozen dataclasses or plain
values. Nothing reads a clock, a database or the network.
"""
