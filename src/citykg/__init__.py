"""citykg: a knowledge-graph builder for city innovation profiles."""

from citykg.errors import CityKGError

__version__ = "0.2.0"
__all__ = ["CityKGError", "__version__"]
