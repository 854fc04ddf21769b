"""Which of Kazakhstan's 20 regions a shared place lies in, for the help inbox.

The help inbox shows coordinates; a dispatcher also needs words ("Region: Almaty") to know
at a glance where the person is. The lookup is the registry's (`alerts.registry.outlines`),
which the bot's region questions use too.
"""

from __future__ import annotations

from alerts.registry.outlines import GRACE, region_at

__all__ = ["GRACE", "region_at"]
