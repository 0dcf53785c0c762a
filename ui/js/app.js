// Start-up, the hash router and the keyboard: Ctrl+K search, Ctrl+N new record, Ctrl+F the
// list's filter, Esc closes a dialog or leaves a form.

import { api } from './api.js';
import { h, mount } from './dom.js';
import { t, useLanguage } from './i18n.js';
import { confirmDialog, toast, toastError } from './widgets.js';
import { homeView } from './views/home.js';
import { dashboardView } from './views/dashboard.js';
import { listView, LIST_KINDS } from './views/lists.js';
import { detailView, forgetDropTarget } from './views/details.js';
import { formView } from './views/forms.js';
import { trashView } from './views/trash.js';
import { sessionsList, sessionView } from './views/sessions.js';
import { sessionForm } from './views/session_form.js';
import { membersView } from './views/members.js';
import { settingsView } from './views/settings.js';
import { openSearch } from './views/search.js';
import { importView } from './views/import.js';

const view = document.getElementById('view');
let currentKind = null;
let renderSeq = 0;

function parseRoute() {
  const [path, search] = location.hash.replace(/^#\/?/, '').split('?');
  return { parts: path.split('/').filter(Boolean), params: new URLSearchParams(search || '') };
}

async function render() {
  const seq = ++renderSeq;
  forgetDropTarget();
  const { parts, params } = parseRoute();
  const rerender = () => render();
  let content;
  currentKind = null;
  let nav = parts[0] || 'home';
  try {
    if (parts.length === 0 || parts[0] === 'home') {
      content = await homeView(rerender);
    } else if (parts[0] === 'dashboard') {
      content = await dashboardView(params);
    } else if (parts[0] === 'trash') {
      content = await trashView(rerender);
    } else if (parts[0] === 'import') {
      nav = params.get('kind') ? `${params.get('kind')}s` : 'home';
      content = await importView(params);
    } else if (parts[0] === 'settings') {
      content = await settingsView();
    } else if (parts[0] === 'members') {
      nav = 'sessions';
      content = await membersView(params, rerender);
    } else if (parts[0] === 'sessions') {
      currentKind = 'session';
      content = await sessionsList();
    } else if (parts[0] === 'session') {
      currentKind = 'session';
      nav = 'sessions';
      if (parts[1] === 'new') content = await sessionForm(null);
      else if (parts[2] === 'edit') content = await sessionForm(Number(parts[1]));
      else content = await sessionView(Number(parts[1]), rerender);
    } else if (LIST_KINDS[parts[0]]) {
      currentKind = LIST_KINDS[parts[0]];
      content = await listView(currentKind, params);
    } else if (Object.values(LIST_KINDS).includes(parts[0])) {
      currentKind = parts[0];
      nav = `${currentKind}s`;
      if (parts[1] === 'new') content = await formView(currentKind, null, params);
      else if (parts[2] === 'edit') content = await formView(currentKind, Number(parts[1]), params);
      else content = await detailView(currentKind, Number(parts[1]), rerender);
    } else {
      location.hash = '#/home';
      return;
    }
  } catch (e) {
    content = h('div', { class: 'error-page', role: 'alert' }, h('p', null, e.message || String(e)));
  }
  if (seq !== renderSeq) return; // a newer navigation won
  mount(view, content);
  for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.dataset.nav === nav);
  document.body.dataset.route = parts.join('/') || 'home';
  // Two frames so WebKit has painted before anyone (a test, a screenshot) reads the page.
  requestAnimationFrame(() => requestAnimationFrame(() => { document.body.dataset.ready = String(seq); }));
}

function onKey(ev) {
  const mod = ev.ctrlKey || ev.metaKey;
  if (mod && ev.key.toLowerCase() === 'k') {
    ev.preventDefault();
    openSearch();
  } else if (mod && ev.key.toLowerCase() === 'n') {
    ev.preventDefault();
    location.hash = `#/${currentKind || 'agreement'}/new`;
  } else if (mod && ev.key.toLowerCase() === 'f') {
    const filter = document.getElementById('filter-q');
    if (filter) {
      ev.preventDefault();
      filter.focus();
      filter.select();
    }
  } else if (ev.key === 'Escape' && !document.querySelector('dialog[open]')) {
    const cancel = document.getElementById('cancel');
    if (cancel) {
      ev.preventDefault();
      cancel.click();
    }
  }
}

async function boot() {
  const info = await api.info();
  await useLanguage(info.lang);
  const switcher = document.getElementById('lang-switch');
  switcher.value = info.lang;
  switcher.addEventListener('change', async () => {
    try {
      await api.setLang(switcher.value);
      await useLanguage(switcher.value);
      render();
    } catch (e) { toastError(e); }
  });
  document.addEventListener('keydown', onKey);
  document.getElementById('open-search').addEventListener('click', openSearch);
  if (info.error) {
    mount(view, h('div', { class: 'error-page', role: 'alert', id: 'open-error' }, h('h1', null, t('app.name')), h('p', null, info.error.message), h('p', null, h('code', { dir: 'ltr' }, info.db_path))));
    document.body.dataset.ready = 'error';
    return;
  }
  window.addEventListener('hashchange', render);
  // The home view says when the last good backup was made: an automatic one made meanwhile shows.
  api.onBackupMade(() => { if (document.body.dataset.route === 'home' && !document.querySelector('dialog[open]')) render(); });
  await render();
  await offerOpenedBackup();
}

/** Started with a backup file (opened from the file manager): offer to restore it. */
async function offerOpenedBackup() {
  const file = await api.openedBackup();
  if (!file) return;
  const body = [h('p', null, t('restore.opened_body')), h('p', null, h('code', { dir: 'ltr' }, file))];
  const yes = await confirmDialog(t('restore.opened_title'), body, t('restore.ok'));
  try {
    const restored = await api.restoreOpenedBackup(yes);
    if (restored) {
      toast(t('restore.done', { date: restored.created_at, previous: restored.previous || '—' }));
      await render();
    }
  } catch (e) { toastError(e); }
}

boot().catch((e) => {
  mount(view, h('div', { class: 'error-page', role: 'alert' }, String(e && e.message ? e.message : e)));
  document.body.dataset.ready = 'error';
});
