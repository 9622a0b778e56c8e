"""pythainlp's :func:`~pythainlp.util.normalize`, in time linear in the text.

pythainlp 5.x reorders vowels and tone marks with ``([tone marks]+)([above/below vowels]+)`` and
``([follow vowels]+)([tone marks]+)``: on a long run of tone marks (or of follow vowels) that is
not followed by its partner, the search retries from every position inside the run, so the time
grows with the square of the run (8,000 tone marks: about a second; a 10,000-character cell of
them, as a sheet may hold, for every distinct cell of a column). Here each of those patterns may
start only where its run starts (a look-behind), which finds exactly the same matches, since
each class excludes the other; repeated vowels are collapsed by ``ch(?: *ch)+``, the same
language as pythainlp's ``(ch[ ]*)+ch`` without the nested quantifier. The other steps are
pythainlp's own functions, which are linear. ``tests/test_model_text.py`` checks with
Hypothesis that the result equals :func:`pythainlp.util.normalize` on any Thai text.

>>> normalize("เเปลก"), normalize("นานาาา")
('แปลก', 'นานา')
"""

from __future__ import annotations

import functools
import re

__all__ = ["normalize"]


@functools.cache
def _steps() -> tuple:
    """The patterns and pythainlp's linear steps (pythainlp is slow to import: lazily)."""
    from pythainlp import thai_above_vowels as above
    from pythainlp import thai_below_vowels as below
    from pythainlp import thai_follow_vowels as follow
    from pythainlp import thai_lead_vowels as lead
    from pythainlp import thai_tonemarks as tones
    from pythainlp.util import (
        remove_dangling,
        remove_dup_spaces,
        remove_spaces_before_marks,
        remove_zw,
    )

    reorder = (
        (re.compile("\u0e40\u0e40"), "\u0e41"),
        (re.compile(f"(?<![{tones}\u0e4c])([{tones}\u0e4c]+)([{above}{below}]+)"), r"\2\1"),
        (re.compile(f"\u0e4d([{tones}]*)\u0e32"), "\\1\u0e33"),
        (re.compile(f"(?<![{follow}])([{follow}]+)([{tones}]+)"), r"\2\1"),
        (re.compile("([^\u0e24\u0e26])\u0e45"), "\\1\u0e32"),
    )
    norepeat_chars = f"{follow}{lead}{above}{below}\u0e3a\u0e4c\u0e4d\u0e4e"
    norepeat = tuple((re.compile(f"{re.escape(ch)}(?: *{re.escape(ch)})+"), ch)
                     for ch in norepeat_chars)
    tone_runs = re.compile(f"[{tones}]+")
    return (remove_zw, remove_dup_spaces, remove_spaces_before_marks, remove_dangling, reorder,
            norepeat, tone_runs)


def normalize(text: str) -> str:
    """Thai text cleaned as :func:`pythainlp.util.normalize` cleans it: zero-width characters
    and repeated spaces removed, vowels and tone marks in their logical order, repeated vowels
    and signs once, the last of repeated tone marks, no dangling marks at the start."""
    (remove_zw, remove_dup_spaces, remove_spaces_before_marks, remove_dangling, reorder,
     norepeat, tone_runs) = _steps()
    text = remove_spaces_before_marks(remove_dup_spaces(remove_zw(text)))
    for pattern, repl in reorder:
        text = pattern.sub(repl, text)
    for pattern, repl in norepeat:
        text = pattern.sub(repl, text)
    text = tone_runs.sub(lambda m: m.group(0)[-1], text)
    return remove_dangling(text)
