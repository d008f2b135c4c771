"""`python -m bench` (and `make bench`): the export benchmark; see bench/README.md."""

from bench.export import main

main()
