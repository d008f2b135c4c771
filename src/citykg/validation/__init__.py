"""Stage 3: SHACL validation of one submission graph, and reports in plain words."""
