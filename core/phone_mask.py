"""Phone numbers shown with most digits hidden. Two readers, two cuts:

- its owner ("my data" in the bot) recognises their own number by its operator code and
  last digits: "+77012345678" → "+7 701 *** ** 78";
- staff tell people apart by the last four digits, and see no operator code:
  "+77011234567" → "+7 7** *** 45 67".
"""

from __future__ import annotations

import phonenumbers

HIDDEN = "hidden"


def for_owner(phone: str) -> str:
    digits = phone.removeprefix("+")
    if len(digits) < 6:
        return "*" * len(digits)
    return " ".join(["+" + digits[0], digits[1:4], "***", "**", digits[-2:]])


def for_staff(phone: str | None) -> str:
    if not phone:
        return ""
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return HIDDEN
    national = str(number.national_number)
    if len(national) < 7:
        return f"+{number.country_code} " + "*" * len(national)
    head = national[0] + "*" * (len(national) - 5)
    groups = [head[start : start + 3] for start in range(0, len(head), 3)]
    return " ".join([f"+{number.country_code}", *groups, national[-4:-2], national[-2:]])
