"""Measures: time-versioned region risk, classifiers, entry policies, contact rules."""
