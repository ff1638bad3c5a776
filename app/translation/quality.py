"""Which Apertium routes are good enough to offer, measured once and kept as data.

Apertium marks each word it could not handle (`*` unknown, `@` missing from the bilingual
dictionary, `#` not inflected). On a fixed sample of administrative sentences per source
language (data/mt_sample.toml) every route up to three steps is run with the marks on;
the share of marked words of each step, combined over the steps (a word passes a route
unmarked only if it passes every step: 1 - the product of (1 - share)), is the route's
`marked` figure. A route is offered when `marked` is at most MAX_MARKED (mt.route).

    python -m app.translation.quality --url http://127.0.0.1:2737

writes data/apertium_routes.json, with the Debian package versions it measured: measure
again when the pairs installed change. A direct pair that was never measured is offered
(a pair Debian adds later); a route through other languages only once measured.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import tomllib
from functools import cache
from pathlib import Path

import requests

DATA = Path(__file__).resolve().parent / "data"
SAMPLE = DATA / "mt_sample.toml"
ROUTES = DATA / "apertium_routes.json"
# Share of marked words above which a route is not offered. Croatian to English at 19 %
# still gives the gist ("Competent body confirmed that is diploma valjana. Molimo responded
# in deadline from twenty workdays."), and officers had it before the gate; English to
# Croatian at 92 % gives none ("The nadležan uprava potvrditi da the professional ..."),
# nor does Slovenian to English through Croatian at 23 %.
MAX_MARKED = 0.20
_WORD = re.compile(r"[*@#]*\w+#?")
_MARKED_WORD = re.compile(r"^[*@#]|#$")


@cache
def measured() -> dict[str, list[dict]]:
    """ "fr>en" -> the routes measured for it, as {"path": "fr>es>en", "marked": 0.03}."""
    try:
        return json.loads(ROUTES.read_text())["routes"]
    except FileNotFoundError:
        return {}


def acceptable(entry: dict) -> bool:
    return entry["marked"] <= MAX_MARKED


def marked_share(text: str) -> tuple[int, int]:
    """How many words of Apertium's output it marked, and how many words there are."""
    words = _WORD.findall(text)
    return sum(1 for word in words if _MARKED_WORD.search(word)), len(words)


def _step(url: str, langpair: str, text: str) -> tuple[str, int, int]:
    from app.translation.mt import without_marks

    response = requests.post(
        f"{url}/translate",
        data={"langpair": langpair, "q": text, "markUnknown": "yes"},
        timeout=60,
    )
    response.raise_for_status()
    output = response.json()["responseData"]["translatedText"]
    marked, words = marked_share(output)
    return without_marks(output, text), marked, words


def _paths(graph: dict[str, dict[str, str]], source: str, steps: int = 3) -> list[list[str]]:
    """Every route from source without a repeated language, of at most `steps` steps."""
    found, paths = [], [[source]]
    while paths:
        path = paths.pop()
        for following in sorted(graph.get(path[-1], {})):
            if following not in path:
                longer = [*path, following]
                found.append(longer)
                if len(longer) <= steps:
                    paths.append(longer)
    return found


def measure(url: str) -> dict[str, list[dict]]:
    """Every route of the server at url, measured on the sample of its source language;
    for each pair the acceptable routes first, shortest and least marked first."""
    from app.translation.mt import apertium_graph

    graph = apertium_graph(url)
    sample = tomllib.loads(SAMPLE.read_text())
    done: dict[tuple[str, str], tuple[str, int, int]] = {}
    routes: dict[str, list[dict]] = {}
    for source in sorted(graph):
        for path in _paths(graph, source):
            texts, unmarked = list(sample.get(source, [])), 1.0
            if not texts:
                continue
            for step, following in zip(path, path[1:], strict=False):
                langpair, marked, words = graph[step][following], 0, 0
                for index, text in enumerate(texts):
                    if (langpair, text) not in done:
                        done[langpair, text] = _step(url, langpair, text)
                    texts[index], step_marked, step_words = done[langpair, text]
                    marked, words = marked + step_marked, words + step_words
                unmarked *= 1 - marked / max(words, 1)
            routes.setdefault(f"{source}>{path[-1]}", []).append(
                {"path": ">".join(path), "marked": round(1 - unmarked, 3)}
            )
    for entries in routes.values():
        entries.sort(key=lambda e: (not acceptable(e), e["path"].count(">"), e["marked"]))
    return dict(sorted(routes.items()))


def _packages() -> dict[str, str]:
    """The Debian Apertium packages installed, with their versions."""
    try:
        listed = subprocess.run(
            ["/usr/bin/dpkg-query", "-W", "-f=${Package} ${Version}\\n", "apertium*"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
    except OSError:
        return {}
    installed = (line.split(" ", 1) for line in listed.splitlines() if " " in line)
    return {name: version for name, version in installed if version}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:2737", help="Apertium APY server")
    parser.add_argument("--out", default=str(ROUTES))
    args = parser.parse_args()
    routes = measure(args.url.rstrip("/"))
    Path(args.out).write_text(
        json.dumps(
            {
                "about": "Share of words Apertium marks per route, on data/mt_sample.toml; "
                f"offered when at most {MAX_MARKED} (app/translation/quality.py)",
                "packages": _packages(),
                "routes": routes,
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n"
    )
    offered = sum(1 for entries in routes.values() if acceptable(entries[0]))
    print(f"{len(routes)} pairs have a route, {offered} offered (marked <= {MAX_MARKED})")
    for pair, entries in routes.items():
        best = entries[0]
        verdict = "offered" if acceptable(best) else "REFUSED"
        print(f"  {pair:6} {best['path']:12} {best['marked']:6.1%}  {verdict}")


if __name__ == "__main__":
    main()
