"""CAP 1.2: the alert data model, safe parsing with schema validation, and export."""
