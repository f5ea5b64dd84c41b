"""Charts for compare, top-N, profile and trend answers, as PNG bytes sized for a phone screen.

matplotlib with the Agg backend and Noto Sans CJK (the `noto-cjk-sans-otc` package, SIL Open
Font License, shipped with its licence) registered at first use, so Chinese labels render on a
fresh machine without system fonts.  A chart is a dict (all keys but labels/values optional):

    title      str; with "shown_of" the title also says what part of the list is drawn
    labels     names (bars) or editions/years (ranks), in the order of the answer's text
    values     numbers; None draws nothing for that label
    texts      the numbers as the report prints them (80.20, not 80.2), written at each bar/point
    kind       "bars" (default): horizontal bars, the first at the top
               "rates": bars of 得分率 in percent on a 0–100% axis (a profile)
               "ranks": one city's rank across editions, 1 at the top, each point labelled
               "panels": one bar chart per report, stacked, each on its own axis ("panels": [chart, …],
               each with its own title), for a comparison the text makes in several reports
    highlight  index of the bar to set apart (the city asked about in a ranked list)
    xlabel / unit   the value axis' label (总分, 指数 …); ylabel the names' axis
    shown_of   how many the full list has, when fewer are drawn (the title then says 前15名)
    computed   (ranks) one bool per point: the rank was computed, not printed (hollow point)
    note       a line under the chart; for computed ranks a default one is written
"""
from __future__ import annotations

import io
import math
from functools import lru_cache
from pathlib import Path

FONT_FAMILY = "Noto Sans CJK SC"
BLUE, ORANGE, GREY = "#3b7dd8", "#e8710a", "#666666"
WIDTH, DPI = 5.4, 160  # 864 px: sharp on a phone, and narrow enough that text stays large when scaled down
TITLE_SIZE, LABEL_SIZE, TICK_SIZE, TEXT_SIZE, NOTE_SIZE = 16, 14, 14, 13, 12
NAME_WIDTH = 8  # characters of a name on one line before it wraps
TITLE_WIDTH = 20
COMPUTED_NOTE = "空心点：报告未印名次，按得分算出"


def font_path() -> Path:
    import noto_cjk_sans_otc

    return Path(str(noto_cjk_sans_otc.FONT_PATH))


@lru_cache(maxsize=1)
def _matplotlib():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(font_path()))  # registers every face of the collection
    matplotlib.rcParams["font.family"] = FONT_FAMILY
    matplotlib.rcParams["axes.unicode_minus"] = False
    return matplotlib


def covered_characters() -> set[str]:
    """Characters the chart font can draw."""
    from matplotlib.ft2font import FT2Font

    return {chr(code) for code in FT2Font(str(font_path())).get_charmap()}


def render(chart: dict) -> bytes:
    """The chart as PNG bytes."""
    fig = figure(chart)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def figure(chart: dict):
    """The chart as a matplotlib Figure (not attached to pyplot, so nothing needs closing)."""
    _matplotlib()
    from matplotlib.figure import Figure

    kind = chart.get("kind") or "bars"
    labels = [str(x) for x in chart.get("labels") or []]
    panels = [p for p in chart.get("panels") or [] if p.get("labels")] if kind == "panels" else [chart]
    sizes = [len(p.get("labels") or []) or 1 for p in panels]
    note = chart.get("note")
    if kind == "ranks" and any(chart.get("computed") or []):
        note = "；".join(x for x in [note, COMPUTED_NOTE] if x)
    note = "\n".join(_wrap(part, 40) for part in note.split("；")) if note else None  # one note a line
    note_height = 0.24 * (note.count("\n") + 1) + 0.08 if note else 0.0
    if kind == "ranks":
        height = 4.2
    else:
        height = 1.9 + sum(_row_height([str(x) for x in p["labels"]]) * n for p, n in zip(panels, sizes))
        height += 0.9 * (len(panels) - 1)  # each further panel's title and value axis
    height = min(height + note_height, 12 + 6 * (len(panels) > 1))
    fig = Figure(figsize=(WIDTH, height), dpi=DPI)
    grid = fig.add_gridspec(len(panels) or 1, 1, height_ratios=[n + 2 for n in sizes] if panels else None)
    for i, panel in enumerate(panels or [chart]):
        ax = fig.add_subplot(grid[i, 0])
        panel_kind = (panel.get("kind") or "bars") if kind == "panels" else kind
        panel_labels = [str(x) for x in panel.get("labels") or []]
        (_ranks if panel_kind == "ranks" else _bars)(ax, panel, panel_labels, panel_kind)
        if kind == "panels":
            ax.set_title(_wrap(_title(panel, panel_labels), TITLE_WIDTH + 6), fontsize=LABEL_SIZE, loc="left")
        ax.tick_params(labelsize=TICK_SIZE)
        ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(_wrap(_title(chart, labels), TITLE_WIDTH), fontsize=TITLE_SIZE, x=0.03, ha="left")
    fig.tight_layout(rect=(0, note_height / height if note else 0, 1, 1))
    if note:
        fig.text(0.02, 0.1 / height, note, fontsize=NOTE_SIZE, color=GREY, va="bottom")
    return fig


def _title(chart: dict, labels: list[str]) -> str:
    title = str(chart.get("title") or "")
    total = chart.get("shown_of")
    if isinstance(total, int) and total > len(labels):
        title += f"（图中为前{len(labels)}名）"
    return title


def _row_height(labels: list[str]) -> float:
    return 0.62 if any(len(x) > NAME_WIDTH for x in labels) else 0.46


def _numbers(values) -> list[float | None]:
    return [float(v) if isinstance(v, (int, float)) else None for v in values]


def _bars(ax, chart: dict, labels: list[str], kind: str) -> None:
    values = _numbers(chart.get("values") or [])
    if kind == "rates":
        values = [None if v is None else min(max(v, 0.0), 100.0) for v in values]
    widths = [v or 0.0 for v in values]
    highlight = chart.get("highlight")
    colours = [ORANGE if i == highlight else BLUE for i in range(len(labels))]
    bars = ax.barh(range(len(labels)), widths, color=colours, height=0.68)
    ax.set_yticks(range(len(labels)), [_wrap(x, NAME_WIDTH) for x in labels])
    if isinstance(highlight, int) and 0 <= highlight < len(labels):
        ax.get_yticklabels()[highlight].set_color(ORANGE)
    ax.invert_yaxis()  # the first of the list at the top
    default = [f"{v:g}%" if kind == "rates" else f"{v:g}" if v is not None else "—" for v in values]
    texts = [str(t) for t in chart.get("texts") or default]
    low, high = min([0.0, *widths]), max([0.0, *widths])
    if kind == "rates":
        low, high = 0.0, 100.0
        ax.set_xticks(range(0, 101, 20))
    span = (high - low) or 1.0
    for bar, text, value in zip(bars, texts, values):
        x = bar.get_width() if value is not None and value >= 0 else 0
        ax.text(x + span * 0.015, bar.get_y() + bar.get_height() / 2, text, va="center", fontsize=TEXT_SIZE)
    ax.set_xlim(low - (span * 0.02 if low < 0 else 0), high + span * 0.2)
    default_x = "得分率（%）" if kind == "rates" else "得分"
    ax.set_xlabel(chart.get("xlabel") or chart.get("unit") or default_x, fontsize=LABEL_SIZE)
    ax.set_ylabel(chart.get("ylabel") or ("指标" if kind == "rates" else "城市/地区"), fontsize=LABEL_SIZE)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def _ranks(ax, chart: dict, labels: list[str], kind: str) -> None:
    from matplotlib.ticker import MaxNLocator

    ranks = _numbers(chart.get("values") or [])
    computed = list(chart.get("computed") or []) + [False] * len(labels)
    texts = chart.get("texts") or [f"第{v:g}名" if v is not None else "" for v in ranks]
    points = [(i, r) for i, r in enumerate(ranks) if r is not None]
    ys = [r for _, r in points]
    # NaN breaks the line: an edition without the city is a gap, not a straight line across it
    ax.plot(range(len(ranks)), [float("nan") if r is None else r for r in ranks], color=BLUE, linewidth=2, zorder=1)
    for (i, r), text in zip(points, [texts[i] for i, _ in points]):
        hollow = bool(computed[i])
        ax.scatter([i], [r], s=70, zorder=2, color="white" if hollow else BLUE, edgecolors=BLUE, linewidths=2)
        near = [ranks[j] for j in (i - 1, i + 1) if 0 <= j < len(ranks) and ranks[j] is not None]
        below = bool(near) and all(r > n for n in near)  # lower than its neighbours: label under it, off the line
        ax.annotate(_wrap(str(text), 5), (i, r), xytext=(0, -12 if below else 10), textcoords="offset points",
                    ha="center", va="top" if below else "bottom", fontsize=TEXT_SIZE)
    worst = max(ys, default=1.0)
    pad = max(0.8, (worst - 1) * 0.2)
    ax.set_ylim(worst + pad, 1 - pad)  # bottom > top: rank 1 at the top
    if worst <= 20:  # a top-ten history: every place, or every other one counted from 1 (1, 3, 5 …)
        ticks = list(range(1, int(worst) + 1, max(1, math.ceil((worst - 1) / 5))))
    else:
        ticks = [t for t in MaxNLocator(nbins=5, integer=True).tick_values(1, worst) if 1 < t <= worst]
        if ticks and ticks[0] - 1 < (worst - 1) * 0.15:
            ticks = ticks[1:]  # 1 and 10 on top of each other: keep 1, the top of any ranking
        ticks = [1, *ticks]
    ax.set_yticks(ticks)
    ax.set_xticks(range(len(labels)), labels)
    ax.set_xlim(-0.5, len(labels) - 0.5)
    ax.set_xlabel(chart.get("xlabel") or "年份", fontsize=LABEL_SIZE)
    ax.set_ylabel(chart.get("ylabel") or "排名", fontsize=LABEL_SIZE)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def _wrap(text: str, width: int) -> str:
    """Break a long name or title onto lines of `width` characters, preferring spaces and （."""
    lines, rest = [], text
    while len(rest) > width:  # a line may run two characters over to break at a natural point
        cut = max(rest.rfind(" ", 1, width + 3), rest.rfind("（", 1, width + 3), rest.rfind("·", 1, width + 3))
        cut = cut if cut > width // 3 else width
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return "\n".join([*lines, rest])
