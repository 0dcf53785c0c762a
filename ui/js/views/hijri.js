// Morocco's Hijri months in the window: what each month's first day rests on (the Ministry's
// announcement with its press source, the crescent forecast, or the officer's entry) and the
// officer's one action when the Ministry announces a month: it starts on the day Taawun has, a
// day later or a day earlier. Every deadline and holiday resting on the month follows (core
// `Store::set_hijri_correction`). Used by the settings and by the deadlines of the due lists.

import { api } from '../api.js';
import { h, bdi } from '../dom.js';
import { t, formatDate } from '../i18n.js';
import { toast, toastError } from '../widgets.js';

/** "Dhu al-Hijja 1448 AH begins on 8 May 2027". */
export function monthLine(m) {
  return t('calendar.month_line', { month: t(`hijri_month.${m.month}`), year: m.year, date: formatDate(m.starts) });
}

/** The buttons that record the Ministry's announcement of month `m`, then call `done`. */
export function monthActions(m, done) {
  const act = (shift, key) => h('button', { type: 'button', class: 'link', dataset: { shift, hijri: `${m.year}-${m.month}` }, onclick: async () => {
    try {
      await api.recordHijriMonth(m.year, m.month, shift);
      toast(t('calendar.recorded', { month: t(`hijri_month.${m.month}`), year: m.year }));
      await done();
    } catch (e) { toastError(e); }
  } }, t(key));
  return h('span', { class: 'hijri-actions', role: 'group', 'aria-label': t('calendar.announce_prompt') },
    act(0, 'calendar.confirm'), act(1, 'calendar.later'), act(-1, 'calendar.earlier'));
}

/** Under a deadline: the forecast month it rests on and the action to record its announcement. */
export function forecastControls(forecast, done) {
  return forecast.map((f) => h('div', { class: 'due-forecast' },
    `${monthLine(f.month)} — ${t('calendar.announce_prompt')} `, monthActions(f.month, done)));
}

/** The settings' list of the Hijri month under way and the twelve after it. */
export async function hijriMonthsSection() {
  const body = h('tbody');
  const fill = async () => {
    const months = await api.hijriMonths();
    body.replaceChildren(...months.map((m) => h('tr', { dataset: { hijri: `${m.year}-${m.month}`, basis: m.basis } },
      h('th', { scope: 'row' }, `${t(`hijri_month.${m.month}`)} ${m.year}`),
      h('td', null, formatDate(m.starts)),
      h('td', null, t(`calendar.basis.${m.basis}`), m.source ? [' — ', h('span', { class: 'source', dir: 'ltr', title: m.source }, bdi(new URL(m.source).host))] : null),
      h('td', null, monthActions(m, fill), m.basis === 'officer' ? h('button', { type: 'button', class: 'link', dataset: { forget: `${m.year}-${m.month}` }, onclick: async () => {
        try { await api.forgetHijriMonth(m.year, m.month); await fill(); } catch (e) { toastError(e); }
      } }, t('calendar.forget')) : null))));
  };
  await fill();
  return h('section', { class: 'panel', id: 'hijri-months' },
    h('h2', null, t('calendar.months_title')),
    h('p', { class: 'muted' }, t('calendar.months_intro')),
    h('table', { class: 'hijri-months' },
      h('thead', null, h('tr', null, ...['calendar.col_month', 'calendar.col_starts', 'calendar.col_basis', 'calendar.col_action'].map((k) => h('th', { scope: 'col' }, t(k))))),
      body));
}
