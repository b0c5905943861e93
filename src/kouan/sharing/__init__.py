"""The transport below referrals: partner agencies (agencies/: who they are, their tokens, what each kind may see)
and the outbox with its delivery (outbox/: relay and webhooks, pull feed). It knows no referrals, travel, screening
or intake; those hand it what it needs."""
