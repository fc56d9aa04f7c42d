"""Distribution mode: one app installed in many workspaces through Slack's OAuth flow."""
