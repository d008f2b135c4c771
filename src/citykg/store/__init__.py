"""Stage 4: the store, named graphs in an embedded Oxigraph database, its generations on
disk, and the history of replaced versions.
"""
