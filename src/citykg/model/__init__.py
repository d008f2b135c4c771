"""The submission model: documents with origins, the submission format (schema), the
SKOS vocabularies, and the ontology and shapes graphs.
"""
