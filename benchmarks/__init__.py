"""Scale benchmark: synthetic project cards in the real card layout, and a timed end-to-end run."""
