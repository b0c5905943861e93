"""Partner agencies, what each may see, the outbox and its delivery (webhooks, pull feed), lawful requests."""
