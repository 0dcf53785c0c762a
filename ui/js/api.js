// The only module that calls Rust. Every call resolves with the result or rejects with an
// ApiError carrying the stable `code`, the translated `message`, the `field` it concerns and the
// `others` wrong at the same time.

import { t } from './i18n.js';

export class ApiError extends Error {
  constructor(report) {
    super(report.message);
    this.code = report.code;
    this.field = report.field ?? null;
    this.row = report.row ?? null;
    // The other fields wrong in the same record, each a report of its own (a form checked whole).
    this.others = report.others ?? [];
  }
}

async function call(cmd, args = {}) {
  const core = window.__TAURI__ && window.__TAURI__.core;
  if (!core) throw new ApiError({ code: 'internal', message: 'Tauri IPC is not available' });
  try {
    return await core.invoke(cmd, args);
  } catch (e) {
    if (e && typeof e === 'object' && 'code' in e) throw new ApiError(e);
    throw new ApiError({ code: 'internal', message: String(e) });
  }
}

export const api = {
  info: () => call('app_info'),
  bundle: (lang) => call('i18n_bundle', { lang }),
  setLang: (lang) => call('set_lang', { lang }),
  reference: (lang) => call('reference_data', { lang }),
  home: () => call('home'),
  figures: (year) => call('figures', { year }),
  list: (kind, query) => call('list_records', { kind, query }),
  count: (kind, query) => call('count_records', { kind, query }),
  view: (kind, id) => call('record_view', { kind, id }),
  save: (kind, id, data, expectedUpdatedAt) => call(`save_${kind}`, { id, data, expectedUpdatedAt }),
  setStatus: (id, status, on, note) => call('set_agreement_status', { id, status, on, note }),
  remove: (kind, id) => call('delete_record', { kind, id }),
  markComplete: (kind, id) => call('mark_complete', { kind, id }),
  restore: (kind, id) => call('restore_record', { kind, id }),
  trash: () => call('list_trash'),
  history: (kind, id) => call('record_history', { kind, id }),
  loadSample: () => call('load_sample'),
  removeSample: () => call('remove_sample'),
  documents: (kind, id) => call('record_documents', { kind, id }),
  attach: (kind, id, paths, data) => call('attach_documents', { kind, id, paths, data }),
  exportDocument: (id, dest) => call('export_document', { id, dest }),
  verifyVault: () => call('verify_vault'),
  checkDocuments: (kind, id) => call('check_documents', { kind, id }),
  saveDocument: (id, data, expectedUpdatedAt) => call('save_document', { id, data, expectedUpdatedAt }),
  openDocument: (id) => call('open_document', { id }),
  saveSession: (id, data, expectedUpdatedAt) => call('save_session', { id, data, expectedUpdatedAt }),
  savePoint: (id, sessionId, data, expectedUpdatedAt) => call('save_point', { id, sessionId, data, expectedUpdatedAt }),
  movePoint: (id, to) => call('move_point', { id, to }),
  saveDeliberation: (id, pointId, data, expectedUpdatedAt) => call('save_deliberation', { id, pointId, data, expectedUpdatedAt }),
  recordNotification: (sessionId, sentOn, receiptOn) => call('record_notification', { sessionId, sentOn, receiptOn }),
  recordOpposition: (id, on, reason) => call('record_opposition', { id, on, reason }),
  recordVisa: (id, visa) => call('record_visa', { id, visa }),
  due: () => call('due'),
  dueGroups: (limit) => call('due_groups', { limit }),
  dueGroup: (group, offset, limit) => call('due_group', { group, offset, limit }),
  ordinaryOpening: (year, month) => call('ordinary_opening', { year, month }),
  hijriMonths: () => call('hijri_months'),
  recordHijriMonth: (year, month, shift) => call('record_hijri_month', { year, month, shift }),
  forgetHijriMonth: (year, month) => call('forget_hijri_month', { year, month }),
  search: (query, filters, limit) => call('search', { query, filters, limit }),
  exportList: (kind, query, format, dest) => call('export_list', { kind, query, format, dest }),
  importPreview: (path, options) => call('import_preview', { path, options }),
  importCommit: (path, options) => call('import_commit', { path, options }),
  deskIdentity: () => call('desk_identity'),
  setDeskName: (name) => call('set_desk_name', { name }),
  exportBundle: (dest, since) => call('export_bundle', { dest, since }),
  importBundle: (path) => call('import_bundle', { path }),
  bundleConflicts: () => call('bundle_conflicts'),
  numberClashes: () => call('number_clashes'),
  resolveConflict: (id, takeRemote) => call('resolve_conflict', { id, takeRemote }),
  createBackup: (dest) => call('create_backup', { dest }),
  lastBackup: () => call('last_backup'),
  autoBackupStatus: () => call('auto_backup_status'),
  saveAutoBackup: (settings) => call('save_auto_backup', { settings }),
  runAutoBackup: () => call('run_auto_backup'),
  openedBackup: () => call('opened_backup'),
  restoreOpenedBackup: (restore) => call('restore_opened_backup', { restore }),
  /** The system's folder dialog: the chosen folder, or null if cancelled. */
  chooseFolder: async () => {
    const chosen = await call('plugin:dialog|open', { options: { multiple: false, directory: true, title: t('dialog.folder') } });
    if (!chosen) return null;
    return typeof chosen === 'string' ? chosen : chosen.path;
  },
  /** Calls `handler()` when an automatic backup has been made while the window is open. */
  onBackupMade: (handler) => {
    const tauriEvent = window.__TAURI__ && window.__TAURI__.event;
    if (tauriEvent) tauriEvent.listen('backup-made', () => handler());
  },
  onBackupProgress: (handler) => {
    const tauriEvent = window.__TAURI__ && window.__TAURI__.event;
    return tauriEvent ? tauriEvent.listen('backup-progress', (e) => handler(e.payload)) : Promise.resolve(() => {});
  },
  printSheet: (id, lang, dest) => call('print_sheet', { id, lang, dest }),
  openPrinted: () => call('open_printed'),
  councilIdentity: () => call('council_identity'),
  saveCouncilIdentity: (identity) => call('save_council_identity', { identity }),
  setCouncilEmblem: (path) => call('set_council_emblem', { path }),
  exportDossier: (sessionId, pointId, lang, dest, edition = 'print') => call('export_dossier', { sessionId, pointId, lang, dest, edition }),
  printPaper: (paper, sessionId, pointId, lang, dest) => call('print_paper', { paper, sessionId, pointId, lang, dest }),
  printReport: (year, lang, dest) => call('print_report', { year, lang, dest }),
  exportCalendar: (dest) => call('export_calendar', { dest }),
  saveMember: (id, data, expectedUpdatedAt) => call('save_member', { id, data, expectedUpdatedAt }),
  legalSettings: () => call('legal_settings'),
  saveLegalSettings: (settings) => call('save_legal_settings', { settings }),
  /** A JPEG rendition (ArrayBuffer) of an image document, at most `side` pixels. */
  documentImage: (id, side) => call('document_image', { id, side }),
  /** The bytes (ArrayBuffer) of a PDF document, checked against its hash. */
  documentPdf: (id) => call('document_pdf', { id }),
  /** Calls `handler({file, files, done, total})` while files are copied into the vault. */
  onAttachProgress: (handler) => {
    const tauriEvent = window.__TAURI__ && window.__TAURI__.event;
    return tauriEvent ? tauriEvent.listen('attach-progress', (e) => handler(e.payload)) : Promise.resolve(() => {});
  },
  /** Calls `handler({done, total})` while the vault is being verified; returns the unlisten promise. */
  onVaultProgress: (handler) => {
    const tauriEvent = window.__TAURI__ && window.__TAURI__.event;
    return tauriEvent ? tauriEvent.listen('vault-verify-progress', (e) => handler(e.payload)) : Promise.resolve(() => {});
  },
  /** The system's open dialog: the chosen paths, or [] if cancelled. */
  chooseFiles: async () => {
    const chosen = await call('plugin:dialog|open', { options: { multiple: true, directory: false, title: t('dialog.attach') } });
    if (!chosen) return [];
    return (Array.isArray(chosen) ? chosen : [chosen]).map((p) => (typeof p === 'string' ? p : p.path));
  },
  /** The system's open dialog for one spreadsheet: its path, or null if cancelled. */
  /** The system's open dialog for one exchange bundle: its path, or null if cancelled. */
  chooseBundle: async () => {
    const chosen = await call('plugin:dialog|open', { options: { multiple: false, directory: false, title: t('dialog.bundle'), filters: [{ name: 'Taawun', extensions: ['taawun-bundle'] }] } });
    if (!chosen) return null;
    return typeof chosen === 'string' ? chosen : chosen.path;
  },
  chooseSpreadsheet: async () => {
    const chosen = await call('plugin:dialog|open', { options: { multiple: false, directory: false, title: t('dialog.spreadsheet'), filters: [{ name: 'XLSX, XLS, ODS, CSV', extensions: ['xlsx', 'xlsm', 'xls', 'ods', 'csv', 'txt', 'tsv'] }] } });
    if (!chosen) return null;
    return typeof chosen === 'string' ? chosen : chosen.path;
  },
  /** The system's save dialog: the chosen path, or null if cancelled. */
  chooseSavePath: (defaultPath) => call('plugin:dialog|save', { options: { defaultPath, title: t('dialog.save') } }),
  /** Calls `handler(paths)` when files are dropped on the window. */
  onFileDrop: (handler) => {
    const tauriEvent = window.__TAURI__ && window.__TAURI__.event;
    if (tauriEvent) tauriEvent.listen('tauri://drag-drop', (e) => handler((e.payload && e.payload.paths) || []));
  },
};
