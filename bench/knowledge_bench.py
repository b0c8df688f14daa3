"""The knowledge layer in one run: mentions per type, places, near-duplicates, each beside its baseline.

Runs `bench mentions` (officials, documents, meetings, figures, organisations, persons: P/R on the replica and
the seed gold, underthesea's NER as the baseline, the time mentions add to extraction), `bench places`
(places with the right post-2025 unit, NER baseline) and `bench duplicates` (the replica's republished pairs,
an exact-hash baseline) with their defaults, one after the other, in this process.

    PYTHONPATH=$PWD:$PWD/tools .venv/bin/python -m bench knowledge
"""

from __future__ import annotations

import sys

from bench import duplicates_bench, mentions_bench, places_bench


def main() -> int:
    for name, run in (("mentions", mentions_bench.main), ("places", places_bench.main),
                      ("duplicates", duplicates_bench.main)):
        print(f"\n== bench {name}", flush=True)
        sys.stderr.flush()
        if run([]) != 0:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
