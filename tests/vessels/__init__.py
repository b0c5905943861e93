"""Tests of the vessel and crew screening core."""
