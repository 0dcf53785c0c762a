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
/** A select of a choice list; `opts.label` names it where no <label> does (a list's filters). */
export function choice(name, group, values, selected, opts = {}) {
  return h('select', { name, 'aria-label': opts.label },
    opts.empty ? h('option', { value: '' }, opts.empty) : null,
    values.map((v) => h('option', { value: v, selected: v === selected }, label(group, v))));
}

export function countrySelect(name, selected, opts = {}) {
  return h('select', { name, 'aria-label': opts.label },
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
  // Every wrong field of the record at once (the core checks a record whole), focus on the first.
  let first = null;
  for (const one of [err, ...(err.others || [])]) {
    // A field of a repeated group (budget line, contact...) names its row: the n-th such field.
    const fields = one.field ? form.querySelectorAll(`[data-field="${CSS.escape(one.field)}"]`) : [];
    const wrapOf = fields[one.row ?? 0] || null;
    const slot = wrapOf && wrapOf.querySelector('.field-error');
    if (slot) {
      slot.textContent = one.message;
      const wrap = slot.closest('[data-field]');
      wrap.classList.add('invalid');
      const control = wrap.querySelector('input, select, textarea');
      if (control) {
        control.setAttribute('aria-invalid', 'true');
        first = first || control;
        // Kept until this field is edited: then it is the next save's to judge.
        control.addEventListener('input', () => {
          slot.textContent = '';
          wrap.classList.remove('invalid');
          control.removeAttribute('aria-invalid');
        }, { once: true });
      }
    } else {
      const banner = form.querySelector('.form-error');
      banner.textContent = banner.hidden ? one.message : `${banner.textContent} ${one.message}`;
      banner.hidden = false;
      banner.scrollIntoView({ block: 'nearest' });
    }
  }
  if (first) first.focus();
}

/** The numbers of `form` out of their range (or not numbers), as the core reports errors, all
 * at once: null when every number reads. */
export function numberErrors(form) {
  const found = [];
  for (const wrap of form.querySelectorAll('[data-field]')) {
    const control = wrap.querySelector('input[type=number], input[inputmode=numeric]');
    if (!control || wrap.closest('[hidden]')) continue;
    const v = control.validity;
    const text = control.value.trim();
    // A count typed as text (members in office, present): a whole number, as a count is stored.
    const badCount = control.type !== 'number' && text !== '' && !(/^[0-9]+$/.test(text) && Number(text) <= 4294967295);
    if (badCount || v.badInput || v.rangeOverflow || v.rangeUnderflow || v.stepMismatch) {
      const rows = [...form.querySelectorAll(`[data-field="${CSS.escape(wrap.dataset.field)}"]`)];
      found.push({ code: 'invalid.out_of_range', field: wrap.dataset.field, row: rows.indexOf(wrap),
        message: t('error.invalid.out_of_range', { field: t(`field.${wrap.dataset.field}`) }) });
    }
  }
  return found.length ? { ...found[0], others: found.slice(1) } : null;
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
  let options = [];
  let active = -1;
  const chips = h('div', { class: 'chips' });
  const listId = `f-${name}-options`;
  const results = h('div', { class: 'picker-results', role: 'listbox', id: listId, 'aria-label': t(`field.${name}`) });
  // A combobox: type to find, arrows to move, Enter to pick (never to submit the form), Escape
  // to close the list.
  const search = h('input', { type: 'search', id: `f-${name}`, class: 'picker-search', autocomplete: 'off', placeholder: t('list.search'),
    role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listId });
  const wrap = h('div', { class: 'picker', dataset: { picker: name } }, chips, search, results);
  wrap.values = () => items.map((i) => i.id);
  // The form holding the picker hears of a pick or a removal as of any edit.
  const changed = () => wrap.dispatchEvent(new Event('change', { bubbles: true }));
  const render = () => {
    chips.replaceChildren(...items.map((item) => h('span', { class: 'chip', dataset: { id: item.id } }, bdi(item.label),
      h('button', { type: 'button', class: 'chip-remove', 'aria-label': `${t('action.remove')}: ${item.label}`, onclick: () => { items = items.filter((i) => i.id !== item.id); render(); onChange(items); changed(); } }, '×'))));
  };
  const close = () => {
    options = [];
    active = -1;
    results.replaceChildren();
    search.setAttribute('aria-expanded', 'false');
    search.removeAttribute('aria-activedescendant');
  };
  const highlight = (i) => {
    active = i;
    options.forEach((o, k) => o.setAttribute('aria-selected', String(k === i)));
    if (options[i]) {
      search.setAttribute('aria-activedescendant', options[i].id);
      options[i].scrollIntoView({ block: 'nearest' });
    }
  };
  const pick = (r, text) => {
    const item = { id: r.id, label: text, row: r };
    items = multiple ? [...items.filter((i) => i.id !== r.id), item] : [item];
    search.value = '';
    close();
    render();
    onChange(items);
    changed();
    search.focus();
  };
  const find = debounce(async () => {
    const q = search.value.trim();
    if (!q) { close(); return; }
    const page = await api.list(kind, { q, limit: 8 });
    options = page.items.map((r, i) => {
      const text = kind === 'partner' ? displayName(r.name_ar, r.name_latin) : displayName(r.title_ar, r.title_fr);
      return h('div', { role: 'option', id: `${listId}-${i}`, class: 'picker-option', 'aria-selected': 'false', dataset: { id: r.id },
        onmousedown: (ev) => ev.preventDefault(), onclick: () => pick(r, text) }, bdi(text));
    });
    results.replaceChildren(...options);
    search.setAttribute('aria-expanded', String(options.length > 0));
    highlight(options.length ? 0 : -1);
  }, 120);
  search.addEventListener('input', find);
  search.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown' && options.length) {
      ev.preventDefault();
      highlight((active + 1) % options.length);
    } else if (ev.key === 'ArrowUp' && options.length) {
      ev.preventDefault();
      highlight((active - 1 + options.length) % options.length);
    } else if (ev.key === 'Enter') {
      // Enter in the picker picks; it never submits the whole form.
      ev.preventDefault();
      if (options[active]) options[active].click();
    } else if (ev.key === 'Escape' && options.length) {
      ev.preventDefault();
      ev.stopPropagation();
      close();
    }
  });
  render();
  return wrap;
}

/** The view on screen with edits not saved, asked before the window leaves it (app.js). */
let unsavedEdits = null;

/** Whether the view on screen holds edits not saved. */
export function editsUnsaved() {
  return Boolean(unsavedEdits && unsavedEdits());
}

/** A new view: nothing to lose yet. */
export function forgetEdits() {
  unsavedEdits = null;
}

/** Marks `form` edited on any input (a picker's pick or removal included), until saved; returns
 * the function that says it was saved. */
export function trackEdits(form) {
  let edited = false;
  for (const event of ['input', 'change']) form.addEventListener(event, () => { edited = true; });
  unsavedEdits = () => edited;
  return () => { edited = false; };
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
