"""Check curated YAML files while curating: model validation and every span against its article.

Usage: python tools/check_curated.py data/curated/quotes_000.yaml [...]
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from rustcase import models  # noqa: E402

MODELS = {
    "people": models.Person,
    "organizations": models.Organization,
    "places": models.Place,
    "works": models.Work,
    "quotes": models.Quote,
    "utterances": models.Utterance,
    "events": models.Event,
    "claims": models.Claim,
    "mentions": models.Mention,
}


def article_texts() -> dict[str, str]:
    return {
        "art-" + p.name[:3]: p.read_text(encoding="utf-8")
        for p in sorted((ROOT / "data" / "sources").glob("*.txt"))
    }


def spans(obj: object, where: str):
    if isinstance(obj, dict):
        if {"article_id", "start", "end", "text"} <= obj.keys():
            yield where, obj
        for k, v in obj.items():
            yield from spans(v, f"{where}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from spans(v, f"{where}[{i}]")


def check(path: Path, texts: dict[str, str]) -> list[str]:
    problems = []
    records = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    table = path.stem.split("_")[0]
    model = MODELS.get(table)
    for i, rec in enumerate(records):
        rid = next(iter(rec.values()), i)
        if model is not None:
            try:
                model.model_validate(rec)
            except Exception as exc:  # report every record, not only the first
                problems.append(f"{path}:{rid}: {exc}")
        for where, span in spans(rec, str(rid)):
            text = texts.get(span["article_id"])
            if text is None or text[span["start"]:span["end"]] != span["text"]:
                got = None if text is None else text[span["start"]:span["end"]]
                problems.append(f"{path}:{where}: span {span['start']}:{span['end']} is {got!r}, record says {span['text']!r}")
        if rec.get("cue") is not None:
            text = texts.get(rec["article_id"], "")
            if text[rec["cue_start"]:rec["cue_end"]] != rec["cue"]:
                problems.append(f"{path}:{rid}: cue span is {text[rec['cue_start']:rec['cue_end']]!r}, record says {rec['cue']!r}")
    return problems


def main() -> int:
    texts = article_texts()
    problems = [p for arg in sys.argv[1:] for p in check(Path(arg), texts)]
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
