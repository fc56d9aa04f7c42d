"""nps-bot: Net Promoter Score surveys where people already talk."""
