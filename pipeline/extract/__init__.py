"""Extract stage: read raw card pages into records whose values keep where they came from."""
