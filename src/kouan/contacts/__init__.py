"""Close contacts: seat geometry, effective-dated contact rules, and finding contacts on a voyage."""
