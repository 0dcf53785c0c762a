// The partners' map: the world (or Africa and Europe) drawn offline from Natural Earth's shapes
// shipped in ui/data/world-map.js (tools/world-map.mjs), each partner country shaded and marked
// with its number of partners, and leading to the partners of that country.

import { h } from './dom.js';
import { t, tn, countryName } from './i18n.js';
import { WORLD } from '../data/world-map.js';

const NS = 'http://www.w3.org/2000/svg';
const VIEWS = {
  world: `0 0 ${WORLD.width} ${WORLD.height}`,
  // Longitudes 26° W to 62° E, latitudes 37° S to 72° N: where most of the council's partners are.
  africa_europe: '430 28 232 344',
};

function s(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) el.setAttribute(key, String(value));
  for (const child of children) if (child !== null && child !== undefined) el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return el;
}

/** `countries`: the figures' countries (`{ country, partners, agreements }`). */
export function partnersMap(countries, view = 'world') {
  const counted = new Map(countries.filter((c) => c.partners > 0).map((c) => [c.country, c]));
  const most = Math.max(1, ...[...counted.values()].map((c) => c.partners));
  const svg = s('svg', { class: `map ${view}`, id: 'partners-map', viewBox: VIEWS[view], role: 'group', 'aria-labelledby': 'partners-map-title', preserveAspectRatio: 'xMidYMid meet' },
    s('title', { id: 'partners-map-title' }, t('figures.map')));
  const land = s('g', { class: 'land' });
  const marked = s('g', { class: 'marked' });
  for (const [code, d] of Object.entries(WORLD.countries)) {
    if (!counted.has(code)) land.append(s('path', { d, 'data-country': code }));
  }
  // Partner countries: shaded by how many partners, a marker with the number, a link to them.
  for (const [code, c] of counted) {
    const tip = t('figures.country_line', { country: countryName(code), partners: tn('partner', c.partners), agreements: tn('agreement', c.agreements) });
    const link = s('a', { href: `#/partners?country=${code}`, class: 'partner-country', 'data-country': code }, s('title', null, tip));
    if (WORLD.countries[code]) link.append(s('path', { d: WORLD.countries[code], 'fill-opacity': (0.35 + (0.65 * c.partners) / most).toFixed(2) }));
    const centre = WORLD.centres[code];
    if (centre) {
      const [x, y] = centre;
      const r = view === 'world' ? 7 : 5;
      link.append(s('circle', { cx: x, cy: y, r }), s('text', { x, y: y + r * 0.45, 'text-anchor': 'middle', 'font-size': r * 1.3 }, String(c.partners)));
    }
    marked.append(link);
  }
  svg.append(land, marked);
  return svg;
}

/** The map with its view switch (world / Africa and Europe) and its countries as a table. */
export function mapPanel(countries) {
  const holder = h('div', { class: 'map-holder' }, partnersMap(countries));
  const switcher = h('select', { id: 'map-view', 'aria-label': t('figures.map_view'), onchange: (e) => holder.replaceChildren(partnersMap(countries, e.target.value)) },
    Object.keys(VIEWS).map((v) => h('option', { value: v }, t(`figures.map_${v}`))));
  const missing = countries.filter((c) => c.partners > 0 && !WORLD.centres[c.country]);
  return h('section', { class: 'panel map-panel', id: 'fig-map' },
    h('div', { class: 'dashboard-head' }, h('h2', null, t('figures.map')), switcher),
    holder,
    missing.length ? h('p', { class: 'muted' }, t('figures.map_missing', { countries: missing.map((c) => countryName(c.country)).join('، ') })) : null);
}
