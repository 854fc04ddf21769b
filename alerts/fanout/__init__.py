"""Fan-out: the delivery ledger, planning recipients into batches, sending, escalation."""
