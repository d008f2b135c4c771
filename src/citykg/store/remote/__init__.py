"""A remote SPARQL 1.1 triplestore as the store (docs/decisions/1601)."""
