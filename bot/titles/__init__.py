"""bot/titles."""
