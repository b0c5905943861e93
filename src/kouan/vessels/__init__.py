"""Vessel and crew screening: ports of call, where each seafarer joined, and the Maritime Declaration of Health."""
