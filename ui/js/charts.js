// Small charts drawn by Taawun itself as SVG (no library, nothing fetched): horizontal bars that
// start on the reading side (the right in Arabic, the left in French), each bar a link into the
// list it counts when there is one, and the same numbers as a table beside the drawing for
// anyone who reads tables (or a screen reader).

import { h } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';

function s(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined) el.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/**
 * A bar chart with its table. `rows`: `{ label, value, href? }`; `format` turns a value into
 * the text shown (a count by default).
 */
export function barChart({ id, title, rows, format = (v) => String(v) }) {
  const rtl = document.documentElement.dir === 'rtl';
  const width = 560;
  const labelWidth = 210;
  const valueRoom = 70;
  const rowHeight = 28;
  const barArea = width - labelWidth - valueRoom;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const height = rows.length * rowHeight + 8;
  const svg = s('svg', { class: 'chart', id, viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'group', 'aria-labelledby': `${id}-title` },
    s('title', { id: `${id}-title` }, title));
  rows.forEach((row, i) => {
    const y = 4 + i * rowHeight;
    const length = row.value > 0 ? Math.max(2, Math.round((barArea * row.value) / max)) : 0;
    // The label on the reading side, then the bar, then its number.
    const labelX = rtl ? width - 4 : 4;
    const barX = rtl ? width - labelWidth - length : labelWidth;
    const valueX = rtl ? barX - 6 : barX + length + 6;
    // The drawing inherits the page's direction, in which "start" is the reading side: every
    // text runs from its x in the reading direction.
    const anchor = 'start';
    // A long label is shortened in the drawing (whole in its tooltip and in the table).
    const short = row.label.length > 30 ? `${row.label.slice(0, 28).trimEnd()}…` : row.label;
    const group = s('g', { class: 'bar-row', 'data-key': row.key ?? row.label },
      s('title', null, `${row.label}: ${format(row.value)}`),
      s('text', { x: labelX, y: y + rowHeight / 2 + 5, 'text-anchor': anchor, class: 'bar-label' }, short),
      s('rect', { x: barX, y: y + 5, width: length, height: rowHeight - 10, rx: 3, class: 'bar' }),
      s('text', { x: valueX, y: y + rowHeight / 2 + 5, 'text-anchor': anchor, class: 'bar-value' }, format(row.value)));
    svg.append(row.href ? s('a', { href: row.href, class: 'bar-link' }, group) : group);
  });
  const table = h('table', { class: 'chart-table', id: `${id}-table` },
    h('caption', null, title),
    h('tbody', null, rows.map((row) => h('tr', null,
      h('th', { scope: 'row' }, row.href ? h('a', { href: row.href }, row.label) : row.label),
      h('td', null, format(row.value))))));
  return h('figure', { class: 'chart-box' }, h('figcaption', null, title), svg, table);
}
