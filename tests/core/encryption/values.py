"""Values shared by the encryption tests: the key, the phones, and a list to import."""

from __future__ import annotations

from datetime import UTC, datetime

from core.encryption import new_key

KEY = new_key()
NOW = datetime(2026, 3, 1, tzinfo=UTC)
INSIDE, OUTSIDE, NO_PLACE = "+77011234567", "+77017654321", "+77015550011"
LIST_HEADER = "Телефон;Вид инвалидности;Язык;Область;Широта;Долгота"
LIST_ROWS = [
    "87011234567;глухой;ru;75;43,2567;76,9286",  # in Almaty, inside the circle
    "87017654321;глухой;kk;71;51,1282;71,4304",  # in Astana
    "87015550011;глухой;en;75;;",  # in Almaty, no coordinates
]
LIST_VALUES = {
    "language": "ru",
    "region": "75",
    "consent_source": "list",
    "consent_version": "1",
    "consent_at": NOW,
}
SECRETS = ("7011234567", "7017654321", "7015550011", "43.2567", "76.9286", "51.1282", "71.4304")
