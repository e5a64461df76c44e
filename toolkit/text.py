"""Plain-text normalisation shared by the data loaders and the renderers."""
from __future__ import annotations

import re

SPACE = re.compile(r"[ \t\r\n\f\v]+")


def squash(text: object) -> str:
    """Fold runs of ASCII white space into one space. No-break spaces stay: French typography needs them."""
    return SPACE.sub(" ", str(text)).strip()
