"""Reading the date and time of a service booking from text or a speech transcript."""

from nlu.when.model import When
from nlu.when.parse import parse_when

__all__ = ["When", "parse_when"]
