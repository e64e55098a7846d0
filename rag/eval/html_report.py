"""report.html: one self-contained page (no request to any other host) with the headline, the
categories, the comparison, and every item with its evidence and citations marked in the
article text."""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path

from rag.eval.report import fmt

_STYLE = """
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1rem;color:#1a1a1a}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #bbb;padding:.2rem .5rem}
th{background:#eee;text-align:left}td.n{text-align:right}
.filters{position:sticky;top:0;background:#fff;padding:.5rem 0;border-bottom:1px solid #bbb}
details{border:1px solid #ccc;border-radius:4px;margin:.3rem 0;padding:.3rem .6rem}
summary{cursor:pointer}.ok{color:#0a5d00;font-weight:bold}.bad{color:#a30000;font-weight:bold}
.text{white-space:pre-wrap;max-height:18rem;overflow:auto;border:1px solid #ddd;padding:.5rem;
background:#fafafa}mark.evidence{background:#ffe58a}mark.cited{background:#b6e3ff}
mark.evidence.cited{background:#9be39b}.legend mark{padding:0 .3rem}dt{font-weight:bold}
"""
_SCRIPT = """
const SOURCES = JSON.parse(document.getElementById('sources').textContent);
function marked(source, spans) {
  const text = SOURCES[source] || '';
  const cuts = new Set([0, text.length]);
  spans.forEach(s => { cuts.add(s.start); cuts.add(s.end); });
  const points = [...cuts].sort((a, b) => a - b);
  const box = document.createElement('div'); box.className = 'text';
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const kinds = [...new Set(spans.filter(s => s.start <= a && b <= s.end).map(s => s.kind))];
    const piece = document.createTextNode(text.slice(a, b));
    if (!kinds.length) { box.appendChild(piece); continue; }
    const mark = document.createElement('mark'); mark.className = kinds.join(' ');
    mark.appendChild(piece); box.appendChild(mark);
  }
  return box;
}
document.querySelectorAll('details.item').forEach(d => d.addEventListener('toggle', () => {
  const view = d.querySelector('.article');
  if (!d.open || view.childElementCount) return;
  const spans = JSON.parse(d.dataset.spans);
  [...new Set(spans.map(s => s.source))].forEach(source => {
    const title = document.createElement('p'); title.textContent = source;
    view.appendChild(title);
    const box = marked(source, spans.filter(s => s.source === source));
    view.appendChild(box);
    const first = box.querySelector('mark');
    if (first) box.scrollTop = first.offsetTop - box.offsetTop - 20;
  });
  if (!spans.length) view.textContent = 'No evidence and no citation for this item.';
}));
function filter() {
  const category = document.getElementById('category').value;
  const outcome = document.getElementById('outcome').value;
  const declined = document.getElementById('declined').value;
  let shown = 0;
  document.querySelectorAll('details.item').forEach(d => {
    const ok = (!category || d.dataset.category === category)
      && (!outcome || d.dataset.outcome === outcome)
      && (!declined || d.dataset.declined === declined);
    d.hidden = !ok; shown += ok;
  });
  document.getElementById('shown').textContent = shown;
}
document.querySelectorAll('.filters select').forEach(s => s.addEventListener('change', filter));
filter();
"""


def write_html_report(
    path: Path,
    summary: dict,
    rows: list[dict],
    sources: dict[str, str],
    comparison: dict | None = None,
) -> None:
    """Write the page; the plots beside it are embedded, the article text once."""
    system = summary["system"]
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width,initial-scale=1'>",
        f"<title>Evaluation: {_e(summary['dataset'])}</title><style>{_STYLE}</style></head><body>",
        "<h1>Evaluation report</h1>",
        f"<p>Test set <code>{_e(summary['dataset'])}</code>, {system['headline']['items']} "
        f"items; model <code>{_e(summary['backend'])}</code>; "
        f"started {_e(summary['started'])}.</p>",
        _headline(system),
        _comparison(comparison) if comparison else "",
        _categories(system),
        _image(path.parent / "by_category.png", "Correct answers by category"),
        _items(rows),
        "<script type='application/json' id='sources'>",
        # Every "<" is escaped so that no article text can end or start a script element.
        json.dumps(sources, ensure_ascii=False).replace("<", "\\u003c"),
        f"</script><script>{_SCRIPT}</script></body></html>",
    ]
    path.write_text("\n".join(parts), encoding="utf-8")


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _share(value: object) -> str:
    return _e(fmt(value))


def _headline(system: dict) -> str:
    intervals = system.get("headline_95_intervals", {})
    lines = ["<h2>Headline</h2><table><tr><th>metric</th><th>value</th><th>95% interval</th></tr>"]
    for key, value in system["headline"].items():
        interval = intervals.get(key)
        shown = f"{_share(interval[0])}–{_share(interval[1])}" if interval else "–"
        lines.append(
            f"<tr><td>{_e(key)}</td><td class='n'>{_share(value)}</td>"
            f"<td class='n'>{shown}</td></tr>"
        )
    return "".join(lines) + "</table>"


def _comparison(comparison: dict) -> str:
    lines = [
        f"<h2>Compared with <code>{_e(comparison['before'])}</code></h2>",
        f"<p>{comparison['paired_items']} items in both runs.</p>",
    ]
    for key, label in (("broke", "Broke (right before, wrong now)"), ("fixed", "Fixed")):
        items = comparison[key]
        lines.append(f"<h3>{label}: {len(items)}</h3><ul>")
        lines += [
            f"<li><a href='#{_e(i['id'])}'>{_e(i['id'])}</a> {_e(i['question'])}</li>"
            for i in items
        ]
        lines.append("</ul>")
    lines.append(
        "<table><tr><th>metric</th><th>before</th><th>after</th><th>change</th>"
        "<th>paired 95% interval of the change</th></tr>"
    )
    for key, m in comparison["metrics"].items():
        interval = m["change_95_interval"]
        shown = f"{interval[0]:+.3f} to {interval[1]:+.3f}" if interval else "–"
        change = "–" if m["change"] is None else f"{m['change']:+.3f}"
        mark = " *" if m["beyond_noise"] else ""
        lines.append(
            f"<tr><td>{_e(key)}</td><td class='n'>{_share(m['before'])}</td>"
            f"<td class='n'>{_share(m['after'])}</td><td class='n'>{change}{mark}</td>"
            f"<td class='n'>{shown}</td></tr>"
        )
    return "".join(lines) + "</table><p>* the interval leaves out zero.</p>"


def _categories(system: dict) -> str:
    lines = [
        "<h2>By category</h2><table><tr><th>category</th><th>items</th><th>correct</th>"
        "<th>citation precision</th><th>not answerable, declined</th>"
        "<th>answerable, declined</th></tr>"
    ]
    for category, m in system["by_category"].items():
        lines.append(
            f"<tr><td>{_e(category)}</td><td class='n'>{m['items']}</td>"
            f"<td class='n'>{_share(m['correct'])}</td>"
            f"<td class='n'>{_share(m['citation_precision'])}</td>"
            f"<td class='n'>{_share(m['abstain_recall'])}</td>"
            f"<td class='n'>{_share(m['false_abstention_rate'])}</td></tr>"
        )
    return "".join(lines) + "</table>"


def _image(png: Path, alt: str) -> str:
    if not png.exists():
        return ""
    data = base64.b64encode(png.read_bytes()).decode("ascii")
    return f"<img alt='{_e(alt)}' style='max-width:100%' src='data:image/png;base64,{data}'>"


def _items(rows: list[dict]) -> str:
    categories = sorted({r["category"] for r in rows})
    options = "".join(f"<option>{_e(c)}</option>" for c in categories)
    lines = [
        "<h2>Every item</h2><div class='filters'>",
        f"<label>Category <select id='category'><option value=''>all</option>{options}"
        "</select></label> ",
        "<label>Outcome <select id='outcome'><option value=''>all</option>"
        "<option value='right'>right</option><option value='wrong'>wrong</option>"
        "</select></label> ",
        "<label>Declined <select id='declined'><option value=''>all</option>"
        "<option value='yes'>declined</option><option value='no'>answered</option>"
        "</select></label> ",
        "<span><span id='shown'></span> shown</span>",
        "<p class='legend'><mark class='evidence'>evidence</mark> "
        "<mark class='cited'>cited</mark> <mark class='evidence cited'>both</mark></p></div>",
    ]
    lines += [_item(r) for r in rows]
    return "\n".join(lines)


def _item(row: dict) -> str:
    spans = [
        {"source": s, "start": a, "end": b, "kind": "evidence"}
        for s, a, b in row.get("evidence_spans", [])
    ] + [
        {"source": c["source"], "start": c["start"], "end": c["end"], "kind": "cited"}
        for c in row.get("citations", [])
    ]
    outcome = "right" if row["correct"] else "wrong"
    expected = row["reference_answer"] if row["answerable"] else "a decline"
    probability = row.get("decision_probability")
    decision = "by rule" if probability is None else f"p(answer) = {probability:.2f}"
    return (
        f"<details class='item' id='{_e(row['id'])}' data-category='{_e(row['category'])}' "
        f"data-outcome='{outcome}' data-declined='{'yes' if row['abstained'] else 'no'}' "
        f"data-spans='{_e(json.dumps(spans))}'>"
        f"<summary><span class='{'ok' if row['correct'] else 'bad'}'>{outcome}</span> "
        f"{_e(row['id'])} ({_e(row['category'])}): {_e(row['question'])}</summary><dl>"
        f"<dt>Answer ({_e(row.get('mode') or '')}; {decision})</dt><dd>{_e(row['answer'])}</dd>"
        f"<dt>Expected</dt><dd>{_e(expected)}</dd></dl><div class='article'></div></details>"
    )
