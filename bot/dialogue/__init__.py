"""bot/dialogue."""
