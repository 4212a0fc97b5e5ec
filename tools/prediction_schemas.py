"""Write schema/predictions/<task>.schema.json from the Pydantic prediction models, so the formats cannot drift.

python tools/prediction_schemas.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from rustcase.scoring import json_schemas  # noqa: E402


def prediction_schemas() -> dict[Path, str]:
    """Each prediction schema file's path and its content."""
    return {
        ROOT / "schema" / "predictions" / f"{task}.schema.json": json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
        for task, schema in json_schemas().items()
    }


if __name__ == "__main__":
    for path, text in prediction_schemas().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
