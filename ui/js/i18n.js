// The interface language: the strings (from locales/*.yml via Rust), direction, and how dates,
// amounts, countries and choice values are shown.

import { api } from './api.js';

let strings = {};
let current = 'ar';
let reference = { countries: [], currencies: [] };
let countryNames = new Map();

export function lang() {
  return current;
}

export function ref() {
  return reference;
}

/** Loads `code`'s strings and reference data, and turns the page to its direction. */
export async function useLanguage(code) {
  const [bundle, data] = await Promise.all([api.bundle(code), api.reference(code)]);
  strings = bundle;
  reference = data;
  current = code;
  countryNames = new Map(data.countries.map((c) => [c.code, c.name]));
  reference.countries.sort((a, b) => a.name.localeCompare(b.name, code));
  const root = document.documentElement;
  root.lang = code;
  root.dir = code === 'ar' ? 'rtl' : 'ltr';
  document.title = `${t('app.name')} — ${t('app.council')}`;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
}

/** The string for `key`, with `%{name}` replaced from `args`. A missing key shows itself. */
export function t(key, args) {
  let text = Object.prototype.hasOwnProperty.call(strings, key) ? strings[key] : key;
  for (const [name, value] of Object.entries(args || {})) text = text.split(`%{${name}}`).join(String(value));
  return text;
}

/** A label and its value on one line, as the language writes it ("Statut : Tous" in French). */
export function labelled(label, value) {
  return t('list.labelled', { label, value });
}

/** `n` of a counted noun, agreeing in number: tn('day', 2) is "يومان" / "2 jours" / "2 days";
 * `grammaticalCase` is 'nom', 'acc' (an object) or 'gen' (after a preposition: "في بلدين").
 * The forms are the locale files' `count.<noun>.<category>` (the same as the papers' and the
 * CLI's, core/src/plural.rs); the category is CLDR's, from the browser's Intl.PluralRules,
 * tested equal to ICU4X's by the end-to-end tests. */
export function tn(noun, n, grammaticalCase = 'nom') {
  const category = new Intl.PluralRules(current).select(n);
  // Arabic's dual and "one" change with the case (core/src/plural.rs, `Case`).
  const variant = (category === 'two' && grammaticalCase !== 'nom' && 'two_obl') || (category === 'one' && grammaticalCase === 'acc' && 'one_acc') || category;
  const has = (k) => Object.prototype.hasOwnProperty.call(strings, k);
  const key = [`count.${noun}.${variant}`, `count.${noun}.${category}`].find(has) || `count.${noun}.other`;
  return t(key, { n });
}

/** The vote in words, as the papers say it ("27 موافقا، معارضان، ممتنع واحد"). */
export function voteLine(present, votesFor, against, abstentions) {
  return t('session.vote_line', { present: tn('present', present), for: tn('in_favour', votesFor), against: tn('against', against), abstain: tn('abstention', abstentions) });
}

/** Like `t`, but the arguments may be DOM nodes (a user's name in a <bdi>, so it cannot
 * reorder the sentence around it): returns the pieces to append. */
export function tParts(key, args) {
  let parts = [Object.prototype.hasOwnProperty.call(strings, key) ? strings[key] : key];
  for (const [name, value] of Object.entries(args || {})) {
    parts = parts.flatMap((p) => {
      if (typeof p !== 'string') return [p];
      const pieces = p.split(`%{${name}}`);
      return pieces.flatMap((piece, i) => (i === 0 ? [piece] : [value, piece]));
    });
  }
  return parts.filter((p) => p !== '');
}

/** A choice value in words: label('agreement_status', 'signed'). */
export function label(group, value) {
  return value ? t(`${group}.${value}`) : '';
}

export function countryName(code) {
  return countryNames.get(code) || code || '';
}

/** The name to show in this language, falling back on the other script. */
/** Between the items of a list in a line: the Arabic comma in Arabic. */
export function listSeparator() {
  return current === 'ar' ? '، ' : ', ';
}

export function displayName(ar, latin) {
  const [first, second] = current === 'ar' ? [ar, latin] : [latin, ar];
  return first || second || '';
}

/** The name in the other script, when a record has both (a subtitle under its title). */
export function otherName(ar, latin) {
  const [first, second] = current === 'ar' ? [ar, latin] : [latin, ar];
  return first && second ? second : '';
}

/** A stored partial date (2018-04-25, 2008-05, 2016) as written: 25 أبريل 2018, mai 2008. */
export function formatDate(iso) {
  if (!iso) return '';
  const [y, m, d] = String(iso).slice(0, 10).split('-');
  if (!m) return y;
  const month = t(`month.${Number(m)}`);
  if (!d) return `${month} ${y}`;
  const day = Number(d) === 1 && current === 'fr' ? '1er' : String(Number(d));
  return `${day} ${month} ${y}`;
}

/** A Hijri date {year, month, day} as official documents write it: 9 شعبان 1439 هـ. */
export function formatHijri(h) {
  if (!h) return '';
  return `${h.day} ${t(`hijri_month.${h.month}`)} ${h.year} ${t('hijri_month.era')}`;
}

/** " — forecast: the Ministry's announcement is not recorded" after a Hijri date resting on a
 * month Taawun forecast from the crescent (empty otherwise). */
export function forecastMark(forecast) {
  return forecast ? ` — ${t('calendar.forecast')}` : '';
}

/** A timestamp (RFC 3339) as a local date and time. */
export function formatStamp(stamp) {
  if (!stamp) return '';
  const date = new Date(stamp);
  if (Number.isNaN(date.getTime())) return stamp;
  const pad = (n) => String(n).padStart(2, '0');
  return `${formatDate(`${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`)} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Money in minor units as shown: 1 250 000,50 MAD (Western digits, as Morocco writes). */
export function formatMoney(money) {
  if (!money) return '';
  const cur = reference.currencies.find((c) => c.code === money.currency);
  const digits = cur ? cur.digits : 2;
  const scale = 10 ** digits;
  const whole = Math.trunc(money.minor / scale);
  const frac = money.minor % scale;
  const group = current === 'en' ? ',' : '\u202F';
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const decimals = digits > 0 && frac !== 0 ? (current === 'en' ? '.' : ',') + String(frac).padStart(digits, '0') : '';
  return `${grouped}${decimals} ${money.currency}`;
}
