"""Memory a long-running server gives back after each document it writes.

A Word document is a tree of lxml elements that python-docx links in reference cycles: the garbage
collector frees it only at its next full pass, and the C library keeps the freed memory in the arena
of the thread that used it. Twenty officials downloading at once would leave every thread's arena at
its largest. Collecting, then asking the C library to return its free memory, keeps a worker near its
resting size.
"""
from __future__ import annotations

import ctypes
import gc
from functools import cache


@cache
def _trim():
    """glibc's malloc_trim, or None where the C library has none (Windows, macOS, musl)."""
    try:
        return getattr(ctypes.CDLL(None), "malloc_trim", None)
    except (OSError, TypeError):
        return None


def release() -> None:
    """After a document is written: free its cycles now, and give the freed memory back."""
    gc.collect()
    trim = _trim()
    if trim is not None:
        trim(0)
