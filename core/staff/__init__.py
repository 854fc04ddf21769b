"""Staff of the console: accounts with roles, login sessions, and CAP API senders."""
