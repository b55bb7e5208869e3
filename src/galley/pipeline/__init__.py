"""The build's pipeline: what `galley build` and the preview's full rebuild run."""
