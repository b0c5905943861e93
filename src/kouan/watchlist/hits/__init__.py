"""Hits: travellers (on a manifest, either direction, or at a counter) whose names meet a list entry in force; the
review queue that confirms or dismisses each, and the decision (不准出境 / 不准入境 ...) a confirmed hit becomes."""
