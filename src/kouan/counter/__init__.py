"""At the counter (现场查验): a scan finds the traveller, the checks flag what matters, the officer decides."""
