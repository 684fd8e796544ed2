"""The recorded Federal Register responses the feed tests read (no network)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[1] / "data_external" / "federal_register"
RELEVANT = {"2025-07676", "2025-06063", "2025-02833", "2025-02832", "2024-21773"}
NOT_RELEVANT = {"2025-06244", "2025-04875", "2023-04115"}


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))
