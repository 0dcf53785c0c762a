// The members of the council, one list per mandate (the year it began): name in Arabic and in
// Latin letters, role, committee. Convocations go to them, the attendance register lists them
// and, when a session does not say how many members are in office, the quorum counts them
// (art. 43 of Organic Law 112-14).

import { api } from '../api.js';
import { h, bdi } from '../dom.js';
import { t, label, ref } from '../i18n.js';
import { field, input, choice, showError, clearErrors, toast, toastError, confirmDialog } from '../widgets.js';

export async function membersView(params, rerender) {
  const asked = Number(params.get('mandate')) || null;
  const members = await api.list('member', { year: asked });
  const mandate = asked || (members[0] ? members[0].mandate : new Date().getFullYear());
  const form = h('form', { class: 'record-form', id: 'member-form', novalidate: true },
    h('div', { class: 'form-error', hidden: true, role: 'alert' }),
    h('div', { class: 'grid' },
      field('mandate', input('mandate', mandate, { inputmode: 'numeric', dir: 'ltr' }), { required: true }),
      field('name_ar', input('name_ar', '', { dir: 'rtl', lang: 'ar' })),
      field('name_fr', input('name_fr', '', { dir: 'ltr' })),
      field('role', choice('role', 'member_role', ref().member_role, 'member')),
      field('committee', input('committee', '', { dir: 'auto' }))),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary', id: 'add-member' }, t('members.add'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const v = (name) => form.querySelector(`[name="${name}"]`).value.trim();
    try {
      const m = await api.saveMember(null, { mandate: Number(v('mandate')) || 0, name_ar: v('name_ar'), name_fr: v('name_fr'), role: v('role'), committee: v('committee') });
      toast(t('toast.saved'));
      location.hash = `#/members?mandate=${m.mandate}`;
      rerender();
    } catch (e) { showError(form, e); }
  });
  return h('section', { class: 'list-view', id: 'members' },
    h('div', { class: 'view-head' }, h('h1', null, t('members.title')), h('a', { class: 'button', href: '#/sessions' }, t('nav.sessions'))),
    h('p', { class: 'muted' }, t('members.hint')),
    members.length === 0 ? h('p', { class: 'muted' }, t('members.none')) : h('table', { class: 'list', id: 'members-table' },
      h('caption', null, t('members.of_mandate', { mandate })),
      h('thead', null, h('tr', null, ['#', t('field.name_ar'), t('field.name_fr'), t('field.role'), t('field.committee'), ''].map((c) => h('th', null, c)))),
      h('tbody', null, members.map((m, i) => h('tr', { dataset: { id: m.id } },
        h('td', null, String(i + 1)), h('td', null, bdi(m.name_ar)), h('td', null, bdi(m.name_fr)), h('td', null, label('member_role', m.role)), h('td', null, bdi(m.committee)),
        h('td', null, h('button', { type: 'button', class: 'link danger', onclick: async () => {
          if (!(await confirmDialog(t('confirm.delete_title'), t('members.remove'), t('action.remove')))) return;
          try { await api.remove('member', m.id); toast(t('toast.deleted'), { label: t('action.undo'), run: async () => { await api.restore('member', m.id); rerender(); } }); rerender(); } catch (e) { toastError(e); }
        } }, t('action.remove'))))))),
    h('h2', null, t('members.add')), form);
}
