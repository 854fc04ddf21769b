"""Reading the date and time of a service booking from text or a speech transcript."""

from nlu.when.model import KAZAKHSTAN, When
from nlu.when.parse import parse_when

__all__ = ["KAZAKHSTAN", "When", "parse_when"]
