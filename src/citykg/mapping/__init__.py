"""Stage 2: submission documents (and RDF submissions) to RDF with deterministic IRIs; no I/O."""
