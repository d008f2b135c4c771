"""Stage 7: the commands' work: check submissions, build a store, submit one file, review and diff."""
