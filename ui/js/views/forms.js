// The forms that create and edit records. Rust validates and normalises (dates, amounts,
// countries); a refused field gets its translated message next to it and nothing is saved.

import { api } from '../api.js';
import { h } from '../dom.js';
import { t, ref, displayName } from '../i18n.js';
import { field, input, textarea, choice, countrySelect, currencySelect, picker, showError, clearErrors, numberErrors, toast, trackEdits } from '../widgets.js';

const DATE = () => ({ placeholder: t('form.date_hint'), class: 'date', dir: 'auto' });
const lines = (text) => text.split('\n').map((s) => s.trim()).filter(Boolean);

/** A list of repeated rows (contacts, budget lines, activities) with add and remove. */
function rows(name, items, makeRow, addLabel) {
  const list = h('div', { class: 'rows', dataset: { field: name } });
  const add = (item) => {
    const r = makeRow(item);
    r.classList.add('row');
    r.append(h('button', { type: 'button', class: 'link remove-row', onclick: () => r.remove() }, t('action.remove')));
    list.append(r);
  };
  items.forEach(add);
  const wrap = h('div', { class: 'rows-wrap' }, list, h('button', { type: 'button', class: 'add-row', dataset: { add: name }, onclick: () => add(null) }, addLabel), h('div', { class: 'field-error', role: 'alert' }));
  wrap.rows = () => [...list.children];
  return wrap;
}

const val = (root, name) => root.querySelector(`[name="${name}"]`).value;

function partnerForm(rec) {
  const d = rec || { kind: 'foreign_collectivity', name_ar: '', name_latin: '', short_name: '', country: '', region: '', city: '', address: '', contacts: [], notes: '' };
  const contacts = rows('contacts', d.contacts, (c) => h('div', { class: 'contact' },
    field('contact_name', input('contact_name', c && c.name)), field('contact_role', input('contact_role', c && c.role)),
    field('contact_email', input('contact_email', c && c.email, { type: 'email', dir: 'ltr' })), field('contact_phone', input('contact_phone', c && c.phone, { type: 'tel', dir: 'ltr' }))), t('action.add_contact'));
  for (const el of contacts.querySelectorAll('[id]')) el.removeAttribute('id');
  const body = [
    field('kind', choice('kind', 'partner_kind', ref().partner_kind, d.kind)),
    field('name_ar', input('name_ar', d.name_ar, { dir: 'rtl', lang: 'ar' }), { required: true }),
    field('name_latin', input('name_latin', d.name_latin, { dir: 'ltr' })),
    field('short_name', input('short_name', d.short_name || '', { dir: 'ltr' })),
    field('country', countrySelect('country', d.country), { required: true }),
    field('region', input('region', d.region)), field('city', input('city', d.city)),
    field('address', textarea('address', d.address), { wide: true }),
    h('fieldset', { class: 'wide' }, h('legend', null, t('detail.contacts')), contacts),
    field('notes', textarea('notes', d.notes), { wide: true }),
  ];
  const collect = (form) => ({
    kind: val(form, 'kind'), name_ar: val(form, 'name_ar'), name_latin: val(form, 'name_latin'), short_name: val(form, 'short_name'), country: val(form, 'country'),
    region: val(form, 'region'), city: val(form, 'city'), address: val(form, 'address'), notes: val(form, 'notes'),
    contacts: contacts.rows().map((r) => ({ name: val(r, 'contact_name'), role: val(r, 'contact_role'), email: val(r, 'contact_email'), phone: val(r, 'contact_phone') })),
  });
  return { body, collect };
}

function agreementForm(rec, view) {
  const d = rec || { kind: 'partnership', title_ar: '', title_fr: '', legal_basis: '', reference: '', parties: [], areas: [], signed_on: '', signed_at: '', effective_from: '', duration_months: null, end_on: '', tacit_renewal: false, notes: '' };
  const chosen = view ? view.parties.map((p) => ({ id: p.id, label: displayName(p.name_ar, p.name_latin) })) : [];
  const parties = picker('parties', 'partner', chosen, { multiple: true });
  const legal = input('legal_basis', d.legal_basis, { list: 'legal-bases' });
  const body = [
    field('kind', choice('kind', 'agreement_kind', ref().agreement_kind, d.kind)),
    field('reference', input('reference', d.reference, { dir: 'auto' })),
    field('title_ar', input('title_ar', d.title_ar, { dir: 'rtl', lang: 'ar' }), { required: true, wide: true }),
    field('title_fr', input('title_fr', d.title_fr, { dir: 'ltr', lang: 'fr' }), { wide: true }),
    field('parties', parties, { required: true, wide: true }),
    field('legal_basis', legal, { wide: true }),
    h('datalist', { id: 'legal-bases' }, ['legal_art85', 'legal_art94', 'legal_art141'].map((k) => h('option', { value: t(`form.${k}`) }))),
    field('signed_on', input('signed_on', d.signed_on, DATE())), field('signed_at', input('signed_at', d.signed_at)),
    field('effective_from', input('effective_from', d.effective_from, DATE())),
    field('duration_months', input('duration_months', d.duration_months ?? '', { type: 'number', min: 1, max: 1200 })),
    field('end_on', input('end_on', d.end_on, DATE())),
    field('tacit_renewal', h('input', { type: 'checkbox', name: 'tacit_renewal', checked: d.tacit_renewal })),
    field('areas', input('areas', d.areas.join('، '), { dir: 'auto' }), { wide: true, hint: '، / ,' }),
    field('notes', textarea('notes', d.notes), { wide: true }),
  ];
  const collect = (form) => {
    const months = val(form, 'duration_months').trim();
    return {
      kind: val(form, 'kind'), title_ar: val(form, 'title_ar'), title_fr: val(form, 'title_fr'), legal_basis: val(form, 'legal_basis'), reference: val(form, 'reference'),
      parties: parties.values(), areas: val(form, 'areas').split(/[،,;]/).map((s) => s.trim()).filter(Boolean),
      signed_on: val(form, 'signed_on'), signed_at: val(form, 'signed_at'), effective_from: val(form, 'effective_from'),
      duration_months: months ? Number(months) : null, end_on: val(form, 'end_on'),
      tacit_renewal: form.querySelector('[name="tacit_renewal"]').checked, notes: val(form, 'notes'),
    };
  };
  return { body, collect };
}

function projectForm(rec, view, params) {
  const d = rec || { agreement_id: Number(params.get('agreement')) || null, title_ar: '', title_fr: '', fund: '', fund_edition: '', tranche: '', implementing_bodies: [], start_on: '', end_on: '', status: 'planned', budget_lines: [], activities: [], beneficiaries: '', notes: '' };
  // Contributors: the council and the chosen agreement's parties.
  let contributors = [];
  const refreshContributors = async (agreementId) => {
    contributors = [];
    if (agreementId) {
      const a = await api.view('agreement', agreementId);
      contributors = a.parties.map((p) => ({ id: p.id, label: displayName(p.name_ar, p.name_latin) }));
    }
    for (const sel of document.querySelectorAll('select[name="budget_partner"]')) fillContributors(sel, sel.value);
  };
  const fillContributors = (sel, selected) => {
    sel.replaceChildren(h('option', { value: '' }, t('detail.the_council')), contributors.map((c) => h('option', { value: c.id, selected: String(c.id) === String(selected) }, c.label)));
    if (selected && !contributors.some((c) => String(c.id) === String(selected))) sel.append(h('option', { value: selected, selected: true }, `#${selected}`));
  };
  const agreementChosen = d.agreement_id ? [{ id: d.agreement_id, label: view ? displayName(view.agreement_title_ar, view.agreement_title_fr) : `#${d.agreement_id}` }] : [];
  const agreement = picker('agreement_id', 'agreement', agreementChosen, { onChange: (items) => refreshContributors(items[0] && items[0].id) });
  const budget = rows('budget_lines', d.budget_lines, (l) => {
    const sel = h('select', { name: 'budget_partner' });
    fillContributors(sel, l ? l.partner_id : '');
    return h('div', { class: 'budget-line' }, field('budget_partner', sel), field('budget_label', input('budget_label', l && l.label)),
      field('budget_amount', input('budget_amount', l && l.amount, { dir: 'ltr', inputmode: 'decimal', placeholder: t('form.amount_hint') })), field('budget_amount_currency', currencySelect('budget_currency', l && l.currency)));
  }, t('action.add_line'));
  const activities = rows('activities', d.activities, (a) => h('div', { class: 'activity' },
    field('kind', choice('activity_kind', 'activity_kind', ref().activity_kind, a ? a.kind : 'training')), field('activity_title', input('activity_title', a && a.title)),
    field('activity_start_on', input('activity_start_on', a && a.start_on, DATE())), field('activity_end_on', input('activity_end_on', a && a.end_on, DATE())),
    field('people_trained', input('people_trained', a && a.people_trained != null ? a.people_trained : '', { type: 'number', min: 0 }))), t('action.add_activity'));
  for (const el of [...budget.querySelectorAll('[id]'), ...activities.querySelectorAll('[id]')]) el.removeAttribute('id');
  if (d.agreement_id) refreshContributors(d.agreement_id);
  const body = [
    field('agreement_id', agreement, { required: true, wide: true }),
    field('title_ar', input('title_ar', d.title_ar, { dir: 'rtl', lang: 'ar' }), { required: true, wide: true }),
    field('title_fr', input('title_fr', d.title_fr, { dir: 'ltr', lang: 'fr' }), { wide: true }),
    field('status', choice('status', 'project_status', ref().project_status, d.status)),
    field('fund', input('fund', d.fund)), field('fund_edition', input('fund_edition', d.fund_edition, { placeholder: '2019-2021', dir: 'ltr' })), field('tranche', input('tranche', d.tranche)),
    field('start_on', input('start_on', d.start_on, DATE())), field('end_on', input('end_on', d.end_on, DATE())),
    field('implementing_bodies', textarea('implementing_bodies', d.implementing_bodies.join('\n')), { wide: true }),
    h('fieldset', { class: 'wide' }, h('legend', null, t('detail.budget')), budget),
    h('fieldset', { class: 'wide' }, h('legend', null, t('detail.activities')), activities),
    field('beneficiaries', textarea('beneficiaries', d.beneficiaries), { wide: true }),
    field('notes', textarea('notes', d.notes), { wide: true }),
  ];
  const collect = (form) => ({
    agreement_id: agreement.values()[0] ?? 0, title_ar: val(form, 'title_ar'), title_fr: val(form, 'title_fr'), status: val(form, 'status'),
    fund: val(form, 'fund'), fund_edition: val(form, 'fund_edition'), tranche: val(form, 'tranche'), start_on: val(form, 'start_on'), end_on: val(form, 'end_on'),
    implementing_bodies: lines(val(form, 'implementing_bodies')), beneficiaries: val(form, 'beneficiaries'), notes: val(form, 'notes'),
    budget_lines: budget.rows().map((r) => ({ partner_id: val(r, 'budget_partner') ? Number(val(r, 'budget_partner')) : null, label: val(r, 'budget_label'), amount: val(r, 'budget_amount'), currency: val(r, 'budget_currency') })),
    activities: activities.rows().map((r) => ({ kind: val(r, 'activity_kind'), title: val(r, 'activity_title'), start_on: val(r, 'activity_start_on'), end_on: val(r, 'activity_end_on'),
      people_trained: val(r, 'people_trained') === '' ? null : Number(val(r, 'people_trained')), notes: '' })),
  });
  return { body, collect };
}

function membershipForm(rec, view) {
  const d = rec || { partner_id: null, since: '', dues_amount: '', dues_currency: 'MAD', notes: '' };
  const chosen = d.partner_id ? [{ id: d.partner_id, label: view ? displayName(view.partner_name_ar, view.partner_name_latin) : `#${d.partner_id}` }] : [];
  const org = picker('partner_id', 'partner', chosen);
  const body = [
    field('partner_id', org, { required: true, wide: true }),
    field('since', input('since', d.since, DATE()), { required: true }),
    field('dues_amount', input('dues_amount', d.dues_amount, { dir: 'ltr', inputmode: 'decimal', placeholder: t('form.amount_hint') })),
    field('dues_amount_currency', currencySelect('dues_currency', d.dues_currency)),
    field('notes', textarea('notes', d.notes), { wide: true }),
  ];
  const collect = (form) => ({ partner_id: org.values()[0] ?? 0, since: val(form, 'since'), dues_amount: val(form, 'dues_amount'), dues_currency: val(form, 'dues_currency'), notes: val(form, 'notes') });
  return { body, collect };
}

const FORMS = { partner: partnerForm, agreement: agreementForm, project: projectForm, membership: membershipForm };

/** The form view for a new record (`id` null) or an edit. */
export async function formView(kind, id, params) {
  const view = id ? await api.view(kind, id) : null;
  const record = view ? view.record : null;
  const { body, collect } = FORMS[kind](record, view, params);
  const title = record ? `${t('action.edit')} — ${t(`entity.${kind}`)}` : t(`new.${kind}`);
  const form = h('form', { class: 'record-form', id: 'record-form', novalidate: true, dataset: { kind } },
    h('div', { class: 'form-error', hidden: true, role: 'alert' }),
    h('div', { class: 'grid' }, body),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary', id: 'save' }, t('action.save')),
      h('a', { class: 'button', href: record ? `#/${kind}/${record.id}` : `#/${kind}s`, id: 'cancel' }, t('action.cancel'))));
  const markSaved = trackEdits(form);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const numbers = numberErrors(form);
    if (numbers) { showError(form, numbers); return; }
    const button = form.querySelector('#save');
    button.disabled = true;
    try {
      const saved = await api.save(kind, record ? record.id : null, collect(form), record ? record.updated_at : null);
      markSaved();
      toast(t('toast.saved'));
      location.hash = `#/${kind}/${saved.id}`;
    } catch (e) {
      showError(form, e);
    } finally {
      button.disabled = false;
    }
  });
  setTimeout(() => { const first = form.querySelector('input:not([type=checkbox]), select'); if (first) first.focus(); }, 0);
  return h('section', { class: 'form-view' }, h('h1', null, title), form);
}
