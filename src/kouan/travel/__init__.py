"""Travel: what is known of the people arriving, by noun. ``registry/`` (voyages, their versions, travellers and
stays: filing a manifest), ``journey/`` (bookings, crossings, the links tying them to a traveller, relinking; the
pure cores ``stays`` and ``linking``), ``declarations/`` (the health declaration card and its codes). Each has
``models`` (tables) and, where it answers with them, ``schemas`` (pydantic). Travel imports no screening, referrals,
sharing or intake: those read it, and :mod:`kouan.intake` files through it."""
