"""RDF foundations every stage shares: namespaces and compact IRIs, minted IRIs, format
enums, rdflib<->pyoxigraph term conversion, canonical order, and the serializers.
"""
