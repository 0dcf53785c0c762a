// The session form: kind, month and who asked for it (arts. 34, 37, 38 of Organic Law 112-14),
// the sittings with their convocation round and the members present at the opening (art. 43),
// and the legal steps with their dates (arts. 35, 36, 39, 40, 68, 217), the officer's words for
// the minutes. Every field the record has is sent back, so an edit never drops one.

import { api } from '../api.js';
import { h } from '../dom.js';
import { t, ref, formatDate } from '../i18n.js';
import { field, input, textarea, choice, showError, clearErrors, numberErrors, toast, trackEdits } from '../widgets.js';
import { sessionLabel } from './sessions.js';

const dmy = (iso) => (iso ? iso.split('-').reverse().join('/') : '');
const cite = (n) => t('law.cite', { n });

function sittingRow(s) {
  const round = h('select', { name: 'round' }, [1, 2, 3].map((n) => h('option', { value: n, selected: n === (s.round || 1) }, t(`paper.round.${n}`))));
  const row = h('div', { class: 'grid row-group sitting' },
    field('held_on', input('held_on', dmy(s.held_on) || s.held_on, { placeholder: t('form.date_hint'), class: 'date' }), { required: true }),
    field('time', input('time', s.time, { placeholder: '10:00', dir: 'ltr' })),
    field('place', input('place', s.place)),
    field('round', round),
    field('present', input('present', s.present ?? '', { inputmode: 'numeric', dir: 'ltr' }), { hint: cite(43) }),
    h('div', { class: 'field' }, h('label', null, '\u00a0'), h('button', { type: 'button', class: 'link danger', onclick: () => row.remove() }, t('action.remove'))));
  return row;
}

const STEPS = [
  ['requested_on', 37], ['agenda_sent_on', 39], ['agenda_received_on', 40], ['convocation_on', 36],
  ['attendance_sent_on', 68], ['minutes_to_members_on', 217], ['decisions_posted_on', 217],
];

export async function sessionForm(id) {
  const existing = id ? (await api.view('session', id)).record : null;
  // A new session is the next ordinary session from today, on its lawful opening day (art. 34).
  const next = existing ? null : await api.ordinaryOpening(null, null);
  const s = existing || {
    kind: 'ordinary', year: Number(next.slice(0, 4)), month: Number(next.slice(5, 7)), number: null, sittings: [],
    convocation_on: '', members_in_office: null, notes: '', requested_by: 'president', requested_on: '', agenda_sent_on: '', agenda_received_on: '',
    extension_days: null, attendance_sent_on: '', minutes_to_members_on: '', decisions_posted_on: '', minutes_opening: '', minutes_closing: '',
  };
  const sittings = h('div', { class: 'sittings' }, s.sittings.map(sittingRow));
  const month = h('select', { name: 'month' }, Array.from({ length: 12 }, (_, i) => h('option', { value: i + 1, selected: i + 1 === s.month }, t(`month.${i + 1}`))));
  const proposed = h('small', { class: 'hint', id: 'proposed-date' });
  const kind = choice('kind', 'session_kind', ref().session_kind, s.kind);
  const requestedBy = choice('requested_by', 'requested_by', ref().requested_by, s.requested_by || 'president');
  const year = input('year', s.year, { inputmode: 'numeric', dir: 'ltr' });
  // The opening day as law.rs computes it with the council's days off; a later answer for an
  // earlier choice is dropped.
  let asked = 0;
  const showProposed = async () => {
    const y = Number(year.value);
    const m = Number(month.value);
    requestedBy.closest('.field')?.toggleAttribute('hidden', kind.value === 'ordinary');
    const ask = ++asked;
    const iso = kind.value === 'ordinary' && y >= 2000 && y <= 2100 ? await api.ordinaryOpening(y, m).catch(() => null) : null;
    if (ask !== asked) return;
    proposed.textContent = iso ? `${t('session.proposed', { date: formatDate(iso) })} — ${cite(34)}` : '';
    if (iso) proposed.dataset.iso = iso; else delete proposed.dataset.iso;
  };
  const steps = STEPS.map(([name, article]) => field(name, input(name, dmy(s[name]), { placeholder: t('form.date_hint'), class: 'date' }), { hint: cite(article) }));
  const form = h('form', { class: 'record-form', id: 'session-form', novalidate: true },
    h('div', { class: 'form-error', hidden: true, role: 'alert' }),
    h('div', { class: 'grid' },
      field('kind', kind),
      field('year', year, { required: true }),
      field('month', month, { required: true, hint: '' }),
      field('number', input('number', s.number ?? '', { inputmode: 'numeric', dir: 'ltr' })),
      field('requested_by', requestedBy, { hint: `${cite(37)}, ${cite(38)}` }),
      field('members_in_office', input('members_in_office', s.members_in_office ?? '', { inputmode: 'numeric', dir: 'ltr' }), { hint: cite(43) }),
      field('extension_days', input('extension_days', s.extension_days ?? '', { inputmode: 'numeric', dir: 'ltr' }), { hint: cite(35) }),
      field('notes', textarea('notes', s.notes), { wide: true })),
    h('fieldset', { class: 'wide' }, h('legend', null, t('field.sittings')), proposed, sittings,
      h('button', { type: 'button', id: 'add-sitting', onclick: () => {
        const row = sittingRow({ held_on: sittings.children.length === 0 && proposed.dataset.iso ? dmy(proposed.dataset.iso) : '', time: '', place: '', round: 1 });
        sittings.append(row);
        row.querySelector('input').focus();
      } }, t('action.add_sitting'))),
    h('fieldset', { class: 'wide', id: 'session-steps' }, h('legend', null, t('session.steps')), h('div', { class: 'grid' }, steps)),
    h('fieldset', { class: 'wide' }, h('legend', null, t('paper.minutes.title')),
      field('minutes_opening', textarea('minutes_opening', s.minutes_opening, { dir: 'auto' }), { wide: true }),
      field('minutes_closing', textarea('minutes_closing', s.minutes_closing, { dir: 'auto' }), { wide: true })),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary', id: 'save' }, t('action.save')),
      h('a', { class: 'button', id: 'cancel', href: id ? `#/session/${id}` : '#/sessions' }, t('action.cancel'))));
  for (const el of [kind, year, month]) el.addEventListener('change', showProposed);
  year.addEventListener('input', showProposed);
  await showProposed();
  const markSaved = trackEdits(form);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const numbers = numberErrors(form);
    if (numbers) { showError(form, numbers); return; }
    const v = (name, root = form) => root.querySelector(`[name="${name}"]`).value.trim();
    const num = (text) => (text === '' ? null : Number(text));
    const data = {
      kind: v('kind'), year: Number(v('year')) || 0, month: Number(v('month')), number: num(v('number')),
      sittings: [...sittings.querySelectorAll('.sitting')].map((row) => ({
        held_on: v('held_on', row), time: v('time', row), place: v('place', row), round: Number(v('round', row)), present: num(v('present', row)),
      })),
      members_in_office: num(v('members_in_office')), notes: form.querySelector('[name="notes"]').value,
      requested_by: v('kind') === 'ordinary' ? 'president' : v('requested_by'), extension_days: num(v('extension_days')),
      minutes_opening: form.querySelector('[name="minutes_opening"]').value, minutes_closing: form.querySelector('[name="minutes_closing"]').value,
    };
    for (const [name] of STEPS) data[name] = v(name);
    // Not numbers: sent as out of range, so the field gets the translated error.
    for (const k of ['members_in_office', 'extension_days']) if (Number.isNaN(data[k])) data[k] = 0;
    for (const row of data.sittings) if (Number.isNaN(row.present)) row.present = 100000;
    try {
      const saved = await api.saveSession(id, data, existing ? existing.updated_at : null);
      markSaved();
      toast(t('toast.saved'));
      location.hash = `#/session/${saved.id}`;
    } catch (e) { showError(form, e); }
  });
  return h('section', null, h('h1', null, existing ? sessionLabel(existing) : t('new.session')), form);
}
