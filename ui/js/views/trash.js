// The trash: deleted records, each restorable.

import { api } from '../api.js';
import { h, bdi } from '../dom.js';
import { t, formatStamp, displayName } from '../i18n.js';
import { toast, toastError } from '../widgets.js';

export async function trashView(rerender) {
  const items = await api.trash();
  return h('section', { class: 'trash' }, h('h1', null, t('trash.title')),
    items.length === 0 ? h('p', { class: 'muted' }, t('trash.empty')) : h('table', { class: 'list' },
      h('thead', null, h('tr', null, h('th', null, t('field.kind')), h('th', null, t('field.name_ar')), h('th', null, t('trash.deleted_at')), h('th', null, ''))),
      h('tbody', null, items.map((i) => h('tr', { dataset: { kind: i.entity, id: i.id } },
        h('td', null, t(`entity.${i.entity}`)),
        h('td', null, h('a', { href: `#/${i.entity}/${i.id}` }, bdi(displayName(i.label_ar, i.label_latin)))),
        h('td', null, formatStamp(i.deleted_at)),
        h('td', null, h('button', { type: 'button', class: 'restore', onclick: async () => {
          try { await api.restore(i.entity, i.id); toast(t('toast.restored')); rerender(); } catch (e) { toastError(e); }
        } }, t('action.restore'))))))));
}
