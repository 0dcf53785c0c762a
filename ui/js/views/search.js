// The search box (Ctrl+K, or the magnifier in the top bar): results as you type over every kind
// of record, grouped by kind, the matched words highlighted; Enter or a click opens the record.
// Matching is Rust's (core/src/search.rs): hamza forms, ة/ه, ى/ي, harakat, articles, accents.

import { api } from '../api.js';
import { h, debounce } from '../dom.js';
import { t, label, ref } from '../i18n.js';
import { countrySelect, toastError } from '../widgets.js';

const KINDS = ['partner', 'agreement', 'project', 'membership', 'session', 'point', 'deliberation', 'document'];

/** The label with its matched words in <mark>, as text nodes only. */
function highlighted(label, ranges) {
  const chars = Array.from(label);
  const parts = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) parts.push(chars.slice(at, start).join(''));
    parts.push(h('mark', null, chars.slice(start, end).join('')));
    at = end;
  }
  if (at < chars.length) parts.push(chars.slice(at).join(''));
  return h('bdi', null, parts);
}

export function openSearch() {
  let dialog = document.getElementById('search-dialog');
  if (!dialog) {
    dialog = h('dialog', { id: 'search-dialog', class: 'search-dialog' });
    document.body.append(dialog);
  }
  const input = h('input', { type: 'search', id: 'search-q', autocomplete: 'off', placeholder: t('search.placeholder'), 'aria-label': t('search.title') });
  const kind = h('select', { id: 'search-kind' }, h('option', { value: '' }, t('search.all_kinds')), KINDS.map((k) => h('option', { value: k }, t(`entity.${k}`))));
  // Filters: country, status (of agreements and projects), year, funding source.
  const country = countrySelect('search-country', '', { empty: t('search.any_country'), label: t('field.country') });
  country.id = 'search-country';
  const status = h('select', { id: 'search-status', 'aria-label': t('field.status') }, h('option', { value: '' }, t('search.any_status')),
    h('optgroup', { label: t('entity.agreement') }, ref().agreement_status.map((v) => h('option', { value: v }, label('agreement_status', v)))),
    h('optgroup', { label: t('entity.project') }, ref().project_status.map((v) => h('option', { value: v }, label('project_status', v)))));
  const year = h('input', { type: 'text', id: 'search-year', inputmode: 'numeric', dir: 'ltr', size: 5, placeholder: t('field.year'), 'aria-label': t('field.year') });
  const fund = h('input', { type: 'text', id: 'search-fund', placeholder: t('field.fund'), 'aria-label': t('field.fund') });
  // Grouped by kind under headings: a region of links, not a listbox (which holds options only).
  const results = h('div', { class: 'search-results', id: 'search-results', role: 'region', 'aria-live': 'polite', 'aria-label': t('search.title') });
  let seq = 0;
  const run = debounce(async () => {
    const mine = ++seq;
    const q = input.value.trim();
    if (!q) { results.replaceChildren(); return; }
    try {
      const y = Number(year.value.trim());
      const filters = { kind: kind.value || null, country: country.value, status: status.value, year: Number.isInteger(y) && y > 0 ? y : null, fund: fund.value.trim() };
      const hits = await api.search(q, filters, 40);
      if (mine !== seq) return;
      if (!hits.length) { results.replaceChildren(h('p', { class: 'muted', id: 'search-none' }, t('search.none'))); return; }
      const groups = KINDS.map((k) => [k, hits.filter((x) => x.kind === k)]).filter(([, xs]) => xs.length);
      results.replaceChildren(...groups.map(([k, xs]) => h('section', { class: 'search-group', dataset: { kind: k } },
        h('h3', null, `${t(`entity.${k}`)} (${xs.length})`),
        h('ul', null, xs.map((x) => h('li', null, h('a', { href: `#/${x.open[0]}/${x.open[1]}`, class: 'search-hit', dataset: { kind: x.kind, id: x.id }, onclick: () => dialog.close() },
          highlighted(x.label, x.highlights), x.detail ? h('span', { class: 'muted search-detail' }, ' — ', h('bdi', null, x.detail)) : null)))))));
      results.dataset.count = String(hits.length);
    } catch (e) { toastError(e); }
  }, 80);
  input.addEventListener('input', run);
  for (const el of [kind, country, status]) el.addEventListener('change', run);
  for (const el of [year, fund]) el.addEventListener('input', run);
  input.addEventListener('keydown', (ev) => {
    // A search field clears itself on Escape and keeps the dialog open: Escape closes it here.
    if (ev.key === 'Escape') {
      ev.preventDefault();
      dialog.close();
    } else if (ev.key === 'ArrowDown') {
      const first = results.querySelector('a.search-hit');
      if (first) { ev.preventDefault(); first.focus(); }
    } else if (ev.key === 'Enter') {
      const first = results.querySelector('a.search-hit');
      if (first) { ev.preventDefault(); first.click(); location.hash = first.getAttribute('href'); }
    }
  });
  // Arrows walk the hits; Up from the first goes back to the field.
  results.addEventListener('keydown', (ev) => {
    if (ev.key !== 'ArrowDown' && ev.key !== 'ArrowUp') return;
    const hits = [...results.querySelectorAll('a.search-hit')];
    const at = hits.indexOf(document.activeElement);
    if (at < 0) return;
    ev.preventDefault();
    const next = ev.key === 'ArrowDown' ? hits[Math.min(at + 1, hits.length - 1)] : hits[at - 1];
    (next || input).focus();
  });
  kind.setAttribute('aria-label', t('field.kind'));
  dialog.replaceChildren(h('div', { class: 'search-head' }, input, kind, h('button', { type: 'button', onclick: () => dialog.close() }, t('action.close'))),
    h('div', { class: 'search-filters' }, country, status, year, fund), results);
  dialog.showModal();
  input.focus();
}
