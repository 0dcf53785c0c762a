// Start-up, the hash router and the keyboard: Ctrl+K search, Ctrl+N new record, Ctrl+F the
// list's filter, Esc closes a dialog or leaves a form.

import { api } from './api.js';
import { h, mount } from './dom.js';
import { t, useLanguage } from './i18n.js';
import { confirmDialog, toast, toastError, editsUnsaved, forgetEdits } from './widgets.js';
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

/** Where focus was when the officer left each route, to bring it back on return (after a save,
 * the Edit button of the record's page). */
const focusLeft = new Map();
let shownRoute = null;
let shownHash = location.hash;

/** Focus after drawing a view: on the same route (a language switch, a status changed), where it
 * was; on a route seen before, where it was left; else the page's heading, so that a screen
 * reader starts there and Tab goes on from the page, not from the top of the window. */
function placeFocus(route, sameRoute, activeId, activeInView) {
  const inView = (id) => { const el = id && document.getElementById(id); return el && view.contains(el) ? el : null; };
  if (sameRoute && !activeInView && document.activeElement !== document.body) return;
  const target = inView(sameRoute ? activeId : focusLeft.get(route));
  if (target) { target.focus({ preventScroll: !sameRoute }); return; }
  const heading = view.querySelector('h1');
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  } else {
    view.focus({ preventScroll: true });
  }
}

async function render() {
  const seq = ++renderSeq;
  forgetDropTarget();
  forgetEdits();
  const active = document.activeElement;
  const activeInView = Boolean(active && view.contains(active) && active !== view);
  if (shownRoute !== null && activeInView && active.id) focusLeft.set(shownRoute, active.id);
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
  const route = parts.join('/') || 'home';
  document.body.dataset.route = route;
  placeFocus(route, route === shownRoute, activeInView ? active.id : null, activeInView);
  shownRoute = route;
  shownHash = location.hash;
  // Two frames so WebKit has painted before anyone (a test, a screenshot) reads the page.
  requestAnimationFrame(() => requestAnimationFrame(() => { document.body.dataset.ready = String(seq); }));
}

/** Leaving a view with edits not saved asks first; kept, the address goes back to the view. */
async function onHashChange() {
  if (location.hash !== shownHash && editsUnsaved()) {
    const target = location.hash;
    history.replaceState(null, '', shownHash || '#/home');
    if (!(await confirmDialog(t('confirm.leave_title'), t('confirm.leave_body'), t('action.leave_unsaved')))) return;
    forgetEdits();
    location.hash = target;
    return;
  }
  render();
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
  window.addEventListener('hashchange', onHashChange);
  document.getElementById('skip-link').addEventListener('click', (ev) => {
    ev.preventDefault();
    placeFocus(shownRoute, false, null, false);
  });
  // An automatic backup runs on a connection of its own: the top bar says so while the window
  // is used meanwhile.
  const work = document.getElementById('background-work');
  api.onBackupProgress((p) => {
    if (!p.auto) return;
    work.hidden = p.done >= p.total;
    work.textContent = t('home.auto_backup_progress', { done: p.done, total: p.total });
  });
  api.onBackupMade(() => { work.hidden = true; });
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
