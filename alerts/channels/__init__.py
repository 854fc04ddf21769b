"""Alert channels: the protocol, SMS over SMPP and HTTP, and the sandbox's SMS phones.

Telegram's channel lives with the bot (bot/telegram/alert_channel.py): domain code never
imports aiogram.
"""
