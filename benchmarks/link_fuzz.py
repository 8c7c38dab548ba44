"""Every hostile link value on every page (corpora/links.py), counted: cases, refusals, valid runs, crashes, hangs.

Run: .venv/bin/python -m benchmarks.link_fuzz
"""

import time

from corpora.links import PAGES, VALUES, WORKBENCH, fuzz


def main() -> None:
    t0 = time.perf_counter()
    counts, failures = fuzz(PAGES, VALUES, WORKBENCH)
    print(
        f"link fuzz: {sum(counts.values())} cases on {len(PAGES)} pages ({len(VALUES)} values in every parameter, "
        f"{len(WORKBENCH)} workbench scenario links) in {time.perf_counter() - t0:.0f} s"
    )
    print(
        f"clean refusals {counts['refused']}, valid runs {counts['valid']}, crashes {counts['crash']}, "
        f"hangs {counts['hang']}"
    )
    for f in failures:
        print("  " + f)


if __name__ == "__main__":
    main()
