"""Stage 6b: exports (selection, serializers, JSON-LD framing), publication with DCAT and VoID."""
