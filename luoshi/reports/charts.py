"""Charts as PNG images for documents (the monthly 通报), drawn with matplotlib.

The Chinese labels need a CJK font. It is found through fontconfig
(``fc-list :lang=zh``), preferring Noto Sans CJK, which ``make test`` and
Debian's fonts-noto-cjk install. Without one, matplotlib would draw every
Chinese character as an empty box; a box in an official document is worse
than no label, so the charts are drawn with numbered labels instead and a
warning is logged.
"""
from __future__ import annotations

import functools
import io
import logging
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")  # no display on a server; must precede pyplot

from matplotlib import font_manager  # noqa: E402
from matplotlib import pyplot  # noqa: E402

logger = logging.getLogger(__name__)

LIGHT_COLOURS = {"green": "#2e8b57", "yellow": "#e0a800", "red": "#d62828"}
LIGHT_NAMES = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}
BAR_COLOUR = "#1f5fa8"
DPI = 200


@functools.cache
def cjk_font() -> font_manager.FontProperties | None:
    """A font with Chinese glyphs, via fontconfig; None (and a warning) when the machine has none."""
    paths = []
    if shutil.which("fc-list"):
        listing = subprocess.run(
            ["fc-list", ":lang=zh", "file", "family"], capture_output=True, text=True, check=False
        ).stdout
        for line in sorted(listing.splitlines()):
            path, _, family = line.partition(":")
            paths.append((0 if "Noto Sans CJK" in family else 1, path.strip()))
    if not paths:
        logger.warning("No CJK font found through fontconfig: charts are drawn without Chinese labels.")
        return None
    path = min(paths)[1]
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path)


def _labels(labels: Sequence[str], font) -> list[str]:
    """The labels as given with a CJK font; otherwise only those that need none, the rest numbered."""
    if font is not None:
        return list(labels)
    return [label if label.isascii() else str(index) for index, label in enumerate(labels, start=1)]


def _wrapped(label: str, width: int = 14) -> str:
    """Long Chinese labels on two or more lines: Chinese breaks anywhere, so by characters."""
    return "\n".join(label[i:i + width] for i in range(0, len(label), width)) or label


def _png(figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, bbox_inches="tight")
    pyplot.close(figure)
    return out.getvalue()


def progress_bars_png(*, labels: Sequence[str], percents: Sequence[Decimal | None], title: str) -> bytes:
    """Horizontal bars: one per part (or objective, unit), its percent written at the bar's end."""
    font = cjk_font()
    names = [_wrapped(name) for name in _labels(labels, font)]
    values = [float(p or 0) for p in percents]
    lines = sum(name.count("\n") + 1 for name in names)
    figure, axes = pyplot.subplots(figsize=(6.2, 0.3 * lines + 0.25 * len(values) + 1.0))
    positions = list(range(len(values)))[::-1]
    axes.barh(positions, values, color=BAR_COLOUR, height=0.6)
    axes.set_yticks(positions, names, fontproperties=font)
    axes.set_xlim(0, 110)
    axes.set_xlabel("%")
    for position, value, percent in zip(positions, values, percents):
        axes.text(value + 1.5, position, "—" if percent is None else f"{value:.1f}%", va="center", fontsize=9)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_title(title if font is not None else "", fontproperties=font)
    return _png(figure)


def lights_png(*, counts: Mapping[str, int]) -> bytes:
    """A ring of the tasks by light colour, with each colour's count."""
    font = cjk_font()
    colours = [c for c in LIGHT_COLOURS if counts.get(c)]
    figure, axes = pyplot.subplots(figsize=(4.2, 3.2))
    names = _labels([LIGHT_NAMES[c] for c in colours], font) if font is not None else colours
    axes.pie(
        [counts[c] for c in colours],
        colors=[LIGHT_COLOURS[c] for c in colours],
        labels=[f"{name} {counts[c]}" for name, c in zip(names, colours)],
        startangle=90,
        counterclock=False,
        wedgeprops={"width": 0.42},
        textprops={"fontproperties": font} if font is not None else {},
    )
    axes.set_aspect("equal")
    return _png(figure)


def trend_png(*, periods: Sequence[str], counts: Sequence[Mapping[str, int]]) -> bytes:
    """Stacked bars of the lights at the end of each period: the trend over the cycles."""
    font = cjk_font()
    names = _labels(periods, font) if font is not None else [str(i) for i in range(1, len(periods) + 1)]
    figure, axes = pyplot.subplots(figsize=(6.2, 3.0))
    bottom = [0] * len(periods)
    for colour, fill in LIGHT_COLOURS.items():
        values = [c.get(colour, 0) for c in counts]
        label = LIGHT_NAMES[colour] if font is not None else colour
        axes.bar(range(len(periods)), values, bottom=bottom, color=fill, label=label, width=0.6)
        bottom = [b + v for b, v in zip(bottom, values)]
    axes.set_xticks(range(len(periods)), names, fontproperties=font, rotation=0)
    axes.legend(prop=font, frameon=False, ncols=3, loc="upper center", bbox_to_anchor=(0.5, 1.15))
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)
