// The four lists: a sorted, filtered page from Rust (fast at 100,000 rows because paging and
// filtering happen in SQLite), with the filters kept while the window is open.

import { api } from '../api.js';
import { h, bdi, debounce } from '../dom.js';
import { t, lang, label, ref, formatDate, formatMoney, countryName, displayName, listSeparator, tn, labelled } from '../i18n.js';
import { choice, countrySelect, toast, toastError } from '../widgets.js';
import { chooseImportFile, openImport } from './import.js';
import { setDropTarget } from './details.js';

const PAGE = 100;

/** Per kind: its filters, sort keys and columns. */
const LISTS = {
  partner: {
    nav: 'partners',
    filters: ['q', 'kind', 'country'],
    kindGroup: 'partner_kind',
    sorts: [['name_latin', 'field.name_latin'], ['name_ar', 'field.name_ar'], ['country', 'field.country'], ['updated', 'detail.updated']],
    columns: [
      ['field.name', (r) => h('a', { href: `#/partner/${r.id}` }, bdi(displayName(r.name_ar, r.name_latin)))],
      ['field.kind', (r) => label('partner_kind', r.kind)],
      ['field.country', (r) => countryName(r.country)],
      ['field.city', (r) => bdi(r.city)],
      ['nav.agreements', (r) => String(r.agreements)],
    ],
  },
  agreement: {
    nav: 'agreements',
    filters: ['q', 'kind', 'status', 'direction', 'country', 'year', 'to_complete'],
    kindGroup: 'agreement_kind',
    statusGroup: 'agreement_status',
    sorts: [['signed_on', 'field.signed_on'], ['title', 'field.title'], ['status', 'field.status'], ['expires', 'detail.expires_on'], ['updated', 'detail.updated']],
    columns: [
      ['field.title', (r) => [h('a', { href: `#/agreement/${r.id}` }, bdi(displayName(r.title_ar, r.title_fr))),
        r.to_complete ? [' ', h('span', { class: 'badge to-complete' }, t('list.to_complete_badge'))] : null]],
      ['field.parties', (r) => r.parties.map((p, i) => [i ? listSeparator() : '', bdi(displayName(p.name_ar, p.name_latin))])],
      ['field.kind', (r) => label('agreement_kind', r.kind)],
      ['field.status', (r) => h('span', { class: `status status-${r.status}` }, label('agreement_status', r.status))],
      ['field.signed_on', (r) => formatDate(r.signed_on)],
    ],
  },
  project: {
    nav: 'projects',
    filters: ['q', 'status', 'country', 'year', 'to_complete'],
    statusGroup: 'project_status',
    sorts: [['start_on', 'field.start_on'], ['title', 'field.title'], ['status', 'field.status'], ['updated', 'detail.updated']],
    columns: [
      ['field.title', (r) => h('a', { href: `#/project/${r.id}` }, bdi(displayName(r.title_ar, r.title_fr)))],
      ['field.agreement_id', (r) => h('a', { href: `#/agreement/${r.agreement_id}` }, bdi(displayName(r.agreement_title_ar, r.agreement_title_fr)))],
      ['field.fund_edition', (r) => r.fund_edition],
      ['field.status', (r) => label('project_status', r.status)],
      ['detail.totals', (r) => r.totals.map(formatMoney).join(' + ')],
    ],
  },
  membership: {
    nav: 'memberships',
    filters: ['q', 'country', 'year', 'to_complete'],
    sorts: [['since', 'field.since'], ['name', 'field.name_latin'], ['updated', 'detail.updated']],
    columns: [
      ['detail.organisation', (r) => h('a', { href: `#/membership/${r.id}` }, bdi(displayName(r.partner_name_ar, r.partner_name_latin)))],
      ['field.country', (r) => countryName(r.country)],
      ['field.since', (r) => formatDate(r.since)],
      ['field.dues_amount', (r) => (r.dues ? formatMoney(r.dues) : '')],
    ],
  },
};

export const LIST_KINDS = Object.fromEntries(Object.entries(LISTS).map(([kind, c]) => [c.nav, kind]));

/** Filters survive moving between views while the window is open. */
const state = {};

export async function listView(kind, params = new URLSearchParams()) {
  const conf = LISTS[kind];
  // Partners sort by the name the list shows: Arabic first in Arabic, Latin first otherwise;
  // agreements and projects by the title shown (the French one outside Arabic).
  const firstSort = kind === 'partner' && lang() === 'ar' ? 'name_ar' : conf.sorts[0][0];
  const sorts = conf.sorts.map(([v, key]) => [v === 'title' && lang() !== 'ar' ? 'title_fr' : v, key]);
  const fresh = () => ({ q: '', kind: '', status: '', direction: '', country: '', year: null, to_complete: false, sort: firstSort, desc: kind === 'agreement', offset: 0, limit: PAGE });
  // Arriving with filters in the address (a chart's bar, a country): those filters, and only them.
  const asked = conf.filters.filter((f) => params.has(f));
  if (asked.length) {
    state[kind] = fresh();
    for (const f of asked) state[kind][f] = f === 'to_complete' ? params.get(f) === '1' : params.get(f);
  }
  const query = state[kind] || (state[kind] = fresh());
  const table = h('div', { class: 'table-wrap' });
  const counter = h('span', { class: 'count', id: 'list-count' });
  const prev = h('button', { type: 'button', id: 'page-prev', onclick: () => { query.offset = Math.max(0, query.offset - PAGE); load(); } }, t('action.prev'));
  const next = h('button', { type: 'button', id: 'page-next', onclick: () => { query.offset += PAGE; load(); } }, t('action.next'));

  // The page is drawn as soon as it arrives; the total follows (counting can take longer).
  let loadSeq = 0;
  async function load() {
    const seq = ++loadSeq;
    const q = { ...query, year: query.year ? Number(query.year) : null };
    const page = await api.list(kind, q);
    if (seq !== loadSeq) return;
    const to = page.offset + page.items.length;
    counter.textContent = t('list.count', { from: page.items.length ? page.offset + 1 : 0, to, total: '…' });
    prev.disabled = page.offset === 0;
    next.disabled = !page.has_more;
    if (!page.items.length) {
      table.replaceChildren(h('p', { class: 'muted empty' }, t('list.empty')));
    } else {
      table.replaceChildren(h('table', { class: 'list', dataset: { kind } },
        h('thead', null, h('tr', null, conf.columns.map(([key]) => h('th', { scope: 'col' }, t(key))))),
        h('tbody', null, page.items.map((r) => h('tr', { dataset: { id: r.id }, class: r.is_sample ? 'sample' : '' }, conf.columns.map(([, cell]) => h('td', null, cell(r))))))));
    }
    const total = await api.count(kind, q);
    if (seq !== loadSeq) return;
    counter.textContent = t('list.count', { from: page.items.length ? page.offset + 1 : 0, to, total });
  }
  const reload = () => { query.offset = 0; load(); };

  const controls = [];
  for (const f of conf.filters) {
    let el;
    if (f === 'q') {
      el = h('input', { type: 'search', id: 'filter-q', class: 'filter-q', value: query.q, placeholder: t('list.search'), 'aria-label': t('field.q') });
      el.addEventListener('input', debounce(() => { query.q = el.value; reload(); }, 150));
    } else if (f === 'kind') {
      el = choice('kind', conf.kindGroup, ref()[conf.kindGroup], query.kind, { empty: labelled(t('field.kind'), t('list.any')), label: t('field.kind') });
    } else if (f === 'status') {
      el = choice('status', conf.statusGroup, ref()[conf.statusGroup], query.status, { empty: labelled(t('field.status'), t('list.any')), label: t('field.status') });
    } else if (f === 'direction') {
      el = choice('direction', 'direction', ['south_south', 'south_north', 'triangular', 'national'], query.direction, { empty: labelled(t('detail.direction'), t('list.any')), label: t('detail.direction') });
    } else if (f === 'country') {
      el = countrySelect('country', query.country, { empty: labelled(t('field.country'), t('list.any')), label: t('field.country') });
    } else if (f === 'year') {
      el = h('input', { type: 'number', min: 1900, max: 2200, value: query.year ?? '', placeholder: t('list.year'), class: 'filter-year', 'aria-label': t('list.year') });
    } else if (f === 'to_complete') {
      // Records imported as they are, with fields to complete (the home view counts them).
      const box = h('input', { type: 'checkbox', id: 'filter-to_complete', checked: query.to_complete });
      box.addEventListener('change', () => { query.to_complete = box.checked; reload(); });
      controls.push(h('label', { class: 'inline' }, box, t('list.to_complete')));
      continue;
    }
    el.id = el.id || `filter-${f}`;
    if (f !== 'q') el.addEventListener('change', () => { query[f] = el.value || (f === 'year' ? null : ''); reload(); });
    controls.push(el);
  }
  const sort = h('select', { id: 'sort', 'aria-label': t('list.sort') }, sorts.map(([v, key]) => h('option', { value: v, selected: v === query.sort }, labelled(t('list.sort'), t(key)))));
  sort.addEventListener('change', () => { query.sort = sort.value; reload(); });
  const desc = h('input', { type: 'checkbox', id: 'sort-desc', checked: query.desc });
  desc.addEventListener('change', () => { query.desc = desc.checked; reload(); });
  // Filters that came in the address go with it (or the next drawing would bring them back).
  const clear = h('button', { type: 'button', id: 'clear-filters', class: 'link', onclick: () => {
    delete state[kind];
    if (location.hash.includes('?')) location.hash = `#/${conf.nav}`;
    else window.dispatchEvent(new HashChangeEvent('hashchange'));
  } }, t('action.clear_filters'));

  // The list as a spreadsheet, with the filter in force.
  const format = h('select', { id: 'export-format', 'aria-label': t('field.format') }, ['xlsx', 'csv'].map((f) => h('option', { value: f }, f.toUpperCase())));
  const exportButton = h('button', { type: 'button', id: 'export-list', onclick: async () => {
    try {
      const dest = await api.chooseSavePath(`${t(`nav.${conf.nav}`)}.${format.value}`);
      if (!dest) return;
      const rows = await api.exportList(kind, { ...query, year: query.year ? Number(query.year) : null, offset: 0 }, format.value, dest);
      toast(t('toast.exported_rows', { rows: tn('row', rows) }));
    } catch (e) { toastError(e); }
  } }, t('action.export_list'));
  const importButton = h('button', { type: 'button', id: 'import-list', title: t('import.drop_hint'), onclick: () => chooseImportFile(kind) }, t('action.import_list'));
  // A spreadsheet dropped on a list opens its import.
  setDropTarget((paths) => openImport(kind, paths[0]));

  await load();
  return h('section', { class: 'list-view' },
    h('div', { class: 'view-head' }, h('h1', null, t(`nav.${conf.nav}`)),
      h('a', { class: 'button primary', href: `#/${kind}/new`, id: 'new-record', title: 'Ctrl+N' }, t(`new.${kind}`))),
    h('div', { class: 'filters', role: 'search' }, controls, sort, h('label', { class: 'inline' }, desc, t('list.desc')), clear, h('span', { class: 'inline export' }, format, exportButton, importButton)),
    table,
    h('div', { class: 'pager' }, prev, counter, next));
}
