// The settings the law leaves to each council: the legal delays, the quorum, how deliberations
// are numbered and which agreements need the visa. Defaults are the documented values; the
// deadlines on the home and on the session pages follow what is saved here.

import { api } from '../api.js';
import { h } from '../dom.js';
import { t, label, ref, tn } from '../i18n.js';
import { field, input, textarea, showError, clearErrors, toast, toastError } from '../widgets.js';
import { hijriMonthsSection } from './hijri.js';

// A hint followed by the article it rests on ("… — المادة 107 من القانون التنظيمي 112.14").
const cited = (hint, article) => `${hint} — ${t('law.cite', { n: article })}`;

/** The numbering pattern, with what it gives written out under it as it is typed ("{year}/{seq}"
 * reads «the 7th deliberation of 2027: 2027/7»). */
function patternField(pattern) {
  const box = input('number_pattern', pattern, { dir: 'ltr' });
  const year = new Date().getFullYear();
  const example = h('span', { class: 'pattern-example', id: 'pattern-example' });
  const show = () => {
    const text = box.value.trim().replaceAll('{year}', String(year)).replaceAll('{seq}', '7');
    example.replaceChildren(t('settings.pattern_example', { year }), ' ', h('bdi', { dir: 'ltr' }, text));
  };
  box.addEventListener('input', show);
  show();
  return field('number_pattern', box, { hint: [t('settings.pattern_hint'), h('br'), example] });
}

export async function settingsView() {
  const s = await api.legalSettings();
  const number = (name, value, hint) => field(name, input(name, value, { inputmode: 'numeric', dir: 'ltr' }), { hint });
  const check = (name, checked, text) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name, checked }), ' ', text);
  const kinds = h('div', { class: 'checks', dataset: { field: 'visa_agreement_kinds' } },
    ref().agreement_kind.map((k) => check(`visa_kind_${k}`, s.visa_agreement_kinds.includes(k), label('agreement_kind', k))),
    h('div', { class: 'field-error', role: 'alert' }));
  const form = h('form', { class: 'record-form', id: 'settings-form', novalidate: true },
    h('div', { class: 'form-error', hidden: true, role: 'alert' }),
    h('div', { class: 'grid' },
      number('notify_working_days', s.notify_working_days, cited(t('settings.working_days'), 107)),
      number('opposition_working_days', s.opposition_working_days, cited(t('settings.working_days'), 108)),
      number('visa_days', s.visa_days, cited(t('settings.days'), 109)),
      number('convocation_days', s.convocation_days, cited(t('settings.days'), 36)),
      field('quorum_ratio', input('quorum_ratio', String(s.quorum_ratio), { dir: 'ltr' }), { hint: cited(t('settings.quorum_hint'), 43) }),
      patternField(s.number_pattern)),
    h('fieldset', { class: 'wide' }, h('legend', null, t('field.visa_agreement_kinds')), kinds,
      check('visa_foreign_only', s.visa_foreign_only, t('settings.visa_foreign_only')),
      check('visa_in_working_days', s.visa_in_working_days, t('settings.visa_in_working_days'))),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary', id: 'save' }, t('action.save'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const v = (name) => form.querySelector(`[name="${name}"]`);
    const int = (name) => { const n = Number(v(name).value.trim()); return Number.isInteger(n) && n >= 0 ? n : 0; };
    try {
      await api.saveLegalSettings({
        notify_working_days: int('notify_working_days'), opposition_working_days: int('opposition_working_days'), visa_days: int('visa_days'),
        convocation_days: int('convocation_days'), quorum_ratio: Number(v('quorum_ratio').value.replace(',', '.')), number_pattern: v('number_pattern').value.trim(),
        visa_agreement_kinds: ref().agreement_kind.filter((k) => v(`visa_kind_${k}`).checked),
        visa_foreign_only: v('visa_foreign_only').checked, visa_in_working_days: v('visa_in_working_days').checked,
      });
      toast(t('toast.saved'));
    } catch (e) { showError(form, e); }
  });
  return h('section', null, h('h1', null, t('nav.settings')), h('p', { class: 'muted' }, t('settings.intro')), form, await hijriMonthsSection(), await identityForm(), await exchangeSection(), await autoBackupForm());
}

/** Where a record in conflict is shown: its own page, a session's for its points and votes. */
function pageRoute([entity, id]) {
  if (entity === 'session') return `#/session/${id}`;
  if (entity === 'member') return '#/members';
  return `#/${entity}/${id}`;
}

/** A traveling field's value as text: a date list, a visa, a yes or no, rather than JSON. */
function readable(v) {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return t(v ? 'bundle.yes' : 'bundle.no');
  if (Array.isArray(v)) return v.map(readable).join(' ; ');
  if (typeof v === 'object') return Object.values(v).filter((x) => x !== null && x !== '').map(readable).join(' · ');
  return String(v);
}

/** Exchange with the council's other desks: this desk's name, a bundle out, a bundle in with
 * what it did, and the conflicts side by side, each decided here (docs/exchange.md). */
async function exchangeSection() {
  const desk = await api.deskIdentity();
  const report = h('p', { id: 'bundle-report', class: 'muted', role: 'status' });
  const list = h('div', { id: 'conflicts' });
  const clashList = h('div', { id: 'number-clashes' });
  const shown = (v) => h('bdi', null, readable(v));
  const showConflicts = async (conflicts) => {
    const clashes = await api.numberClashes();
    clashList.replaceChildren(...(clashes.length ? [h('h3', null, t('bundle.number_clashes'))] : []),
      ...clashes.map((k) => h('div', { class: 'clash card' },
        h('p', null, t('bundle.number_clash', { number: `\u2066${k.number}\u2069`, count: tn('deliberation', k.deliberations.length, 'gen') })),
        h('ul', null, ...k.deliberations.map((d) => h('li', null,
          h('a', { href: `#/session/${d.session_id}` }, h('bdi', null, d.point)), ' · ', h('bdi', null, d.decided_on)))))));
    list.replaceChildren(...conflicts.map((k) => h('div', { class: 'conflict card', dataset: { id: k.id } },
      h('h3', null, k.page ? h('a', { href: pageRoute(k.page) }, `${t(`entity.${k.entity}`)} ${k.record_id}`) : t(`entity.${k.entity}`), ' · ', t(`field.${k.field}`)),
      h('dl', null,
        h('dt', null, t('bundle.here')), h('dd', { class: 'local' }, shown(k.local_value)),
        h('dt', null, t('bundle.there', { desk: k.remote_desk_name, at: `\u2066${k.received_at.slice(0, 16).replace('T', ' ')}\u2069` })), h('dd', { class: 'remote' }, shown(k.remote_value))),
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'keep-local', onclick: () => decide(k.id, false) }, t('bundle.keep_local')),
        h('button', { type: 'button', class: 'take-remote', onclick: () => decide(k.id, true) }, t('bundle.take_remote'))))));
    if (!conflicts.length) list.append(h('p', { class: 'muted' }, t('bundle.no_conflicts')));
  };
  const decide = async (id, takeRemote) => {
    try { await showConflicts(await api.resolveConflict(id, takeRemote)); toast(t('bundle.resolved')); } catch (e) { toastError(e); }
  };
  await showConflicts(await api.bundleConflicts());
  const nameInput = input('desk_name', desk.desk_name);
  const form = h('form', { class: 'record-form', id: 'exchange-form', novalidate: true },
    h('div', { class: 'form-error', hidden: true, role: 'alert' }),
    h('div', { class: 'grid' }, field('desk_name', nameInput, { label: t('bundle.desk_name'), hint: t('bundle.desk_hint') })),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary', id: 'save-desk' }, t('action.save')),
      h('button', { type: 'button', id: 'export-bundle', onclick: async () => {
        try {
          const dest = await api.chooseSavePath(`taawun-${new Date().toISOString().slice(0, 10)}.taawun-bundle`);
          if (!dest) return;
          const m = await api.exportBundle(dest);
          report.textContent = t('bundle.exported', { records: m.records, file: dest });
        } catch (e) { toastError(e); }
      } }, t('bundle.export')),
      h('button', { type: 'button', id: 'import-bundle', onclick: async () => {
        try {
          const path = await api.chooseBundle();
          if (path) await importBundle(path);
        } catch (e) { toastError(e); }
      } }, t('bundle.import'))),
    report, clashList, h('h3', null, t('bundle.conflicts')), list);
  const importBundle = async (path) => {
    const done = await api.importBundle(path);
    const from = done.manifest.desk.name || done.manifest.desk.uuid;
    const m = done.merged;
    report.textContent = done.already ? t('bundle.already', { desk: from })
      : t('bundle.imported', { desk: from, created: m.created, updated: m.updated, unchanged: m.unchanged, conflicts: m.conflicts })
        + (m.number_clashes ? ` ${t('bundle.clashes_after', { clashes: m.number_clashes })}` : '');
    await showConflicts(await api.bundleConflicts());
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    try { await api.setDeskName(nameInput.value.trim()); toast(t('toast.saved')); } catch (e) { showError(form, e); }
  });
  return h('section', { id: 'exchange' }, h('h2', null, t('bundle.title')), h('p', { class: 'muted' }, t('bundle.hint')), form);
}

/** Automatic backups: on or off, the folder (a USB drive), how many to keep; a backup now. */
async function autoBackupForm() {
  let status = await api.autoBackupStatus();
  const list = h('ul', { id: 'auto-backups', class: 'muted' });
  const folderInput = input('backup_folder', status.settings.folder, { dir: 'ltr', placeholder: status.folder });
  const showList = () => {
    list.replaceChildren(...status.backups.map((b) => h('li', null, h('bdi', { dir: 'ltr' }, b))));
    if (!status.backups.length) list.append(h('li', null, t('settings.auto_none')));
  };
  showList();
  const form = h('form', { class: 'record-form', id: 'auto-backup-form', novalidate: true },
    h('div', { class: 'form-error', hidden: true, role: 'alert' }),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'auto_enabled', checked: status.settings.enabled }), ' ', t('settings.auto_enabled')),
    h('div', { class: 'grid' },
      field('backup_folder', h('div', { class: 'inline' }, folderInput, h('button', { type: 'button', id: 'choose-backup-folder', onclick: async () => {
        try { const dir = await api.chooseFolder(); if (dir) folderInput.value = dir; } catch (e) { toastError(e); }
      } }, t('settings.choose_folder'))), { hint: t('settings.auto_folder_hint'), wide: true }),
      field('backup_keep', input('backup_keep', String(status.settings.keep), { inputmode: 'numeric', dir: 'ltr' }))),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary', id: 'save-auto-backup' }, t('action.save')),
      h('button', { type: 'button', id: 'auto-backup-now', onclick: async (ev) => {
        ev.target.disabled = true;
        try { status = await api.runAutoBackup(); showList(); toast(t('toast.backup_made')); } catch (e) { toastError(e); } finally { ev.target.disabled = false; }
      } }, t('settings.auto_now'))),
    h('h3', null, t('settings.auto_list')), list);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const keep = Number(form.querySelector('[name="backup_keep"]').value.trim());
    try {
      status = await api.saveAutoBackup({ enabled: form.querySelector('[name="auto_enabled"]').checked, folder: folderInput.value.trim(), keep: Number.isInteger(keep) ? keep : 0 });
      showList();
      toast(t('toast.saved'));
    } catch (e) { showError(form, e); }
  });
  return h('section', null, h('h2', null, t('settings.auto_backups')), h('p', { class: 'muted' }, t('settings.auto_hint')), form);
}

/** The council's letterhead on printed documents: one line per row, Arabic and French; the emblem. */
async function identityForm() {
  const id = await api.councilIdentity();
  const emblemState = h('span', { class: 'muted', id: 'emblem-state' }, id.emblem_sha256 ? t('settings.emblem_set') : t('settings.emblem_none'));
  const form = h('form', { class: 'record-form', id: 'identity-form', novalidate: true },
    h('div', { class: 'form-error', hidden: true, role: 'alert' }),
    h('div', { class: 'grid' },
      field('identity_ar', textarea('identity_ar', id.arabic.join('\n'), { dir: 'rtl', rows: 4 }), { label: t('settings.identity_ar') }),
      field('identity_fr', textarea('identity_fr', id.french.join('\n'), { dir: 'ltr', rows: 4 }), { label: t('settings.identity_fr') }),
      field('address', input('address', id.address), { wide: true })),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary', id: 'save-identity' }, t('action.save')),
      h('button', { type: 'button', id: 'choose-emblem', onclick: async () => {
        try {
          const [path] = await api.chooseFiles();
          if (!path) return;
          await api.setCouncilEmblem(path);
          emblemState.textContent = t('settings.emblem_set');
          toast(t('toast.saved'));
        } catch (e) { toastError(e); }
      } }, t('settings.choose_emblem')),
      h('button', { type: 'button', class: 'link danger', onclick: async () => {
        try { await api.setCouncilEmblem(null); emblemState.textContent = t('settings.emblem_none'); } catch (e) { toastError(e); }
      } }, t('action.remove')), emblemState));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const lines = (name) => form.querySelector(`[name="${name}"]`).value.split('\n').map((l) => l.trim()).filter(Boolean);
    try {
      await api.saveCouncilIdentity({ arabic: lines('identity_ar'), french: lines('identity_fr'), address: form.querySelector('[name="address"]').value.trim(), emblem_sha256: '' });
      toast(t('toast.saved'));
    } catch (e) { showError(form, e); }
  });
  return h('section', null, h('h2', null, t('settings.identity')), h('p', { class: 'muted' }, t('settings.identity_hint')), form);
}
