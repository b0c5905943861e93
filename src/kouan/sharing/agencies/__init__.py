"""Partner agencies: who they are, their tokens, and what each kind may see (minimisation)."""
