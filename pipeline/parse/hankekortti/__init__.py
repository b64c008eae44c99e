"""The parser of the Oulu project-card layout (hankekortti): one page per project, read as lines."""
