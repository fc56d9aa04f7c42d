"""Bolt listeners: each translates one kind of Slack request into engine calls."""
