"""Model providers behind one small interface; nothing here imports Slack."""
