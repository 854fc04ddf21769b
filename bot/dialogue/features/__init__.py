"""Dialogue features: each module answers one kind of request."""
