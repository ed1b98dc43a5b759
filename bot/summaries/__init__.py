"""bot/summaries."""
