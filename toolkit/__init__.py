"""Drafting prison directives on babies and small children living in prison with a parent."""

__version__ = "0.1.0"
