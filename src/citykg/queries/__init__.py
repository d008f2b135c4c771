"""Stage 6a: the query catalog (queries/*.rq), answering queries, and rendering results."""
