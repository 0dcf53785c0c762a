// Council sessions: the list and the session page: the ordered agenda (move points with the
// buttons, Alt+↑/↓ or by dragging), each point's record, legal basis and commitments, the vote,
// then the notification to the governor, the opposition and the visa, the deadlines and the
// findings of Organic Law 112-14, and the session's papers. The form is in session_form.js.

import { api } from '../api.js';
import { h, bdi } from '../dom.js';
import { t, label, ref, formatDate, formatMoney, displayName, forecastMark, tn, voteLine, labelled } from '../i18n.js';
import { field, input, textarea, choice, showError, clearErrors, toast, toastError, confirmDialog, picker } from '../widgets.js';
import { documentsSection } from './details.js';
import { papersPanel, calendarExport } from './session_papers.js';
import { forecastControls } from './hijri.js';

/** "June 2019 ordinary session" / "Extraordinary session 2 of 2020 (March)". */
export function sessionLabel(s) {
  return t(`session.label_${s.kind}`, { month: t(`month.${s.month}`), year: s.year, number: s.number ?? '' });
}

// ---- the list ----

export async function sessionsList() {
  const page = await api.list('session', { limit: 100 });
  return h('section', { class: 'list-view' },
    h('div', { class: 'view-head' }, h('h1', null, t('nav.sessions')),
      h('span', { class: 'inline' }, h('a', { class: 'button', href: '#/members', id: 'members-link' }, t('members.title')), calendarExport(),
        h('a', { class: 'button primary', href: '#/session/new', id: 'new-session' }, t('new.session')))),
    page.items.length === 0 ? h('p', { class: 'muted' }, t('list.empty')) : h('table', { class: 'list', id: 'sessions' },
      h('thead', null, h('tr', null, [t('field.session'), t('field.held_on'), t('session.decided'), t('field.notified_on')].map((c) => h('th', null, c)))),
      h('tbody', null, page.items.map((r) => h('tr', { dataset: { id: r.id } },
        h('td', null, h('a', { href: `#/session/${r.id}` }, sessionLabel(r)), r.is_sample ? h('span', { class: 'badge' }, t('detail.sample')) : null),
        h('td', null, formatDate(r.first_sitting)),
        h('td', null, `${r.decided} / ${r.points}`),
        h('td', null, formatDate(r.notified_on)))))));
}

// ---- the session page ----

function subjectCell(p) {
  const s = p.about;
  if (!s) return [bdi(p.title), p.reexamines ? h('div', { class: 'muted' }, t('session.reexamines')) : null];
  const name = displayName(s.label_ar, s.label_latin);
  return [h('a', { href: `#/${s.kind}/${s.id}` }, bdi(name)), ' ', h('span', { class: 'muted' }, `(${t(`entity.${s.kind}`)})`),
    s.live ? null : h('span', { class: 'badge warn' }, t('session.subject_deleted')),
    p.reexamines ? h('div', { class: 'muted' }, t('session.reexamines')) : null];
}

function deliberationSummary(d) {
  return h('div', { class: 'deliberation', dataset: { deliberation: d.id, outcome: d.outcome } },
    h('strong', null, t('due.deliberation', { number: d.number })), ' — ', label('outcome', d.outcome),
    h('div', { class: 'muted' }, `${formatDate(d.decided_on)} · ${d.decided_on_hijri}${forecastMark(d.decided_on_hijri_forecast)}`),
    h('div', null, voteLine(d.members_present, d.votes_for, d.votes_against, d.abstentions)),
    d.below_quorum ? h('span', { class: 'badge warn' }, t('session.below_quorum')) : null,
    d.visa.status !== 'not_required' ? h('div', null, `${t('field.visa_status')}: `, h('span', { class: `visa visa-${d.visa.status}` }, label('visa_status', d.visa.status)), d.visa.on ? ` · ${formatDate(d.visa.on)}` : '', d.visa.reference ? ` · ${d.visa.reference}` : '') : null,
    d.opposition_on ? h('div', { class: 'opposition' }, labelled(t('field.opposition_on'), formatDate(d.opposition_on)), d.opposition_reason ? [' — ', bdi(d.opposition_reason)] : null) : null);
}

/** A small form under a point's row (the vote, the opposition, the visa). */
function rowForm(row, cls, controls, submit) {
  const next = row.nextElementSibling;
  if (next && next.classList.contains('point-editor')) { next.remove(); return; }
  const form = h('form', { class: `point-form ${cls}`, novalidate: true },
    h('div', { class: 'form-error', hidden: true, role: 'alert' }),
    h('div', { class: 'grid' }, controls),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('action.save')),
      h('button', { type: 'button', onclick: () => editor.remove() }, t('action.cancel'))));
  const editor = h('tr', { class: 'point-editor' }, h('td', { colspan: 6 }, form));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    try { await submit(form); } catch (e) { showError(form, e); }
  });
  row.after(editor);
  const first = form.querySelector('input, select, textarea');
  if (first) first.focus();
  return form;
}

const value = (form, name) => form.querySelector(`[name="${name}"]`).value.trim();
const count = (form, name) => { const v = value(form, name); return v === '' ? 0 : Number(v); };

function voteForm(row, p, v, reload) {
  const lastSitting = v.record.sittings.length ? v.record.sittings[v.record.sittings.length - 1].held_on : '';
  rowForm(row, 'vote-form', [
    field('decided_on', input('decided_on', lastSitting ? lastSitting.split('-').reverse().join('/') : '', { class: 'date', placeholder: t('form.date_hint') }), { required: true }),
    field('members_present', input('members_present', '', { inputmode: 'numeric', dir: 'ltr' }), { required: true }),
    field('votes_for', input('votes_for', '', { inputmode: 'numeric', dir: 'ltr' })),
    field('votes_against', input('votes_against', '', { inputmode: 'numeric', dir: 'ltr' })),
    field('abstentions', input('abstentions', '', { inputmode: 'numeric', dir: 'ltr' })),
    field('outcome', choice('outcome', 'outcome', ref().outcome, 'approved')),
    field('president_vote', choice('president_vote', 'president_vote', ref().president_vote, 'not_recorded'), { hint: t('law.cite', { n: 44 }) }),
    field('number', input('number', '', { dir: 'ltr', placeholder: t('session.number_hint') })),
    field('decision_text', textarea('decision_text', ''), { wide: true }),
  ], async (form) => {
    const numbers = ['members_present', 'votes_for', 'votes_against', 'abstentions'].map((n) => count(form, n));
    const bad = numbers.findIndex((n) => !Number.isInteger(n) || n < 0);
    if (bad >= 0) throw { field: ['members_present', 'votes_for', 'votes_against', 'abstentions'][bad], message: t('error.invalid.out_of_range', { field: t(`field.${['members_present', 'votes_for', 'votes_against', 'abstentions'][bad]}`) }) };
    const [present, forVotes, against, abstain] = numbers;
    const d = await api.saveDeliberation(null, p.id, { number: value(form, 'number'), decided_on: value(form, 'decided_on'), members_present: present, votes_for: forVotes, votes_against: against, abstentions: abstain, outcome: value(form, 'outcome'), president_vote: value(form, 'president_vote'), decision_text: form.querySelector('[name="decision_text"]').value });
    toast(t('toast.vote_recorded', { number: d.number }));
    await reload();
  });
}

function oppositionForm(row, d, reload) {
  rowForm(row, 'opposition-form', [
    field('opposition_on', input('opposition_on', '', { class: 'date', placeholder: t('form.date_hint') }), { required: true }),
    field('opposition_reason', textarea('opposition_reason', ''), { wide: true }),
  ], async (form) => {
    await api.recordOpposition(d.id, value(form, 'opposition_on'), form.querySelector('[name="opposition_reason"]').value);
    toast(t('toast.saved'));
    await reload();
  });
}

function visaForm(row, d, reload) {
  rowForm(row, 'visa-form', [
    field('visa_status', choice('visa_status', 'visa_status', ref().visa_status.filter((s) => s !== 'not_required'), d.visa.status === 'pending' ? 'granted' : d.visa.status)),
    field('visa_on', input('visa_on', '', { class: 'date', placeholder: t('form.date_hint') })),
    field('visa_reference', input('visa_reference', d.visa.reference, { dir: 'auto' })),
  ], async (form) => {
    await api.recordVisa(d.id, { status: value(form, 'visa_status'), on: value(form, 'visa_on'), reference: value(form, 'visa_reference') });
    toast(t('toast.saved'));
    await reload();
  });
}

/** After an opposition: the same subject as a new point of a later session, linked to this one. */
function reexamineForm(row, p, v, reload) {
  const later = h('select', { name: 'session' }, h('option', { value: '' }, t('form.choose')));
  api.list('session', { limit: 100 }).then((page) => {
    for (const s of page.items.filter((x) => x.id !== v.record.id && (x.first_sitting || '') >= (v.record.sittings.at(-1)?.held_on || ''))) later.append(h('option', { value: s.id }, sessionLabel(s)));
  }).catch(toastError);
  rowForm(row, 'reexamine-form', [field('session', later, { required: true })], async (form) => {
    const target = Number(value(form, 'session'));
    if (!target) throw { field: 'session', message: t('error.invalid.required', { field: t('field.session') }) };
    await api.savePoint(null, target, { subject: p.subject, title: p.title, rapporteur: p.rapporteur, note_ar: p.note_ar, note_fr: p.note_fr, reexamines: p.id });
    toast(t('toast.point_added'));
    location.hash = `#/session/${target}`;
  });
}

function deadlinesPanel(items, id, reload) {
  if (!items.length) return null;
  return h('div', { class: 'panel due-panel', id }, h('h3', null, t('due.title')), dueList(items, reload));
}

/** Deadlines as the home and the session page show them: date, what, the record, the rule, and
 * under a deadline resting on a forecast Hijri month, the action that records its announcement
 * (then `reload`). */
export function dueList(items, reload) {
  return h('ul', { class: 'due-list' }, items.map((d) => h('li', { class: d.overdue ? 'overdue' : '', dataset: { kind: d.kind, due: d.due_on, id: d.id } },
    h('span', { class: 'due-date' }, formatDate(d.due_on)), d.overdue ? h('span', { class: 'badge danger-badge' }, t('due.overdue')) : null, ' ',
    h('strong', null, t(`due.kind.${d.kind}`)), ' — ', h('a', { href: d.session_id ? `#/session/${d.session_id}` : `#/${d.entity}/${d.id}` }, bdi(d.label)),
    h('div', { class: 'muted due-rule' }, d.rule),
    d.forecast ? forecastControls(d.forecast, reload) : null)));
}

function addPointForm(sessionId, reload) {
  const subjectKind = h('select', { name: 'subject_kind', id: 'point-subject-kind' },
    ['agreement', 'project', 'membership', ''].map((k) => h('option', { value: k }, k ? t(`entity.${k}`) : t('session.free_text'))));
  const slot = h('div', { class: 'subject-slot' });
  let chosen = null;
  const showPicker = async () => {
    chosen = null;
    const k = subjectKind.value;
    if (k === 'agreement' || k === 'project') {
      slot.replaceChildren(field('subject', picker('subject', k, [], { onChange: (items) => { chosen = items.length ? { kind: k, id: items[0].id } : null; } })));
    } else if (k === 'membership') {
      const page = await api.list('membership', { limit: 100 });
      const sel = h('select', { name: 'membership' }, h('option', { value: '' }, t('form.choose')), page.items.map((m) => h('option', { value: m.id }, displayName(m.partner_name_ar, m.partner_name_latin))));
      sel.addEventListener('change', () => { chosen = sel.value ? { kind: 'membership', id: Number(sel.value) } : null; });
      slot.replaceChildren(field('subject', sel));
    } else {
      slot.replaceChildren();
    }
  };
  subjectKind.addEventListener('change', showPicker);
  showPicker();
  const form = h('form', { class: 'point-add', id: 'add-point-form', novalidate: true },
    h('div', { class: 'form-error', hidden: true, role: 'alert' }),
    h('div', { class: 'grid' },
      field('subject_kind', subjectKind, { label: t('field.subject') }), slot,
      field('title', input('title', '')),
      field('rapporteur', input('rapporteur', '')),
      field('note_ar', textarea('note_ar', '', { dir: 'rtl', lang: 'ar' }), { wide: true }),
      field('note_fr', textarea('note_fr', '', { dir: 'ltr', lang: 'fr' }), { wide: true })),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary', id: 'save-point' }, t('action.add_point'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    try {
      await api.savePoint(null, sessionId, { subject: chosen, title: value(form, 'title'), rapporteur: value(form, 'rapporteur'), note_ar: form.querySelector('[name="note_ar"]').value, note_fr: form.querySelector('[name="note_fr"]').value, reexamines: null });
      toast(t('toast.point_added'));
      await reload();
    } catch (e) { showError(form, e); }
  });
  return h('details', { class: 'add-point', id: 'add-point' }, h('summary', { id: 'add-point-toggle' }, t('action.add_point')), form);
}

function notificationForm(v, reload) {
  const n = v.notification;
  const form = h('form', { class: 'notification-form inline-form', id: 'notification-form', novalidate: true },
    h('div', { class: 'form-error', hidden: true, role: 'alert' }),
    h('div', { class: 'grid' },
      field('notified_on', input('notified_on', n.notified_on ? n.notified_on.split('-').reverse().join('/') : '', { class: 'date', placeholder: t('form.date_hint') })),
      field('receipt_on', input('receipt_on', n.receipt_on ? n.receipt_on.split('-').reverse().join('/') : '', { class: 'date', placeholder: t('form.date_hint') }))),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', id: 'save-notification' }, t('action.record_notification'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    try { await api.recordNotification(v.record.id, value(form, 'notified_on'), value(form, 'receipt_on')); toast(t('toast.saved')); await reload(); } catch (e) { showError(form, e); }
  });
  return h('section', { class: 'notification' }, h('h2', null, t('session.after')), h('p', { class: 'muted' }, t('session.after_hint')), form);
}

export async function sessionView(id, rerender) {
  const v = await api.view('session', id);
  const r = v.record;
  const reload = async () => rerender();
  const move = async (pointId, to) => {
    try { await api.movePoint(pointId, to); await reload(); } catch (e) { toastError(e); }
  };
  const points = v.points;
  let dragged = null;
  const agenda = points.length === 0 ? h('p', { class: 'muted' }, t('session.no_points')) : h('table', { class: 'agenda', id: 'agenda' },
    h('thead', null, h('tr', null, ['#', t('field.subject'), t('field.legal_basis'), t('session.commitment'), t('field.outcome'), ''].map((c) => h('th', null, c)))),
    h('tbody', null, points.map((p, i) => {
      const d = p.deliberation;
      const tr = h('tr', { class: 'point', draggable: r.deleted_at ? null : 'true', tabindex: '0', dataset: { id: p.id, position: p.position } },
        h('td', { class: 'position' }, String(p.position)),
        h('td', null, subjectCell(p), p.rapporteur ? h('div', { class: 'muted' }, `${t('field.rapporteur')}: `, bdi(p.rapporteur)) : null,
          p.note_ar ? h('p', { class: 'note', dir: 'rtl', lang: 'ar' }, p.note_ar) : null, p.note_fr ? h('p', { class: 'note', dir: 'ltr', lang: 'fr' }, p.note_fr) : null),
        h('td', null, p.about ? bdi(p.about.legal_basis) : ''),
        h('td', { class: 'nowrap' }, p.commitments.map((c) => h('div', null, formatMoney(c.total), c.council_share.minor ? h('div', { class: 'muted' }, labelled(t('session.council_share'), formatMoney(c.council_share))) : null))),
        h('td', null, d ? deliberationSummary(d) : h('span', { class: 'muted' }, t('session.not_voted'))),
        h('td', { class: 'nowrap point-actions' },
          h('button', { type: 'button', class: 'link move-up', disabled: i === 0, 'aria-label': t('action.move_up'), title: `${t('action.move_up')} (Alt+↑)`, onclick: () => move(p.id, p.position - 1) }, '▲'),
          h('button', { type: 'button', class: 'link move-down', disabled: i === points.length - 1, 'aria-label': t('action.move_down'), title: `${t('action.move_down')} (Alt+↓)`, onclick: () => move(p.id, p.position + 1) }, '▼'),
          !d ? h('button', { type: 'button', class: 'link record-vote', onclick: (ev) => voteForm(ev.target.closest('tr'), p, v, reload) }, t('action.record_vote')) : null,
          d && d.visa.status === 'pending' ? h('button', { type: 'button', class: 'link record-visa', onclick: (ev) => visaForm(ev.target.closest('tr'), d, reload) }, t('action.record_visa')) : null,
          d && d.outcome === 'approved' && !d.opposition_on ? h('button', { type: 'button', class: 'link record-opposition', onclick: (ev) => oppositionForm(ev.target.closest('tr'), d, reload) }, t('action.record_opposition')) : null,
          d && d.opposition_on ? h('button', { type: 'button', class: 'link reexamine', onclick: (ev) => reexamineForm(ev.target.closest('tr'), p, v, reload) }, t('action.reexamine')) : null,
          !d ? h('button', { type: 'button', class: 'link danger remove-point', onclick: async () => {
            if (!(await confirmDialog(t('confirm.delete_title'), t('confirm.remove_point'), t('action.remove')))) return;
            try { await api.remove('point', p.id); toast(t('toast.deleted'), { label: t('action.undo'), run: async () => { await api.restore('point', p.id); reload(); } }); reload(); } catch (e) { toastError(e); }
          } }, t('action.remove')) : null));
      tr.addEventListener('keydown', (ev) => {
        if (!ev.altKey || ev.target !== tr) return;
        if (ev.key === 'ArrowUp' && i > 0) { ev.preventDefault(); move(p.id, p.position - 1).then(() => focusPoint(p.id)); }
        if (ev.key === 'ArrowDown' && i < points.length - 1) { ev.preventDefault(); move(p.id, p.position + 1).then(() => focusPoint(p.id)); }
      });
      tr.addEventListener('dragstart', (ev) => { dragged = p; ev.dataTransfer.effectAllowed = 'move'; ev.dataTransfer.setData('text/plain', String(p.id)); tr.classList.add('dragging'); });
      tr.addEventListener('dragend', () => tr.classList.remove('dragging'));
      tr.addEventListener('dragover', (ev) => { if (dragged) { ev.preventDefault(); tr.classList.add('drop-here'); } });
      tr.addEventListener('dragleave', () => tr.classList.remove('drop-here'));
      tr.addEventListener('drop', (ev) => { ev.preventDefault(); tr.classList.remove('drop-here'); if (dragged && dragged.id !== p.id) move(dragged.id, p.position); dragged = null; });
      return tr;
    })));
  const holidays = v.sittings.filter((s) => s.holiday || s.weekend);
  return h('section', { class: 'detail detail-session', dataset: { id: r.id } },
    h('div', { class: 'view-head' },
      h('div', null, h('p', { class: 'eyebrow' }, t('entity.session'), r.is_sample ? h('span', { class: 'badge' }, t('detail.sample')) : null),
        h('h1', { id: 'record-title' }, sessionLabel(r)))),
    h('div', { class: 'record-actions' },
      h('a', { class: 'button', href: `#/session/${r.id}/edit`, id: 'edit' }, t('action.edit')),
      dossierExport(r)),
    h('dl', { class: 'fields' },
      h('dt', null, t('field.sittings')),
      h('dd', null, v.sittings.length ? h('ul', { class: 'sittings-list' }, v.sittings.map((s) => h('li', null, h('strong', null, formatDate(s.held_on)), ' ', h('span', { class: 'hijri' }, `(${s.hijri}${forecastMark(s.hijri_forecast)})`), s.time ? ` · ${s.time}` : '', s.place ? [' · ', bdi(s.place)] : ''))) : h('span', { class: 'muted' }, t('session.no_sittings'))),
      v.proposed_date ? [h('dt', null, t('session.proposed_label')), h('dd', null, formatDate(v.proposed_date))] : null,
      r.convocation_on ? [h('dt', null, t('field.convocation_on')), h('dd', null, formatDate(r.convocation_on))] : null,
      r.members_in_office ? [h('dt', null, t('field.members_in_office')), h('dd', null, String(r.members_in_office))] : null,
      r.kind === 'extraordinary' ? [h('dt', null, t('field.requested_by')), h('dd', null, label('requested_by', r.requested_by), r.requested_on ? ` · ${formatDate(r.requested_on)}` : '')] : null,
      r.agenda_sent_on ? [h('dt', null, t('field.agenda_sent_on')), h('dd', null, formatDate(r.agenda_sent_on))] : null,
      r.notes ? [h('dt', null, t('field.notes')), h('dd', { class: 'pre' }, r.notes)] : null),
    holidays.map((s) => h('p', { class: 'panel warn holiday-warning', role: 'status' }, s.holiday ? t('session.holiday_warning', { holiday: t(s.holiday) }) : `${formatDate(s.held_on)}: ${t('session.weekend')}`)),
    v.findings.length ? h('div', { class: 'panel warn findings', id: 'session-findings', role: 'status' },
      h('h3', null, t('session.findings')), h('ul', null, v.findings.map((f) => h('li', { dataset: { code: f.code } }, f.text)))) : null,
    deadlinesPanel(v.deadlines, 'session-deadlines', reload),
    h('div', { class: 'view-head' }, h('h2', null, t('session.agenda')), h('p', { class: 'muted' }, t('session.reorder_hint'))),
    agenda,
    r.deleted_at ? null : addPointForm(r.id, reload),
    notificationForm(v, reload),
    r.deleted_at ? null : papersPanel(v),
    documentsSection('session', r));
}

/** Exports the session's deliberation dossier (signed scans appended) to a PDF the user names. */
function dossierExport(r) {
  const lang = h('select', { id: 'dossier-lang', name: 'dossier_lang', 'aria-label': t('field.lang') }, ['ar', 'fr', 'both'].map((l) => h('option', { value: l }, t(`sheet.lang_${l}`))));
  const edition = h('select', { id: 'dossier-edition', name: 'dossier_edition', title: t('dossier.edition_hint'), 'aria-label': t('dossier.edition') },
    ['print', 'archive'].map((e) => h('option', { value: e }, t(`dossier.edition_${e}`))));
  const status = h('span', { class: 'muted', id: 'dossier-status', role: 'status' });
  const button = h('button', { type: 'button', id: 'export-dossier', onclick: async () => {
    try {
      const dest = await api.chooseSavePath(`${t('dossier.file_name')}-${r.year}-${r.month}.pdf`);
      if (!dest) return;
      button.disabled = true;
      status.textContent = t('dossier.working');
      const report = await api.exportDossier(r.id, null, lang.value, dest, edition.value);
      // Which annexes were appended and which were not, and why, stays beside the button.
      const left = report.annexes.filter((a) => !a.embedded);
      status.replaceChildren(...(report.annexes.length ? [t('dossier.report', { embedded: report.embedded, annexes: report.annexes.length })] : []),
        ...(left.length ? [h('ul', { id: 'dossier-left-out' }, ...left.map((a) => h('li', null,
          t('dossier.report_left_out', { n: a.n, title: a.title || a.file, reason: a.reason }))))] : []));
      toast(t('toast.dossier_saved', { pages: tn('page', report.pages) }), { label: t('action.open'), run: () => api.openPrinted().catch(toastError) });
    } catch (e) { status.textContent = ''; toastError(e); } finally { button.disabled = false; }
  } }, t('action.export_dossier'));
  return h('span', { class: 'inline' }, lang, edition, button, status);
}

function focusPoint(id) {
  requestAnimationFrame(() => { const row = document.querySelector(`#agenda tr[data-id="${id}"]`); if (row) row.focus(); });
}
