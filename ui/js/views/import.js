// Bringing a spreadsheet in: the file chosen in the open dialog (or dropped) arrives as
// `#/import?kind=…&file=…`; Rust reads it and says what every row would become; the officer
// checks the columns, sees the first rows and every wrong row with its number, and confirms.
// Nothing is written before the confirmation, and then everything in one transaction.

import { api } from '../api.js';
import { h, bdi, mount } from '../dom.js';
import { countryName, t, tn } from '../i18n.js';
import { countrySelect, toast, toastError } from '../widgets.js';

const KINDS = ['partner', 'agreement', 'project', 'membership'];
/** Encodings a text file may be read in (encoding_rs names, lower case). */
const ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1256', 'windows-1252'];

/** Opens the import page on a file (chosen in the dialog, or dropped on a list). */
export function openImport(kind, path) {
  location.hash = `#/import?kind=${encodeURIComponent(kind || '')}&file=${encodeURIComponent(path)}`;
}

/** Asks for a spreadsheet and opens the import page on it. */
export async function chooseImportFile(kind) {
  try {
    const path = await api.chooseSpreadsheet();
    if (path) openImport(kind, path);
  } catch (e) { toastError(e); }
}

function fileName(path) {
  return path.split(/[\\/]/).pop();
}

export async function importView(params) {
  const path = params.get('file') || '';
  // The kind is told from the file's columns; the list it came from is the fallback.
  const listKind = params.get('kind') || null;
  const options = { kind: null, mapping: null, skip_errors: false, sheet: null, encoding: null, values: {} };
  const body = h('div', { id: 'import-body' });
  const status = h('p', { class: 'status-line', id: 'import-status', role: 'status' });
  const section = h('section', { class: 'import-view', id: 'import' },
    h('h1', null, t('import.title')),
    h('p', null, t('import.file'), ' ', h('bdi', { id: 'import-file', dir: 'auto' }, fileName(path))),
    body, status);
  let preview = null;
  let lastGood = null;

  async function load() {
    status.textContent = t('import.reading');
    try {
      preview = await api.importPreview(path, options);
      options.kind = preview.kind;
      lastGood = { ...options };
      status.textContent = '';
      render();
    } catch (e) {
      status.textContent = '';
      if (preview) {
        // A choice that does not read (an encoding the bytes are not in): said, and undone.
        toastError(e);
        Object.assign(options, lastGood);
        render();
        return;
      }
      if (e.field === 'kind' && !options.kind && listKind) {
        options.kind = listKind;
        await load();
        return;
      }
      mount(body, h('div', { class: 'error-page', role: 'alert', id: 'import-error' }, h('p', null, e.message),
        h('button', { type: 'button', onclick: () => history.back() }, t('action.cancel'))));
    }
  }

  function render() {
    const p = preview;
    const kindSelect = h('select', { id: 'import-kind', 'aria-label': t('import.kind') },
      KINDS.map((k) => h('option', { value: k, selected: k === p.kind }, t(`entity.${k}`))));
    kindSelect.addEventListener('change', () => { options.kind = kindSelect.value; options.mapping = null; load(); });
    // Another worksheet of a workbook; another encoding of a text file when the guess was wrong.
    const sheetSelect = p.sheets.length > 1 ? h('select', { id: 'import-sheet', 'aria-label': t('field.sheet') },
      p.sheets.map((name) => h('option', { value: name, selected: name === p.sheet }, name))) : null;
    if (sheetSelect) sheetSelect.addEventListener('change', () => { options.sheet = sheetSelect.value; options.mapping = null; load(); });
    const used = (p.encoding || '').split(' ')[0].toLowerCase();
    const encodingSelect = p.encoding ? h('select', { id: 'import-encoding', 'aria-label': t('field.encoding') },
      ENCODINGS.map((e) => h('option', { value: e, selected: e === used }, e))) : null;
    if (encodingSelect) encodingSelect.addEventListener('change', () => { options.encoding = encodingSelect.value; load(); });

    // One select per column: which field it fills, or ignored.
    const mappingRows = p.columns.map((column, i) => {
      const select = h('select', { 'data-column': String(i), 'aria-label': column || `#${i + 1}` },
        h('option', { value: '' }, t('import.ignore')),
        p.fields.map((f) => h('option', { value: f, selected: p.mapping[i] === f }, t(`field.${f}`))));
      select.addEventListener('change', () => {
        options.mapping = p.columns.map((_, j) => (j === i ? select.value : p.mapping[j]) || null);
        // A field fills one column: another column that had it lets it go.
        if (select.value) options.mapping = options.mapping.map((f, j) => (j !== i && f === select.value ? null : f));
        load();
      });
      return h('tr', null, h('td', null, h('bdi', null, column || `#${i + 1}`)), h('td', null, select));
    });

    const c = p.counts;
    const summary = h('p', { id: 'import-counts', class: c.error ? 'warning' : '' },
      t('import.counts', { rows: tn('row', p.total_rows), create: c.create, update: c.update, unchanged: c.unchanged, error: c.error }));
    const facts = [
      p.sheet ? t('import.sheet', { sheet: p.sheet }) : null,
      p.skipped_sheets.length ? t('import.hidden_sheets', { sheets: p.skipped_sheets.join('، ') }) : null,
      p.encoding ? t('import.encoding', { encoding: p.encoding }) : null,
      t(`import.mapping_${p.mapping_source}`),
    ].filter(Boolean).join(' · ');

    // Values no row could be read with, once each: the officer says what each means.
    const unknown = p.unknown_values.map((v) => {
      const choose = v.choices.length
        ? h('select', { 'data-value': v.value, 'aria-label': v.value },
          h('option', { value: '' }, t('import.choose_value')),
          v.choices.map(([code, label]) => h('option', { value: code }, label)))
        : countrySelect('', '', { empty: t('import.choose_value') });
      choose.dataset.value = v.value;
      choose.setAttribute('aria-label', v.value);
      choose.addEventListener('change', () => {
        const code = choose.value.trim();
        if (!code) return;
        options.values = { ...options.values, [v.value]: code };
        load();
      });
      return h('tr', { dataset: { field: v.field } },
        h('td', null, t('import.unknown_value', { column: v.column || t(`field.${v.field}`), value: v.value, count: tn('row', v.count, 'gen'), row: v.first_row })),
        h('td', null, choose));
    });
    const newPartners = p.new_partners.map((np) => h('li', null, t('import.new_partner', {
      name: np.data.name_ar || np.data.name_latin,
      kind: t(`partner_kind.${np.data.kind}`),
      country: countryName(np.data.country),
      rows: np.rows.join('، '),
    })));

    const rows = p.rows.map((r) => h('tr', { class: `import-${r.action}`, dataset: { row: String(r.row), action: r.action } },
      h('td', { class: 'num' }, String(r.row)),
      h('td', null, h('span', { class: `badge action-${r.action}` }, t(`import.action_${r.action}`)),
        r.flagged ? [' ', h('span', { class: 'badge action-to_complete' }, t('import.action_to_complete'))] : null,
        r.matched_by ? h('small', { class: 'hint' }, ' ', t(`import.matched_${r.matched_by}`)) : null),
      h('td', null, bdi(r.label || '—'), r.derived.length ? h('small', { class: 'hint derived' }, ' ', t('import.derived')) : null, r.values.length
        ? h('div', { class: 'import-values hint' }, r.values.filter(([f]) => !['title_ar', 'title_fr', 'name_ar', 'name_latin'].includes(f))
          .map(([f, v], i) => [i ? ' · ' : '', `${t(`field.${f}`)}: `, h('bdi', null, v)]))
        : null),
      h('td', { class: 'import-errors' }, r.errors.map((e) => h('div', { class: 'field-error' },
        e.message, e.value ? h('span', null, ' «', h('bdi', null, e.value), '»') : null)),
      // Brought in as it is: what the record lacks, the cell's text kept in its notes.
      r.to_complete.map((e) => h('div', { class: 'field-warning' },
        e.message, e.value ? h('span', null, ' «', h('bdi', null, e.value), '»') : null)))));

    const skip = h('input', { type: 'checkbox', id: 'import-skip', checked: options.skip_errors });
    const writes = c.create + c.update;
    const confirm = h('button', { type: 'button', id: 'import-confirm', class: 'primary', disabled: writes === 0 || (c.error > 0 && !options.skip_errors) },
      t('import.confirm', { rows: tn('record', writes, 'gen') }));
    skip.addEventListener('change', () => { options.skip_errors = skip.checked; confirm.disabled = writes === 0 || (c.error > 0 && !skip.checked); });
    confirm.addEventListener('click', async () => {
      confirm.disabled = true;
      status.textContent = t('import.writing');
      try {
        const done = await api.importCommit(path, { ...options, mapping: p.mapping, kind: p.kind, digest: p.digest });
        toast(t('import.done', { create: done.created, update: done.updated, unchanged: done.unchanged, skipped: done.skipped, partners: done.new_partners }));
        location.hash = `#/${p.kind}s`;
      } catch (e) {
        status.textContent = '';
        confirm.disabled = false;
        toastError(e);
      }
    });

    mount(body,
      h('p', { class: 'hint', id: 'import-facts' }, facts),
      p.encoding_evidence ? h('p', { class: 'hint', id: 'import-evidence' }, bdi(p.encoding_evidence)) : null,
      h('div', { class: 'filters' }, h('label', { for: 'import-kind' }, t('import.kind')), kindSelect,
        sheetSelect ? [h('label', { for: 'import-sheet' }, t('field.sheet')), sheetSelect] : null,
        encodingSelect ? [h('label', { for: 'import-encoding' }, t('field.encoding')), encodingSelect] : null),
      h('h2', null, t('import.columns')),
      h('table', { class: 'list import-mapping', id: 'import-mapping' },
        h('thead', null, h('tr', null, h('th', null, t('import.column')), h('th', null, t('import.field')))),
        h('tbody', null, mappingRows)),
      unknown.length ? [h('h2', null, t('import.unknown_values')),
        h('table', { class: 'list import-unknown', id: 'import-unknown' }, h('tbody', null, unknown))] : null,
      newPartners.length ? [h('h2', null, t('import.new_partners', { count: newPartners.length })),
        h('ul', { id: 'import-new-partners' }, newPartners)] : null,
      h('h2', null, t('import.rows')),
      summary,
      c.to_complete ? h('p', { class: 'notice', id: 'import-to-complete' }, t('import.to_complete_rows', { count: tn('row', c.to_complete) })) : null,
      h('table', { class: 'list import-rows', id: 'import-rows' },
        h('thead', null, h('tr', null, h('th', null, t('import.row')), h('th', null, t('import.what')), h('th', null, t('import.record')), h('th', null, t('import.problems')))),
        h('tbody', null, rows)),
      p.total_rows > p.rows.length ? h('p', { class: 'hint' }, t('import.more_rows', { shown: p.rows.length, rows: tn('row', p.total_rows, 'gen') })) : null,
      h('div', { class: 'actions' },
        c.error ? h('label', { class: 'inline' }, skip, t('import.skip_errors', { error: c.error })) : null,
        confirm,
        h('button', { type: 'button', id: 'import-cancel', onclick: () => history.back() }, t('action.cancel'))));
  }

  if (!path) {
    mount(body, h('button', { type: 'button', onclick: () => chooseImportFile(listKind) }, t('action.import_list')));
    return section;
  }
  await load();
  return section;
}
