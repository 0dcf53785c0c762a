// Shared pieces of the views: form fields with their error slot, choice lists, the record
// picker, the confirmation dialog and toasts.

import { api } from './api.js';
import { h, debounce, bdi } from './dom.js';
import { t, label, ref, displayName } from './i18n.js';

/** A labelled form field; its error appears in the slot below it (by `data-field`). */
export function field(name, control, opts = {}) {
  // The label points at the focusable control (for a picker: its search box).
  const target = control.matches('input, select, textarea') ? control : control.querySelector('input, select, textarea');
  target.id = target.id || `f-${name}`;
  return h('div', { class: `field ${opts.wide ? 'wide' : ''}`, dataset: { field: name } },
    h('label', { for: target.id }, opts.label || t(`field.${name}`), opts.required ? h('span', { class: 'req', title: t('form.required') }, ' *') : null),
    control,
    opts.hint ? h('small', { class: 'hint' }, opts.hint) : null,
    h('div', { class: 'field-error', id: `err-${name}`, role: 'alert' }));
}

export function input(name, value, attrs = {}) {
  return h('input', { name, value: value ?? '', type: 'text', autocomplete: 'off', ...attrs });
}

export function textarea(name, value, attrs = {}) {
  const el = h('textarea', { name, rows: 3, ...attrs });
  el.value = value ?? '';
  return el;
}

/** A select of a choice list (`group` names the locale keys of its values). */
export function choice(name, group, values, selected, opts = {}) {
  return h('select', { name },
    opts.empty ? h('option', { value: '' }, opts.empty) : null,
    values.map((v) => h('option', { value: v, selected: v === selected }, label(group, v))));
}

export function countrySelect(name, selected, opts = {}) {
  return h('select', { name },
    h('option', { value: '' }, opts.empty || t('form.choose')),
    ref().countries.map((c) => h('option', { value: c.code, selected: c.code === selected }, `${c.name} (${c.code})`)));
}

export function currencySelect(name, selected) {
  return h('select', { name, class: 'currency' },
    ref().currencies.map((c) => h('option', { value: c.code, selected: c.code === (selected || 'MAD'), title: c.name }, c.code)));
}

/** Shows a save error next to its field, or in the form's banner. */
export function showError(form, err) {
  clearErrors(form);
  // A field of a repeated group (budget line, contact...) names its row: the n-th such field.
  const fields = err.field ? form.querySelectorAll(`[data-field="${CSS.escape(err.field)}"]`) : [];
  const wrapOf = fields[err.row ?? 0] || null;
  const slot = wrapOf && wrapOf.querySelector('.field-error');
  if (slot) {
    slot.textContent = err.message;
    const wrap = slot.closest('[data-field]');
    wrap.classList.add('invalid');
    const control = wrap.querySelector('input, select, textarea');
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      control.focus();
    }
  } else {
    const banner = form.querySelector('.form-error');
    banner.textContent = err.message;
    banner.hidden = false;
    banner.scrollIntoView({ block: 'nearest' });
  }
}

export function clearErrors(form) {
  for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
  for (const el of form.querySelectorAll('.invalid')) el.classList.remove('invalid');
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const banner = form.querySelector('.form-error');
  if (banner) banner.hidden = true;
}

/**
 * Chooses records of `kind` by typing part of a name: chips for the chosen ones, a search box,
 * and a short list of matches. `multiple` keeps several; otherwise choosing replaces.
 */
export function picker(name, kind, chosen, { multiple = false, onChange = () => {} } = {}) {
  let items = [...chosen];
  const chips = h('div', { class: 'chips' });
  const results = h('div', { class: 'picker-results', role: 'listbox' });
  const search = h('input', { type: 'search', id: `f-${name}`, class: 'picker-search', autocomplete: 'off', placeholder: t('list.search') });
  const wrap = h('div', { class: 'picker', dataset: { picker: name } }, chips, search, results);
  wrap.values = () => items.map((i) => i.id);
  const render = () => {
    chips.replaceChildren(...items.map((item) => h('span', { class: 'chip', dataset: { id: item.id } }, bdi(item.label),
      h('button', { type: 'button', class: 'chip-remove', 'aria-label': t('action.remove'), onclick: () => { items = items.filter((i) => i.id !== item.id); render(); onChange(items); } }, '×'))));
  };
  const find = debounce(async () => {
    const q = search.value.trim();
    if (!q) { results.replaceChildren(); return; }
    const page = await api.list(kind, { q, limit: 8 });
    results.replaceChildren(...page.items.map((r) => {
      const text = kind === 'partner' ? displayName(r.name_ar, r.name_latin) : displayName(r.title_ar, r.title_fr);
      return h('button', { type: 'button', role: 'option', class: 'picker-option', dataset: { id: r.id },
        onclick: () => {
          const item = { id: r.id, label: text, row: r };
          items = multiple ? [...items.filter((i) => i.id !== r.id), item] : [item];
          search.value = '';
          results.replaceChildren();
          render();
          onChange(items);
        } }, bdi(text));
    }));
  }, 120);
  search.addEventListener('input', find);
  render();
  return wrap;
}

/** Asks before a destructive action. Resolves true when confirmed. */
export function confirmDialog(title, body, okLabel) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-body').replaceChildren(...(Array.isArray(body) ? body : [body]));
  document.getElementById('confirm-ok').textContent = okLabel || t('action.delete');
  document.getElementById('confirm-cancel').textContent = t('action.cancel');
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    document.getElementById('confirm-cancel').focus();
  });
}

/** A short message at the bottom, with an optional action (Undo). */
export function toast(message, action) {
  const box = document.getElementById('toasts');
  const el = h('div', { class: `toast ${action && action.error ? 'toast-error' : ''}` }, h('span', null, message),
    action && action.label ? h('button', { type: 'button', onclick: async () => { el.remove(); await action.run(); } }, action.label) : null);
  box.append(el);
  setTimeout(() => el.remove(), action && action.label ? 10000 : 4000);
}

/** Shows an error from Rust as a toast (when it belongs to no form). */
export function toastError(err) {
  toast(err.code === 'internal' ? t('error.internal', { detail: err.message }) : err.message, { error: true });
}
