"""The performance benchmark of issue 11: a seeded generator of SYNTHETIC source payloads, a runner
that times the pipeline's stages over them, and the comparisons the issue names (bench/README.md)."""
