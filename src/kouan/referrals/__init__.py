"""The closed loop: a referral's declared lifecycle, routing to agencies, deadlines."""
