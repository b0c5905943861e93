"""The outbox of events owed to agencies and their delivery: pushed as signed webhooks by the relay, or pulled from
the feed."""
