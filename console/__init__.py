"""The staff console: FastAPI with server-rendered Jinja2 pages, for dispatchers,
approvers, coordinators and admins."""
