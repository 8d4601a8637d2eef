"""The weekly load chart: an inline SVG bar per ISO week, the capacity as a dashed line,
weeks over capacity in red. No scripts, no external references."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup, escape

from familieplan.render import danish as d
from familieplan.render.catalog import Catalog, catalog

WIDTH, HEIGHT = 720, 200
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 10, 34
BAR, OVER, LINE, AXIS = "#1f5fa8", "#b00020", "#333333", "#555555"


def _weeks_description(weeks: list[tuple[dt.date, float]], limit: float, cat: Catalog) -> str:
    """For screen readers: how many weeks, from which to which, and how many over the limit."""
    over = sum(1 for _, h in weeks if h > limit)
    first = weeks[0][0] if weeks else None
    last = weeks[-1][0] if weeks else None
    return (cat.ngettext("{n} week", "{n} weeks", len(weeks)).format(n=len(weeks))
            + (f", {d.iso_week(first)} – {d.iso_week(last)}" if first and last else "")
            + "; " + cat.gettext("{n} over the limit").format(n=over))


def _hour_ticks(top: float, y0: float, plot_h: float) -> list[str]:
    """The hours on the y axis: every 5 hours, every 10 when the scale is tall."""
    out = []
    for tick in range(0, int(top) + 1, 5 if top <= 40 else 10):
        y = y0 - tick / top * plot_h
        out.append(f'<text x="{LEFT - 4}" y="{y + 3:.1f}" font-size="9" text-anchor="end" fill="{AXIS}">{tick}</text>')
    return out


def _week_bars(weeks: list[tuple[dt.date, float]], limit: float, top: float, y0: float, plot_h: float,
               cat: Catalog) -> list[str]:
    """A bar per week with hours (red over the limit), and the month labels under them."""
    step = (WIDTH - LEFT - RIGHT) / max(len(weeks), 1)
    out = []
    for i, (monday, hours) in enumerate(weeks):
        x = LEFT + i * step
        if hours > 0:
            h = hours / top * plot_h
            colour = OVER if hours > limit else BAR
            out.append(f'<rect x="{x + 0.5:.2f}" y="{y0 - h:.2f}" width="{max(step - 1, 0.6):.2f}" height="{h:.2f}" '
                       f'fill="{colour}"><title>{escape(d.iso_week(monday))}: {hours:g}</title></rect>')
    for x, text in month_labels(weeks, step, cat):
        out.append(f'<text x="{x:.1f}" y="{y0 + 14}" font-size="9" fill="{AXIS}">{escape(text)}</text>')
    return out


def _label_width(text: str) -> float:
    return 7 + 5 * len(text)  # keeps labels from running into each other at font size 9


def month_labels(weeks: list[tuple[dt.date, float]], step: float, cat: Catalog) -> list[tuple[float, str]]:
    """(x, text) of the month names under the weeks: the first month and every January
    always, with their year ("jan. 2027"); the other months where there is room for them
    between those."""
    candidates: list[tuple[float, str, bool]] = []
    month = None
    for i, (monday, _) in enumerate(weeks):
        if i == 0 or (monday.month != month and monday.day <= 7):
            month = monday.month
            must = i == 0 or monday.month == 1
            text = d.month_short(monday.month, cat) + (f" {monday.year}" if must else "")
            candidates.append((LEFT + i * step, text, must))
    placed = [(x, text) for x, text, must in candidates if must]
    for x, text, must in candidates:
        if must:
            continue
        right = x + _label_width(text)
        if all(right <= px or x >= px + _label_width(ptext) for px, ptext in placed):
            placed.append((x, text))
    return sorted(placed)


def _limit_line(limit: float, top: float, y0: float, plot_h: float, cat: Catalog) -> list[str]:
    """The capacity as a dashed line with its hours written above its right end."""
    y_limit = y0 - limit / top * plot_h
    return [f'<line class="limit" x1="{LEFT}" y1="{y_limit:.2f}" x2="{WIDTH - RIGHT}" y2="{y_limit:.2f}" '
            f'stroke="{LINE}" stroke-width="1.5" stroke-dasharray="5 3"/>',
            f'<text x="{WIDTH - RIGHT}" y="{y_limit - 3:.1f}" font-size="9" text-anchor="end" fill="{LINE}">'
            + str(escape(cat.gettext("{hours} hours").format(hours=cat.number(limit, 2)))) + "</text>"]


def weekly_chart(weeks: list[tuple[dt.date, float]], limit: float, label: str, lang: str) -> Markup:
    """The hours of each week (Monday, hours) as bars against the weekly limit."""
    plot_h = HEIGHT - TOP - BOTTOM
    top = max([limit * 1.25, *(h for _, h in weeks)]) or 1.0
    cat = catalog(lang)
    desc = _weeks_description(weeks, limit, cat)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="load-chart" role="img" width="{WIDTH}" height="{HEIGHT}" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" aria-label="{escape(label)}">',
           f"<title>{escape(label)}</title>", f"<desc>{escape(desc)}</desc>"]
    y0 = TOP + plot_h
    out.append(f'<line x1="{LEFT}" y1="{y0}" x2="{WIDTH - RIGHT}" y2="{y0}" stroke="{AXIS}" stroke-width="1"/>')
    out += _hour_ticks(top, y0, plot_h)
    out += _week_bars(weeks, limit, top, y0, plot_h, cat)
    out += _limit_line(limit, top, y0, plot_h, cat)
    out.append("</svg>")
    return Markup("\n".join(out))


def indicator_chart(baseline: float, latest: float, baseline_label: str, latest_label: str, label: str,
                    lang: str) -> Markup:
    """Two bars, the mean baseline and the mean latest value of one indicator, in the
    load chart's colours, with a title and a description for screen readers."""
    cat = catalog(lang)
    width, height, left, bottom, top_pad = 260, 140, 36, 24, 12
    plot_h = height - bottom - top_pad
    top = max(baseline, latest, 1.0) * 1.15
    y0 = top_pad + plot_h
    desc = f"{baseline_label}: {cat.number(baseline)}; {latest_label}: {cat.number(latest)}"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="load-chart indicator-chart" role="img" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" aria-label="{escape(label)}">',
           f"<title>{escape(label)}</title>", f"<desc>{escape(desc)}</desc>",
           f'<line x1="{left}" y1="{y0}" x2="{width - 8}" y2="{y0}" stroke="{AXIS}" stroke-width="1"/>']
    for i, (name, value, colour) in enumerate(((baseline_label, baseline, AXIS), (latest_label, latest, BAR))):
        x = left + 20 + i * 100
        h = value / top * plot_h
        out.append(f'<rect x="{x}" y="{y0 - h:.2f}" width="60" height="{h:.2f}" fill="{colour}">'
                   f"<title>{escape(name)}: {cat.number(value)}</title></rect>")
        out.append(f'<text x="{x + 30}" y="{y0 - h - 3:.1f}" font-size="10" text-anchor="middle" fill="{LINE}">'
                   f"{cat.number(value)}</text>")
        out.append(f'<text x="{x + 30}" y="{y0 + 14}" font-size="10" text-anchor="middle" fill="{AXIS}">'
                   f"{escape(name)}</text>")
    out.append("</svg>")
    return Markup("\n".join(out))
