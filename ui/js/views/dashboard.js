// The dashboard: the council's cooperation at a glance, for every year or one (store::figures in
// Rust, the same figures as `taawun-cli figures`). Each chart's bars lead to the list they count.

import { api } from '../api.js';
import { h, bdi } from '../dom.js';
import { t, label, countryName, formatMoney, lang as uiLang, tn } from '../i18n.js';
import { toast, toastError } from '../widgets.js';
import { barChart } from '../charts.js';
import { mapPanel } from '../map.js';

/** A list's address with its filters (and the year asked for, where the list has one). */
function listHref(list, filters, year) {
  const params = new URLSearchParams(filters);
  if (year && list === 'agreements' && !params.has('year')) params.set('year', year);
  return `#/${list}?${params}`;
}

export async function dashboardView(params) {
  const year = params.get('year') ? Number(params.get('year')) : null;
  const f = await api.figures(year);
  const select = h('select', { id: 'figures-year', 'aria-label': t('list.year'), onchange: (e) => {
    location.hash = e.target.value ? `#/dashboard?year=${e.target.value}` : '#/dashboard';
  } }, h('option', { value: '' }, t('figures.all_years')), f.years.map((y) => h('option', { value: y, selected: y === year }, String(y))));

  const byYear = new Map();
  for (const r of f.agreements.by_year) byYear.set(r.year, (byYear.get(r.year) || 0) + r.count);
  const yearRows = [...byYear.entries()].map(([y, count]) => ({
    key: String(y ?? 'undated'),
    label: y === null ? t('figures.undated') : String(y),
    value: count,
    href: y === null ? null : listHref('agreements', { year: y }),
  }));
  const counted = (group, list, filter) => (rows) => rows.map((r) => ({
    key: r.key, label: label(group, r.key), value: r.count, href: list ? listHref(list, { [filter]: r.key }, year) : null,
  }));
  const directions = f.agreements.by_direction.map((r) => ({
    key: r.key, label: t(`direction.${r.key}`), value: r.count, href: r.key === 'unknown' ? null : listHref('agreements', { direction: r.key }, year),
  }));
  const countries = [...f.countries].sort((a, b) => b.agreements - a.agreements || b.partners - a.partners).map((c) => ({
    key: c.country, label: countryName(c.country), value: c.agreements, href: `#/partners?country=${c.country}`,
  }));
  const trained = f.activities.people_trained;
  const card = (id, value, text) => h('div', { class: 'card', id }, h('span', { class: 'card-count' }, String(value)), h('span', null, text));
  const empty = f.agreements.total === 0 && f.funds.length === 0 && f.countries.length === 0;

  return h('section', { class: 'dashboard' },
    h('div', { class: 'dashboard-head' }, h('h1', null, t('figures.title')), select),
    reportPanel(f.years, year),
    h('div', { class: 'cards' },
      card('fig-agreements', f.agreements.total, t('nav.agreements')),
      card('fig-expiring', f.agreements.expiring, t('figures.expiring_short')),
      card('fig-countries', f.countries.length, t('figures.countries')),
      card('fig-trained', trained, t('figures.people_trained_short'))),
    empty ? h('p', { class: 'muted' }, t('list.empty')) : null,
    f.countries.length ? mapPanel(f.countries) : null,
    h('div', { class: 'charts' },
      yearRows.length ? barChart({ id: 'chart-years', title: t('figures.by_year'), rows: yearRows }) : null,
      f.agreements.by_status.length ? barChart({ id: 'chart-status', title: t('figures.by_status'), rows: counted('agreement_status', 'agreements', 'status')(f.agreements.by_status) }) : null,
      f.agreements.by_kind.length ? barChart({ id: 'chart-kind', title: t('figures.by_kind'), rows: counted('agreement_kind', 'agreements', 'kind')(f.agreements.by_kind) }) : null,
      directions.length ? barChart({ id: 'chart-direction', title: t('figures.by_direction'), rows: directions }) : null,
      countries.length ? barChart({ id: 'chart-countries', title: t('figures.countries'), rows: countries }) : null,
      f.activities.by_kind.length ? barChart({ id: 'chart-activities', title: t('figures.activities'), rows: counted('activity_kind', null)(f.activities.by_kind) }) : null),
    h('section', { class: 'panel', id: 'fig-funds' }, h('h2', null, t('figures.funds')),
      f.funds.length
        ? h('table', { class: 'list' },
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('figures.fund')), h('th', { scope: 'col' }, t('nav.projects')), h('th', { scope: 'col' }, t('figures.committed_head')))),
          h('tbody', null, f.funds.map((fund) => h('tr', null,
            h('td', null, fund.fund ? bdi(fund.fund) : t('figures.no_fund')),
            h('td', null, String(fund.projects)),
            // One line per currency: amounts in different currencies are never added together.
            h('td', null, fund.committed.length ? fund.committed.map((a) => h('div', { class: 'amount' }, formatMoney(a))) : h('span', { class: 'muted' }, t('figures.nothing_committed')))))))
        : h('p', { class: 'muted' }, t('list.empty'))),
    h('section', { class: 'panel', id: 'fig-activities' }, h('h2', null, t('figures.activities')),
      h('p', null, t('figures.people_trained', { count: trained })),
      f.activities.trainings_without_count ? h('p', { class: 'muted' }, t('figures.trainings_without_count', { count: f.activities.trainings_without_count })) : null),
    h('section', { class: 'panel', id: 'fig-memberships' }, h('h2', null, t('nav.memberships')),
      h('p', null, t('figures.memberships', { count: f.memberships.count })),
      f.memberships.dues.length ? h('p', null, t('figures.dues', { amounts: f.memberships.dues.map(formatMoney).join(' · ') })) : null));
}

/**
 * The annual report of a year (taawun-cli report): the year shown, else the latest one with an
 * agreement, else this year; printed to the PDF the user names, then offered to open.
 */
function reportPanel(years, shown) {
  const thisYear = new Date().getFullYear();
  const choices = [...new Set([thisYear, ...years])].sort((a, b) => b - a);
  const chosen = shown ?? years[0] ?? thisYear;
  const year = h('select', { id: 'report-year', 'aria-label': t('figures.report_year') },
    choices.map((y) => h('option', { value: y, selected: y === chosen }, String(y))));
  // The report in the window's language (French for a French window; English has no paper).
  const preferred = uiLang() === 'fr' ? 'fr' : 'ar';
  const lang = h('select', { id: 'report-lang', 'aria-label': t('field.lang') },
    ['ar', 'fr', 'both'].map((l) => h('option', { value: l, selected: l === preferred }, t(`sheet.lang_${l}`))));
  return h('div', { class: 'print-sheet inline report-print', id: 'report-print' },
    h('span', null, t('figures.report')), year, lang,
    h('button', { type: 'button', id: 'print-report', onclick: async () => {
      try {
        const dest = await api.chooseSavePath(`${t('figures.report_file')}-${year.value}.pdf`);
        if (!dest) return;
        const pages = await api.printReport(Number(year.value), lang.value, dest);
        toast(t('toast.paper_printed', { pages: tn('page', pages) }), { label: t('action.open'), run: () => api.openPrinted().catch(toastError) });
      } catch (e) { toastError(e); }
    } }, t('figures.print_report')));
}
