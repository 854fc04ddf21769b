"""Bookings: catalog, providers, slots, quotas, lifecycle, reminders, coordinator operations."""
