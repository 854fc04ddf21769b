"""The emergency-registration list: regions, importing the official list, storing registrants."""
