"""kratom-data: law, chemistry and evidence on kratom (Mitragyna speciosa), as typed tables.

    >>> import kratom_data
    >>> kratom_data.load("legal_status")
"""

from importlib.metadata import PackageNotFoundError, version

from .loader import connect, load, panel, status_on, tables, timeline

try:
    __version__ = version("kratom-data")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = ["__version__", "connect", "load", "panel", "status_on", "tables", "timeline"]
