"""Print a labelling sheet for the claim-support gold: a story's articles, every sentence numbered.

The sheet shows the texts only (the dataset's own sentence split, as ``bench/datasets.py`` renders
it), never anything newsprism computed, so labels made from it do not depend on the system's output.
Sheets hold article text, so they are written outside the repository (the labels keep references).

    python bench/gold/support_sheet.py basil ae243a95-b2c2-410c-9e2b-b083b4b8eb48 > /tmp/sheet.txt
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datasets import BenchStory, sentence_sha1, stories


def sheet(story: BenchStory) -> str:
    """The story as numbered sentences, article by article, paragraphs separated by a blank line."""
    lines = [f"STORY {story.id}: {story.title}", ""]
    for article in story.articles:
        lines += ["=" * 100, f"ARTICLE {article.id}  ({article.outlet})  title: {article.title}", "=" * 100]
        previous_end = None
        for i, (start, end) in enumerate(article.sentences):
            if previous_end is not None and "\n\n" in article.text[previous_end:start]:
                lines.append("")
            text = article.text[start:end]
            lines.append(f"[{article.id} #{i}] ({sentence_sha1(text)}) {text}")
            previous_end = end
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", choices=["basil", "newswcl50"])
    parser.add_argument("story", help="story id (BASIL triplet uuid, or newswcl50-<event>)")
    args = parser.parse_args()
    by_id = {s.id: s for s in stories(args.dataset)}
    print(sheet(by_id[args.story]))


if __name__ == "__main__":
    main()
