"""Persistence for nps-bot: tables, queries, migrations. Imports nothing from the bot.

One module per table group (``tenants``, ``surveys``, ``waves``, ``invitations``,
``contacts``, ``opt_outs``, ``answers``, ``digests``, ``alerts``, ``ratings``), plus
``asks`` (the answering hot path), ``aggregates`` (every count over answers),
``transfer`` (bulk import and export), ``deletion`` and ``tenant_removal`` (deletes that
span tables) and ``sql`` (helpers they all share). Tables live in ``models``; the
database handle in ``database``; schema changes in ``migrate`` and ``migrations``.
"""
