"""bot/runtime."""
