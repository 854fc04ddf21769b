"""The Telegram adapter: translates between aiogram and the channel-neutral dialogue."""
