"""Intake: the flows that cross domains, written once for every entry point (API, console, CLI, demo, public card).

Data flows one way: formats → travel → screening → referrals → sharing. Intake sits on top: it parses nothing
itself and owns no table; it files through travel, rescreens through screening, and is the one place that hands a
filing on. The flows (:mod:`kouan.intake.flows`), each filing, relinking and rescreening what it touched:

- ``file_paxlst``: a carrier's manifest; its voyage is screened (also when the same message was held already), unless
  it is a departure manifest, filed as an exit and not screened;
- ``file_pnrgov``: a booking push; a new push for a flight whose manifest is here relinks and rescreens it;
- ``file_crossings``: our exit/entry records (they name no voyage: linked when a voyage is filed or relinked);
- ``file_declarations``: declarations in bulk; ``file_cards``: checked declaration cards (web, bulk);
- ``store_message``: a PAXLST or PNRGOV file filed and relinked, for a batch screened once afterwards;
- ``rescreen``: the voyages screened again with the configured classifier and backend.

No referral is made on filing: officers refer (``referrals.service.refer_voyage``). Anything that should follow a
rescreen (such as referring those whose level rose) belongs in ``rescreen``.
"""
