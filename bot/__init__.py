"""Recap: a Slack assistant that summarizes threads and channels with citations."""

__version__ = "0.1.0"
