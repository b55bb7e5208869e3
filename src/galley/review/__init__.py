"""The review tools: what changed between two versions of the manuscript, for readers and journals."""
