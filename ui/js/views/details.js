// A record's page: its fields, the records linked to it, its history, and the actions on it
// (edit, delete with undo, restore, change an agreement's status).

import { api } from '../api.js';
import { h, bdi } from '../dom.js';
import { t, lang as windowLang, listSeparator, tParts, label, formatDate, formatHijri, forecastMark, formatStamp, formatMoney, countryName, displayName, otherName, ref, tn, labelled } from '../i18n.js';
import { confirmDialog, toast, toastError, choice, input, field, showError } from '../widgets.js';
import { thumbnail, openPreview, canPreview } from '../preview.js';

const NAV = { partner: 'partners', agreement: 'agreements', project: 'projects', membership: 'memberships' };

function isEmpty(value) {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.every(isEmpty);
  if (value instanceof Node) return value.textContent.trim() === '';
  return false;
}

function row(key, value) {
  if (isEmpty(value)) return null;
  return [h('dt', null, t(key)), h('dd', null, value)];
}

/** History values of choice fields are shown in words. */
function historyValue(kind, fieldName, value) {
  if (value === null || value === undefined) return h('span', { class: 'muted' }, '∅');
  if (fieldName === 'status') return label(kind === 'project' ? 'project_status' : 'agreement_status', value);
  if (fieldName === 'kind') return label(`${kind}_kind`, value);
  if (fieldName === 'country') return countryName(value);
  if (fieldName === 'to_complete') return value ? value.split(',').map((f) => t(`field.${f}`)).join(listSeparator()) : '∅';
  if (/(_on|_from|since)$/.test(fieldName || '')) return formatDate(value);
  return bdi(value);
}

function historySection(kind, id) {
  const body = h('div', { class: 'history-body' });
  const details = h('details', { class: 'history', id: 'history' }, h('summary', { id: 'history-toggle' }, t('detail.history')), body);
  details.addEventListener('toggle', async () => {
    if (!details.open) return;
    try {
      const entries = await api.history(kind, id);
      body.replaceChildren(entries.length === 0 ? h('p', { class: 'muted' }, t('history.empty')) : h('table', { class: 'history-table' },
        h('tbody', null, entries.map((e) => h('tr', { dataset: { action: e.action } },
          h('td', { class: 'when' }, formatStamp(e.at)),
          h('td', null, t(`history.${e.action}`)),
          h('td', null, e.field ? t(`field.${e.field}`) : ''),
          h('td', { class: 'change' }, e.action === 'create' ? '' : [historyValue(kind, e.field, e.old_value), ' → ', historyValue(kind, e.field, e.new_value)],
            e.detail ? ` (${formatDate(e.detail)})` : ''))))));
    } catch (err) {
      toastError(err);
    }
  });
  return details;
}

function actions(kind, record, rerender) {
  if (record.deleted_at) {
    return h('div', { class: 'deleted-banner', role: 'status' }, t('detail.deleted_banner'),
      h('button', { type: 'button', id: 'restore', onclick: async () => {
        try { await api.restore(kind, record.id); toast(t('toast.restored')); rerender(); } catch (e) { toastError(e); }
      } }, t('action.restore')));
  }
  return h('div', { class: 'record-actions' },
    h('a', { class: 'button', href: `#/${kind}/${record.id}/edit`, id: 'edit' }, t('action.edit')),
    h('button', { type: 'button', class: 'danger', id: 'delete', onclick: async () => {
      const what = displayName(record.name_ar ?? record.title_ar ?? '', record.name_latin ?? record.title_fr ?? '') || `${t(`entity.${kind}`)} ${record.id}`;
      if (!(await confirmDialog(t('confirm.delete_title'), tParts('confirm.delete_body', { what: bdi(what) })))) return;
      try {
        await api.remove(kind, record.id);
        toast(t('toast.deleted'), { label: t('action.undo'), run: async () => {
          try { await api.restore(kind, record.id); toast(t('toast.restored')); location.hash = `#/${kind}/${record.id}`; } catch (e) { toastError(e); }
        } });
        location.hash = `#/${NAV[kind]}`;
      } catch (e) { toastError(e); }
    } }, t('action.delete')));
}

/** A record imported as it is: what it lacks, and the officer's word that it is complete. */
function toCompleteBanner(kind, record, rerender) {
  if (!record.to_complete || !record.to_complete.length || record.deleted_at) return null;
  const fields = record.to_complete.map((f) => t(`field.${f}`)).join(listSeparator());
  return h('div', { class: 'panel warn to-complete-banner', id: 'to-complete', role: 'status' },
    h('p', null, t('detail.to_complete', { fields })),
    h('button', { type: 'button', id: 'mark-complete', onclick: async () => {
      try { await api.markComplete(kind, record.id); toast(t('detail.completed')); rerender(); } catch (e) { toastError(e); }
    } }, t('action.mark_complete')));
}

function header(kind, record, title, subtitle) {
  return h('div', { class: 'view-head' },
    h('div', null, h('p', { class: 'eyebrow' }, t(`entity.${kind}`), record.is_sample ? h('span', { class: 'badge' }, t('detail.sample')) : null),
      h('h1', { id: 'record-title' }, bdi(title)), subtitle ? h('p', { class: 'subtitle' }, bdi(subtitle)) : null));
}

/** A file's size in the window's language: «1,5 Mo», «12 ك.ب». */
function formatSize(bytes) {
  const number = (n, digits) => n.toLocaleString(windowLang() === 'fr' ? 'fr-FR' : 'en-US', { maximumFractionDigits: digits });
  if (bytes >= 1024 * 1024) return t('size.mb', { n: number(bytes / 1024 / 1024, 1) });
  if (bytes >= 1024) return t('size.kb', { n: number(Math.round(bytes / 1024), 0) });
  return t('size.b', { n: number(bytes, 0) });
}

/** A file's type as people name it: PDF, JPEG, PNG (the media type in its tooltip). */
function fileType(mediaType) {
  const known = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG', 'image/tiff': 'TIFF', 'image/webp': 'WebP' };
  return known[mediaType] || (mediaType.split('/')[1] || mediaType).toUpperCase();
}

/** Where files dropped on the window go: the documents section on screen, or a list's import. */
let dropTarget = null;
api.onFileDrop((paths) => { if (dropTarget && paths.length) dropTarget(paths); });

/** A document's description, edited in a row under it; refused fields are marked there. */
function editDocument(row, d, reload) {
  if (row.nextElementSibling && row.nextElementSibling.classList.contains('document-editor')) return;
  const form = h('form', { class: 'document-form', novalidate: true },
    h('div', { class: 'form-error', hidden: true, role: 'alert' }),
    h('div', { class: 'grid' },
      field('kind', choice('kind', 'document_kind', ref().document_kind, d.kind)),
      field('title', input('title', d.title)),
      field('signed_on', input('signed_on', d.signed_on, { placeholder: t('form.date_hint'), class: 'date' })),
      field('signatories', input('signatories', d.signatories)),
      field('notes', input('notes', d.notes), { wide: true })),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('action.save')),
      h('button', { type: 'button', onclick: () => editor.remove() }, t('action.cancel'))));
  for (const el of form.querySelectorAll('[id]')) el.id = `doc-${d.id}-${el.id}`;
  for (const l of form.querySelectorAll('label[for]')) l.htmlFor = `doc-${d.id}-${l.htmlFor}`;
  const editor = h('tr', { class: 'document-editor' }, h('td', { colspan: 7 }, form));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const value = (name) => form.querySelector(`[name="${name}"]`).value;
    try {
      await api.saveDocument(d.id, { kind: value('kind'), title: value('title'), signed_on: value('signed_on'), signatories: value('signatories'), notes: value('notes') }, d.updated_at);
      toast(t('toast.saved'));
      await reload();
    } catch (e) { showError(form, e); }
  });
  row.after(editor);
  form.querySelector('input[name="title"]').focus();
}

/** The record's documents: attach (dialog or drop), save a copy, detach; the SHA-256 of each. */
export function documentsSection(kind, record) {
  const body = h('div', { class: 'documents-body' });
  const docKind = choice('document_kind', 'document_kind', ref().document_kind, 'signed_original');
  docKind.id = 'attach-kind';
  docKind.setAttribute('aria-label', t('field.kind'));
  const load = async () => {
    const docs = await api.documents(kind, record.id);
    body.replaceChildren(docs.length === 0 ? h('p', { class: 'muted' }, t('detail.none')) : h('table', { class: 'documents', id: 'documents' },
      h('tbody', null, docs.map((d) => h('tr', { dataset: { id: d.id, sha256: d.sha256 } },
        h('td', { class: 'thumb-cell' }, thumbnail(d, () => openPreview(d))),
        h('td', null, label('document_kind', d.kind)),
        h('td', null, bdi(d.title || d.original_name), d.title ? h('div', { class: 'muted' }, bdi(d.original_name)) : null),
        h('td', { class: 'nowrap' }, h('span', { title: d.media_type, class: 'file-type' }, fileType(d.media_type)), h('br'), h('bdi', null, formatSize(d.size)),
          d.page_count ? [h('br'), tn('page', d.page_count)] : null),
        h('td', null, h('code', { class: 'sha', title: d.sha256 }, d.sha256), h('div', { class: 'check', dataset: { check: d.id } })),
        h('td', null, d.warnings.map((w) => h('span', { class: 'badge warn' }, t(`document_warning.${w}`)))),
        h('td', null, h('div', { class: 'row-actions' },
          canPreview(d) ? h('button', { type: 'button', class: 'link preview-document', onclick: () => openPreview(d) }, t('action.preview')) : null,
          h('button', { type: 'button', class: 'link open-document', onclick: async () => {
            try { await api.openDocument(d.id); } catch (e) { toastError(e); }
          } }, t('action.open')),
          h('button', { type: 'button', class: 'link', onclick: async () => {
            try {
              const dest = await api.chooseSavePath(d.original_name);
              if (dest) { await api.exportDocument(d.id, dest); toast(t('toast.exported')); }
            } catch (e) { toastError(e); }
          } }, t('action.export')),
          record.deleted_at ? null : h('button', { type: 'button', class: 'link edit-document', onclick: (ev) => editDocument(ev.target.closest('tr'), d, async () => { await load(); await check(); }) }, t('action.edit')),
          record.deleted_at ? null : h('button', { type: 'button', class: 'link danger', onclick: async () => {
            if (!(await confirmDialog(t('confirm.delete_title'), tParts('confirm.detach_body', { what: bdi(d.title || d.original_name) }), t('action.detach')))) return;
            try {
              await api.remove('document', d.id);
              toast(t('toast.detached'), { label: t('action.undo'), run: async () => { await api.restore('document', d.id); load(); } });
              load();
            } catch (e) { toastError(e); }
          } }, t('action.detach')))))))));
  };
  // Re-hash after the list is shown: a badge per file says whether it is still the one filed.
  const check = async () => {
    for (const c of await api.checkDocuments(kind, record.id)) {
      const slot = body.querySelector(`[data-check="${c.id}"]`);
      if (slot) slot.replaceChildren(h('span', { class: `badge file-${c.state}` }, t(`documents.${c.state}`)));
    }
  };
  const attach = async (paths) => {
    if (!paths.length) return;
    const bar = h('progress', { id: 'attach-progress', max: 1, value: 0 });
    const status = h('span', null, t('documents.attaching', { count: tn('file', paths.length, 'gen') }));
    body.prepend(h('p', { class: 'muted attach-status', role: 'status' }, status, ' ', bar));
    const unlisten = await api.onAttachProgress((p) => {
      if (p.total > 0) { bar.max = p.total; bar.value = p.done; }
      status.textContent = t('documents.attaching_file', { file: p.file, files: p.files, percent: p.total ? Math.floor((100 * p.done) / p.total) : 100 });
    });
    try {
      const added = await api.attach(kind, record.id, paths, { kind: docKind.value, title: '' });
      toast(t('toast.attached', { count: tn('document', added.length, 'acc') }));
    } catch (e) { toastError(e); } finally { unlisten(); }
    await load();
    check().catch(toastError);
  };
  if (!record.deleted_at) dropTarget = attach;
  load().then(check).catch(toastError);
  return [
    h('div', { class: 'view-head documents-head' }, h('h2', null, t('field.documents')),
      record.deleted_at ? null : h('div', { class: 'inline' }, docKind,
        h('button', { type: 'button', id: 'attach', title: t('documents.drop_hint'), onclick: async () => {
          try { await attach(await api.chooseFiles()); } catch (e) { toastError(e); }
        } }, t('action.attach')))),
    body,
  ];
}

/** Prints the agreement's fact sheet to a PDF the user names, then offers to open it. */
function printSheet(r) {
  const lang = h('select', { id: 'sheet-lang', name: 'sheet_lang', 'aria-label': t('field.lang') }, ['ar', 'fr', 'both'].map((l) => h('option', { value: l }, t(`sheet.lang_${l}`))));
  return h('div', { class: 'print-sheet inline' },
    lang,
    h('button', { type: 'button', id: 'print-sheet', onclick: async () => {
      try {
        const dest = await api.chooseSavePath(`${t('sheet.file_name')}-${r.id}.pdf`);
        if (!dest) return;
        const pages = await api.printSheet(r.id, lang.value, dest);
        toast(t('toast.printed', { pages: tn('page', pages) }), { label: t('action.open'), run: () => api.openPrinted().catch(toastError) });
      } catch (e) { toastError(e); }
    } }, t('action.print_sheet')));
}

function meta(record) {
  return h('dl', { class: 'meta' }, row('detail.created', formatStamp(record.created_at)), row('detail.updated', formatStamp(record.updated_at)), row('detail.uuid', h('code', null, record.uuid)));
}

function agreementLinks(list) {
  return h('ul', { class: 'links' }, list.map((a) => h('li', null, h('a', { href: `#/agreement/${a.id}` }, bdi(displayName(a.title_ar, a.title_fr))), ' — ', label('agreement_status', a.status), a.signed_on ? ` · ${formatDate(a.signed_on)}` : '')));
}

function partnerView(v, rerender) {
  const r = v.record;
  return [
    header('partner', r, displayName(r.name_ar, r.name_latin), otherName(r.name_ar, r.name_latin)),
    actions('partner', r, rerender),
    h('dl', { class: 'fields' }, row('field.kind', label('partner_kind', r.kind)), row('field.short_name', bdi(r.short_name || '')), row('field.country', countryName(r.country)), row('field.region', bdi(r.region)), row('field.city', bdi(r.city)),
      row('field.address', h('span', { class: 'pre' }, r.address)), row('field.notes', h('span', { class: 'pre' }, r.notes))),
    r.contacts.length ? [h('h2', null, t('detail.contacts')), h('table', { class: 'small' }, h('tbody', null, r.contacts.map((c) => h('tr', null, h('td', null, bdi(c.name)), h('td', null, bdi(c.role)), h('td', null, c.email ? h('bdi', { dir: 'ltr' }, c.email) : ''), h('td', null, h('bdi', { dir: 'ltr' }, c.phone))))))] : null,
    h('h2', null, t('detail.agreements')), v.agreements.length ? agreementLinks(v.agreements) : h('p', { class: 'muted' }, t('detail.none')),
    v.memberships.length ? [h('h2', null, t('detail.memberships')), h('ul', { class: 'links' }, v.memberships.map((m) => h('li', null, h('a', { href: `#/membership/${m.id}` }, t('field.since'), ' ', formatDate(m.since)))))] : null,
    documentsSection('partner', r),
    meta(r),
    historySection('partner', r.id),
  ];
}

function statusForm(v, rerender) {
  const form = h('form', { class: 'status-form', id: 'status-form' },
    field('status', choice('status', 'agreement_status', ref().agreement_status, v.status)),
    field('status_on', input('status_on', '', { placeholder: t('form.date_hint'), class: 'date' })),
    field('status_note', input('status_note', '')),
    h('button', { type: 'submit' }, t('action.set_status')),
    h('div', { class: 'form-error', hidden: true, role: 'alert' }));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api.setStatus(v.record.id, form.elements.status.value, form.elements.status_on.value, form.elements.status_note.value);
      toast(t('toast.status_set'));
      rerender();
    } catch (e) { showError(form, e); }
  });
  return form;
}

/** A status change's note: the deliberation or visa that made it in words, leading to its
 * session; the officer's own note as written. */
function statusNote(change) {
  const [source, number] = change.note.split(/:(.*)/s);
  const words = { deliberation: 'due.deliberation', visa: 'sheet.visa_of' }[source];
  if (!words || !number) return bdi(change.note);
  const text = t(words, { number });
  return change.session_id ? h('a', { href: `#/session/${change.session_id}`, class: 'status-source' }, bdi(text)) : bdi(text);
}

function agreementView(v, rerender) {
  const r = v.record;
  const duration = r.duration_months ? tn('month', r.duration_months) : '';
  return [
    header('agreement', r, displayName(r.title_ar, r.title_fr), otherName(r.title_ar, r.title_fr)),
    actions('agreement', r, rerender),
    toCompleteBanner('agreement', r, rerender),
    h('p', { class: 'status-line' }, h('span', { class: `status status-${v.status}`, id: 'agreement-status' }, label('agreement_status', v.status)),
      v.direction ? h('span', { class: 'badge direction' }, label('direction', v.direction)) : null),
    h('dl', { class: 'fields' },
      row('field.kind', label('agreement_kind', r.kind)),
      row('detail.parties', h('ul', { class: 'inline-list' }, h('li', null, t('app.council')), v.parties.map((p) => h('li', { class: p.deleted ? 'deleted' : '' }, h('a', { href: `#/partner/${p.id}` }, bdi(displayName(p.name_ar, p.name_latin))), ` (${countryName(p.country)})`)))),
      row('field.legal_basis', bdi(r.legal_basis)), row('field.reference', bdi(r.reference)),
      row('field.signed_on', r.signed_on ? [formatDate(r.signed_on), v.signed_on_hijri ? h('span', { class: 'hijri', id: 'signed-on-hijri' }, ` (${formatHijri(v.signed_on_hijri)}${forecastMark(v.signed_on_hijri_forecast)})`) : null] : ''), row('field.signed_at', bdi(r.signed_at)), row('field.effective_from', formatDate(r.effective_from)),
      row('field.duration_months', duration), row('field.end_on', formatDate(r.end_on)),
      row('detail.expires_on', v.expires_on ? formatDate(v.expires_on) : t('detail.open_ended')),
      row('field.tacit_renewal', r.tacit_renewal ? t('form.yes') : t('form.no')),
      row('field.areas', r.areas.length ? h('ul', { class: 'tags' }, r.areas.map((a) => h('li', null, bdi(a)))) : null),
      row('field.notes', h('span', { class: 'pre' }, r.notes))),
    r.deleted_at ? null : statusForm(v, rerender),
    printSheet(r),
    h('h2', null, t('detail.status_history')),
    h('ol', { class: 'status-history' }, v.status_changes.map((c) => h('li', null, label('agreement_status', c.status), c.on ? ` — ${formatDate(c.on)}` : '', c.note ? [' — ', statusNote(c)] : ''))),
    h('div', { class: 'view-head' }, h('h2', null, t('detail.projects')), r.deleted_at ? null : h('a', { class: 'button', href: `#/project/new?agreement=${r.id}` }, t('action.new_project'))),
    v.projects.length ? h('ul', { class: 'links' }, v.projects.map((p) => h('li', null, h('a', { href: `#/project/${p.id}` }, bdi(displayName(p.title_ar, p.title_fr))), p.fund_edition ? ` — ${p.fund_edition}` : '', p.totals.length ? ` — ${p.totals.map(formatMoney).join(' + ')}` : ''))) : h('p', { class: 'muted' }, t('detail.none')),
    documentsSection('agreement', r),
    meta(r),
    historySection('agreement', r.id),
  ];
}

function projectView(v, rerender) {
  const r = v.record;
  const who = (line) => {
    if (line.partner_id === null || line.partner_id === undefined) return line.label || t('detail.the_council');
    const c = v.contributors.find((x) => x.partner_id === line.partner_id);
    return [bdi(c ? displayName(c.name_ar, c.name_latin) : `#${line.partner_id}`), line.label ? ` — ${line.label}` : ''];
  };
  return [
    header('project', r, displayName(r.title_ar, r.title_fr), otherName(r.title_ar, r.title_fr)),
    actions('project', r, rerender),
    toCompleteBanner('project', r, rerender),
    h('dl', { class: 'fields' },
      row('detail.agreement', h('a', { href: `#/agreement/${r.agreement_id}` }, bdi(displayName(v.agreement_title_ar, v.agreement_title_fr)))),
      row('field.status', label('project_status', r.status)), row('field.fund', bdi(r.fund)), row('field.fund_edition', r.fund_edition), row('field.tranche', bdi(r.tranche)),
      row('field.start_on', formatDate(r.start_on)), row('field.end_on', formatDate(r.end_on)),
      row('detail.bodies', r.implementing_bodies.length ? h('ul', null, r.implementing_bodies.map((b) => h('li', null, bdi(b)))) : null),
      row('field.beneficiaries', h('span', { class: 'pre' }, r.beneficiaries)), row('field.notes', h('span', { class: 'pre' }, r.notes))),
    h('h2', null, t('detail.budget')),
    r.budget_lines.length ? h('table', { class: 'budget' },
      h('tbody', null, r.budget_lines.map((l) => h('tr', null, h('td', null, who(l)), h('td', { class: 'amount' }, formatMoney({ minor: l.minor, currency: l.currency }))))),
      h('tfoot', null, v.totals.map((m) => h('tr', null, h('th', null, t('detail.totals')), h('td', { class: 'amount' }, formatMoney(m)))))) : h('p', { class: 'muted' }, t('detail.none')),
    h('h2', null, t('detail.activities')),
    r.activities.length ? h('ul', { class: 'links' }, r.activities.map((a) => h('li', null, label('activity_kind', a.kind), ' — ', bdi(a.title),
      a.start_on ? ` · ${formatDate(a.start_on)}` : '', a.end_on ? ` – ${formatDate(a.end_on)}` : '', a.people_trained ? ` · ${labelled(t('field.people_trained'), a.people_trained)}` : ''))) : h('p', { class: 'muted' }, t('detail.none')),
    documentsSection('project', r),
    meta(r),
    historySection('project', r.id),
  ];
}

function membershipView(v, rerender) {
  const r = v.record;
  return [
    header('membership', r, displayName(v.partner_name_ar, v.partner_name_latin)),
    actions('membership', r, rerender),
    toCompleteBanner('membership', r, rerender),
    h('dl', { class: 'fields' },
      row('detail.organisation', h('a', { href: `#/partner/${r.partner_id}` }, bdi(displayName(v.partner_name_ar, v.partner_name_latin)))),
      row('field.country', countryName(v.country)), row('field.since', formatDate(r.since)),
      row('field.dues_amount', r.dues_minor !== null && r.dues_minor !== undefined ? formatMoney({ minor: r.dues_minor, currency: r.dues_currency }) : null),
      row('field.notes', h('span', { class: 'pre' }, r.notes))),
    documentsSection('membership', r),
    meta(r),
    historySection('membership', r.id),
  ];
}

const VIEWS = { partner: partnerView, agreement: agreementView, project: projectView, membership: membershipView };

/** Called before every navigation: a drop only ever goes to what is on screen. */
export function forgetDropTarget() {
  dropTarget = null;
}

/** Lets the page on screen take dropped files (a list: a spreadsheet to import). */
export function setDropTarget(handler) {
  dropTarget = handler;
}

export async function detailView(kind, id, rerender) {
  const v = await api.view(kind, id);
  return h('section', { class: `detail detail-${kind}`, dataset: { kind, id } }, VIEWS[kind](v, rerender));
}
