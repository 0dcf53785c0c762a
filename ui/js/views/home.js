// The home view: counts, what needs attention, the sample-data notice.

import { api } from '../api.js';
import { h, bdi } from '../dom.js';
import { t, label, formatDate, formatStamp, displayName, tn, labelled } from '../i18n.js';
import { confirmDialog, toast, toastError } from '../widgets.js';
import { dueList } from './sessions.js';

function agreementLine(a) {
  return h('li', null, h('a', { href: `#/agreement/${a.id}` }, bdi(displayName(a.title_ar, a.title_fr))),
    ' — ', label('agreement_status', a.status), a.expires_on ? ` · ${t('detail.expires_on')} ${formatDate(a.expires_on)}` : '');
}

/** Deadlines shown per group at first, and per "more" after. */
const DUE_PAGE = 10;

/** The open deadlines in four groups by how soon (overdue, 7 days, 30 days, later), each
 * counted and shown a page at a time: a council's thousands of deadlines open on a short page. */
function duePanel(groups, rerender) {
  const total = groups.reduce((n, g) => n + g.count, 0);
  return h('section', { class: 'panel due-panel', id: 'due' }, h('h2', null, total ? `${t('due.title')} (${total})` : t('due.title')),
    total ? groups.filter((g) => g.count > 0).map((g) => dueGroup(g, rerender)) : h('p', { class: 'muted' }, t('due.none')));
}

function dueGroup(g, rerender) {
  const list = dueList(g.items, rerender);
  let shown = g.items.length;
  const label = () => t('due.more', { count: Math.min(DUE_PAGE * 5, g.count - shown), total: g.count - shown });
  // Shown while some are left (a button's own display would outlive `hidden`: it is removed).
  const more = shown >= g.count ? null : h('button', { type: 'button', class: 'link due-more', dataset: { group: g.group }, onclick: async () => {
    try {
      const next = await api.dueGroup(g.group, shown, DUE_PAGE * 5);
      list.append(...dueList(next.items, rerender).children);
      shown += next.items.length;
      if (shown >= g.count) more.remove();
      else more.textContent = label();
    } catch (e) { toastError(e); }
  } }, label());
  return h('div', { class: `due-group due-${g.group}`, dataset: { group: g.group } },
    h('h3', null, `${t(`due.group.${g.group}`)} (${g.count})`), list, more);
}

export async function homeView(rerender) {
  const [s, due, backups] = await Promise.all([api.home(), api.dueGroups(DUE_PAGE), api.lastBackup()]);
  const card = (nav, count) => h('a', { class: 'card', href: `#/${nav}`, dataset: { count: nav } }, h('span', { class: 'card-count' }, String(count)), h('span', null, t(`nav.${nav}`)));
  const attention = s.attention;
  const incomplete = s.to_complete;
  const toCompleteTotal = incomplete.agreements + incomplete.projects + incomplete.memberships;
  const nothing = attention.expiring.length === 0 && attention.drafts_total === 0 && toCompleteTotal === 0;
  // Records imported as they are: each kind's count opens its list filtered to them.
  const toComplete = toCompleteTotal ? h('div', { class: 'panel warn', id: 'to-complete' },
    h('h3', null, `${t('home.to_complete')} (${toCompleteTotal})`),
    h('p', { class: 'hint' }, t('home.to_complete_hint')),
    h('ul', null, [['agreements', incomplete.agreements], ['projects', incomplete.projects], ['memberships', incomplete.memberships]]
      .filter(([, n]) => n > 0)
      .map(([nav, n]) => h('li', null, h('a', { href: `#/${nav}?to_complete=1`, dataset: { toComplete: nav } }, labelled(t(`nav.${nav}`), n)))))) : null;
  let sample = null;
  if (s.sample_records > 0) {
    sample = h('div', { class: 'notice' }, h('p', null, t('home.sample_notice', { count: tn('record', s.sample_records) })),
      h('button', { type: 'button', id: 'remove-sample', onclick: async () => {
        if (!(await confirmDialog(t('action.remove_sample'), t('confirm.remove_sample_body'), t('action.remove_sample')))) return;
        try { const n = await api.removeSample(); toast(t('toast.sample_removed', { count: tn('record', n) })); rerender(); } catch (e) { toastError(e); }
      } }, t('action.remove_sample')));
  } else if (s.partners + s.agreements === 0) {
    sample = h('div', { class: 'notice' }, h('button', { type: 'button', id: 'load-sample', onclick: async () => {
      try { await api.loadSample(); toast(t('toast.sample_loaded')); rerender(); } catch (e) { toastError(e); }
    } }, t('action.load_sample')));
  }
  return h('section', { class: 'home' },
    h('h1', null, t('home.title')),
    sample,
    h('p', null, h('a', { href: '#/dashboard', id: 'open-dashboard', class: 'button-link' }, t('figures.open'))),
    h('div', { class: 'cards' }, card('partners', s.partners), card('agreements', s.agreements), card('projects', s.projects), card('memberships', s.memberships), card('sessions', s.sessions)),
    duePanel(due, rerender),
    h('h2', null, t('home.attention')),
    nothing ? h('p', { class: 'muted' }, t('home.nothing')) : null,
    attention.expiring.length ? h('div', { class: 'panel warn' }, h('h3', null, t('home.expiring')), h('ul', null, attention.expiring.map(agreementLine))) : null,
    toComplete,
    attention.drafts_total ? h('div', { class: 'panel' }, h('h3', null, `${t('home.drafts')} (${attention.drafts_total})`), h('ul', null, attention.drafts.map(agreementLine))) : null,
    s.in_trash ? h('p', null, h('a', { href: '#/trash' }, t('home.trash_count', { count: tn('record', s.in_trash) }))) : null,
    vaultCheck(),
    backupPanel(backups));
}

/** The last good backup (and an automatic one that failed since), and a backup made now to a
 * file the user chooses. */
function backupPanel({ last, failed }) {
  const status = h('span', { id: 'backup-status', role: 'status' },
    last ? t('home.backup_last', { date: formatStamp(last.at), files: tn('file', last.files) }) : t('home.backup_never'));
  if (!last) status.className = 'bad';
  const button = h('button', { type: 'button', id: 'backup-now', onclick: async () => {
    try {
      const stamp = new Date().toISOString().slice(0, 10);
      const dest = await api.chooseSavePath(`taawun-${stamp}.taawun-backup`);
      if (!dest) return;
      button.disabled = true;
      const unlisten = await api.onBackupProgress((p) => { status.textContent = t('home.backup_progress', { done: p.done, total: p.total }); });
      try {
        const made = await api.createBackup(dest);
        status.className = 'ok';
        status.textContent = t('home.backup_last', { date: formatStamp(made.at), files: tn('file', made.files) });
        toast(t('toast.backup_made'));
      } finally { unlisten(); button.disabled = false; }
    } catch (e) { toastError(e); }
  } }, t('home.backup_now'));
  // An automatic backup that failed after the last good one (a drive not plugged in) is said.
  const failure = failed
    ? h('p', { class: 'bad', id: 'auto-backup-failed', role: 'alert' }, t('home.auto_backup_failed', { date: formatStamp(failed.at), error: failed.error }), ' ', h('a', { href: '#/settings' }, t('nav.settings')))
    : null;
  return h('div', { class: 'vault-check backup' }, button, ' ', status, failure);
}

/** Re-hashes every stored document, with progress, and says what it found. */
function vaultCheck() {
  const status = h('span', { id: 'vault-status', role: 'status' });
  const button = h('button', { type: 'button', id: 'verify-vault', onclick: async () => {
    button.disabled = true;
    const unlisten = await api.onVaultProgress((p) => { status.textContent = t('home.verify_progress', { done: p.done + 1, total: p.total }); });
    try {
      const r = await api.verifyVault();
      const clean = r.missing.length === 0 && r.altered.length === 0;
      status.className = clean ? 'ok' : 'bad';
      status.textContent = clean
        ? t('home.verify_ok', { count: tn('file', r.checked, 'gen') })
        : t('home.verify_bad', { missing: r.missing.length, altered: r.altered.length, unreferenced: r.unreferenced.length, count: tn('file', r.checked, 'gen') });
    } catch (e) { toastError(e); } finally {
      unlisten();
      button.disabled = false;
    }
  } }, t('home.verify'));
  return h('div', { class: 'vault-check' }, button, ' ', status);
}
