"""Feedback on answers: 👍/👎 (with an optional note), "Try again" / "Shorter" / "More detail", and the
export of thumbs-down cases as candidate rows for the labelled eval sets (``recap eval feedback``)."""
