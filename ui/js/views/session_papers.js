// The session's papers printed by Taawun (convocation, agenda, attendance register, minutes,
// decision extract of a voted point, transmittal form) in Arabic, French or both, and the
// council's agenda (sittings and open deadlines) as an .ics file for the officer's calendar.

import { api } from '../api.js';
import { h } from '../dom.js';
import { t, ref, displayName, tn } from '../i18n.js';
import { toast, toastError } from '../widgets.js';

/** The papers panel of a session page `v`. */
export function papersPanel(v) {
  const r = v.record;
  const decided = v.points.filter((p) => p.deliberation);
  const paper = h('select', { id: 'paper-kind', name: 'paper', 'aria-label': t('paper.choose') }, ref().paper.map((k) => h('option', { value: k, disabled: k === 'decision' && decided.length === 0 }, t(`paper.${k}.title`))));
  const point = h('select', { id: 'paper-point', name: 'paper_point', hidden: true, 'aria-label': t('entity.deliberation') },
    decided.map((p) => h('option', { value: p.id }, `${t('due.deliberation', { number: p.deliberation.number })} — ${p.about ? displayName(p.about.label_ar, p.about.label_latin) : p.title}`)));
  paper.addEventListener('change', () => { point.hidden = paper.value !== 'decision'; });
  const lang = h('select', { id: 'paper-lang', name: 'paper_lang', 'aria-label': t('field.lang') }, ['ar', 'fr', 'both'].map((l) => h('option', { value: l }, t(`sheet.lang_${l}`))));
  const button = h('button', { type: 'button', id: 'print-paper', onclick: async () => {
    try {
      const dest = await api.chooseSavePath(`${t(`paper.${paper.value}.title`)}-${r.year}-${r.month}.pdf`);
      if (!dest) return;
      button.disabled = true;
      const pages = await api.printPaper(paper.value, r.id, paper.value === 'decision' ? Number(point.value) : null, lang.value, dest);
      toast(t('toast.paper_printed', { pages: tn('page', pages) }), { label: t('action.open'), run: () => api.openPrinted().catch(toastError) });
    } catch (e) { toastError(e); } finally { button.disabled = false; }
  } }, t('action.print_paper'));
  return h('section', { class: 'panel papers', id: 'session-papers' }, h('h2', null, t('session.papers')),
    h('p', { class: 'muted' }, t('session.papers_hint')), h('div', { class: 'inline' }, paper, point, lang, button));
}

/** The button that writes the council's agenda as an .ics file. */
export function calendarExport() {
  return h('button', { type: 'button', id: 'export-calendar', onclick: async () => {
    try {
      const dest = await api.chooseSavePath(`${t('ics.name')}.ics`);
      if (!dest) return;
      const events = await api.exportCalendar(dest);
      toast(t('toast.calendar', { events: tn('event', events) }));
    } catch (e) { toastError(e); }
  } }, t('action.export_calendar'));
}
