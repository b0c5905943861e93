"""Lawful information requests: an agency asks about a person, an analyst decides, the answer is the person's
referrals (and stays) as the agency's kind may see them."""
