"""Bar charts for compare, top-N and profile answers, as PNG bytes.

matplotlib with the Agg backend and Noto Sans CJK (the `noto-cjk-sans-otc`
package, SIL Open Font License, shipped with its licence) registered at first
use, so Chinese labels render on a fresh machine without system fonts.
"""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

FONT_FAMILY = "Noto Sans CJK SC"


def font_path() -> Path:
    import noto_cjk_sans_otc

    return Path(str(noto_cjk_sans_otc.FONT_PATH))


@lru_cache(maxsize=1)
def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    font_manager.fontManager.addfont(str(font_path()))  # registers every face of the collection
    plt.rcParams["font.family"] = FONT_FAMILY
    plt.rcParams["axes.unicode_minus"] = False
    return plt


def covered_characters() -> set[str]:
    """Characters the chart font can draw."""
    from matplotlib.ft2font import FT2Font

    return {chr(code) for code in FT2Font(str(font_path())).get_charmap()}


def render(chart: dict) -> bytes:
    """A horizontal bar chart: chart = {"title", "labels", "values", "texts"} → PNG bytes.

    Bars are labelled with "texts", the values as the report prints them (80.20, not 80.2).
    """
    plt = _pyplot()
    labels = [str(x) for x in chart["labels"]]
    values = [float(v) if v is not None else 0.0 for v in chart["values"]]
    height = 1.2 + 0.42 * len(labels)
    fig, ax = plt.subplots(figsize=(6.4, min(height, 9)), dpi=110)
    try:
        bars = ax.barh(range(len(labels)), values, color="#3b7dd8")
        ax.set_yticks(range(len(labels)), labels)
        ax.invert_yaxis()
        ax.set_title(chart.get("title", ""), fontsize=11)
        span = max(values) if values and max(values) > 0 else 1
        for bar, text in zip(bars, chart.get("texts") or [str(v) for v in chart["values"]]):
            ax.text(bar.get_width() + span * 0.01, bar.get_y() + bar.get_height() / 2, text, va="center", fontsize=9)
        ax.set_xlim(min(0, min(values, default=0)), span * 1.15)
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        return buf.getvalue()
    finally:
        plt.close(fig)
