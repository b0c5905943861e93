"""Connected components of an edge list, vectorised (numpy): each node's label is the smallest node it reaches."""

from __future__ import annotations

import numpy as np


def smallest_reachable(*, left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(nodes, labels): every node of the edges (sorted) and the smallest node of its component."""
    nodes, positions = np.unique(np.concatenate([left, right]), return_inverse=True)
    if not len(nodes):
        return nodes, nodes
    ends = positions.reshape(2, -1)
    label = np.arange(len(nodes))
    while True:
        lowest = np.minimum(label[ends[0]], label[ends[1]])
        before = label.copy()
        np.minimum.at(label, ends[0], lowest)
        np.minimum.at(label, ends[1], lowest)
        label = _jumped(label)
        if np.array_equal(label, before):
            return nodes, nodes[label]


def _jumped(label: np.ndarray) -> np.ndarray:
    """Each label replaced by its label's label until nothing changes (pointer jumping)."""
    while True:
        jumped = label[label]
        if np.array_equal(jumped, label):
            return label
        label = jumped
