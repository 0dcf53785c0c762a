// Seeing a document without leaving Taawun: thumbnails in the documents table and a preview
// dialog with page turning. Images come as bounded JPEG renditions made by core (never the raw
// file, which could be a decompression bomb); PDF pages are drawn by pdf.js (vendored under
// ui/vendor/pdfjs, run in its worker, with eval disabled for the CSP) from bytes core has checked
// against the document's SHA-256. PDFs flagged protected or damaged are not drawn.

import { api } from './api.js';
import { h, bdi } from './dom.js';
import { t } from './i18n.js';
import { toastError } from './widgets.js';

const THUMB_SIDE = 192;
const PREVIEW_SIDE = 1600;
/** PDFs above this size get no thumbnail (their first page would cost the whole file). */
const PDF_THUMB_MAX_BYTES = 32 * 1024 * 1024;
/** The largest canvas pdf.js may draw a page into (about 4000×4000). */
const MAX_CANVAS_PIXELS = 16 * 1024 * 1024;

let pdfjsLoading = null;
/** Thumbnails are drawn one after the other. */
let thumbnailQueue = Promise.resolve();
function pdfjs() {
  if (!pdfjsLoading) {
    pdfjsLoading = import('../vendor/pdfjs/pdf.min.mjs').then((lib) => {
      lib.GlobalWorkerOptions.workerSrc = new URL('../vendor/pdfjs/pdf.worker.min.mjs', import.meta.url).href;
      return lib;
    });
  }
  return pdfjsLoading;
}

function isImage(d) {
  return ['image/jpeg', 'image/png', 'image/tiff'].includes(d.media_type);
}

function isDrawablePdf(d) {
  return d.media_type === 'application/pdf' && !d.warnings.some((w) => w === 'pdf_encrypted' || w === 'pdf_corrupt');
}

/** Whether Taawun can show this document itself. */
export function canPreview(d) {
  return isImage(d) || isDrawablePdf(d);
}

async function openPdf(id) {
  const [lib, bytes] = await Promise.all([pdfjs(), api.documentPdf(id)]);
  return lib.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableAutoFetch: true, stopAtErrors: false }).promise;
}

/** Draws one page into a canvas at most `width` CSS pixels wide. */
async function drawPage(pdf, number, canvas, width) {
  const page = await pdf.getPage(number);
  const base = page.getViewport({ scale: 1 });
  const ratio = window.devicePixelRatio || 1;
  let scale = (width / base.width) * ratio;
  if (base.width * base.height * scale * scale > MAX_CANVAS_PIXELS) scale = Math.sqrt(MAX_CANVAS_PIXELS / (base.width * base.height));
  const viewport = page.getViewport({ scale });
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
  await page.render({ canvasContext: canvas.getContext('2d'), viewport }).promise;
  page.cleanup();
}

function imageUrl(bytes) {
  return URL.createObjectURL(new Blob([bytes], { type: 'image/jpeg' }));
}

/** A small picture of the document (first page of a PDF), filled in when ready. */
export function thumbnail(d, onOpen) {
  const tile = h('button', { type: 'button', class: 'thumb', dataset: { thumb: d.id }, title: t('action.preview'), disabled: !canPreview(d) },
    h('span', { class: 'thumb-type' }, d.media_type === 'application/pdf' ? 'PDF' : (d.media_type.split('/')[1] || '?').toUpperCase()));
  if (canPreview(d)) tile.addEventListener('click', onOpen);
  const fill = async () => {
    if (isImage(d)) {
      const img = h('img', { alt: '', class: 'thumb-image' });
      img.src = imageUrl(await api.documentImage(d.id, THUMB_SIDE));
      await img.decode();
      tile.replaceChildren(img);
    } else if (isDrawablePdf(d) && d.size <= PDF_THUMB_MAX_BYTES) {
      const pdf = await openPdf(d.id);
      const canvas = h('canvas', { class: 'thumb-page' });
      await drawPage(pdf, 1, canvas, THUMB_SIDE / 2);
      pdf.destroy();
      tile.replaceChildren(canvas);
    } else {
      return;
    }
    tile.dataset.rendered = '1';
  };
  // One at a time, after the table is on screen: a record with many scans stays responsive.
  thumbnailQueue = thumbnailQueue.then(fill).catch(() => { tile.classList.add('thumb-failed'); });
  return tile;
}

/** The preview dialog: the image, or the PDF's pages with previous/next (arrow keys too). */
export async function openPreview(d) {
  const dialog = document.getElementById('preview');
  const stage = h('div', { class: 'preview-stage', id: 'preview-stage' }, h('p', { class: 'muted' }, t('documents.loading')));
  const pageLabel = h('span', { id: 'preview-page', class: 'muted' });
  const prev = h('button', { type: 'button', id: 'preview-prev' }, t('action.previous_page'));
  const next = h('button', { type: 'button', id: 'preview-next' }, t('action.next_page'));
  const nav = h('div', { class: 'inline preview-nav', hidden: true }, prev, pageLabel, next);
  const close = h('button', { type: 'button', id: 'preview-close' }, t('action.close'));
  dialog.replaceChildren(
    h('div', { class: 'preview-head' }, h('h2', null, bdi(d.title || d.original_name)), nav, close),
    stage,
    h('p', { class: 'preview-hash' }, 'SHA-256 ', h('code', { class: 'sha', dir: 'ltr' }, d.sha256)));
  let pdf = null;
  const cleanup = () => { if (pdf) pdf.destroy(); pdf = null; };
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', cleanup, { once: true });
  dialog.showModal();
  try {
    if (isImage(d)) {
      const img = h('img', { alt: d.title || d.original_name, class: 'preview-image', id: 'preview-image' });
      img.src = imageUrl(await api.documentImage(d.id, PREVIEW_SIDE));
      await img.decode();
      stage.replaceChildren(img);
      return;
    }
    pdf = await openPdf(d.id);
    let current = 1;
    const canvas = h('canvas', { class: 'preview-page', id: 'preview-canvas' });
    stage.replaceChildren(canvas);
    nav.hidden = pdf.numPages < 2;
    const show = async (n) => {
      if (!pdf || n < 1 || n > pdf.numPages) return;
      current = n;
      pageLabel.textContent = t('documents.page_of', { page: n, pages: pdf.numPages });
      prev.disabled = n === 1;
      next.disabled = n === pdf.numPages;
      await drawPage(pdf, n, canvas, Math.min(stage.clientWidth || 900, 1100));
      canvas.dataset.page = String(n);
    };
    // In a right-to-left page the "next" arrow points left.
    const rtl = document.documentElement.dir === 'rtl';
    prev.addEventListener('click', () => show(current - 1).catch(toastError));
    next.addEventListener('click', () => show(current + 1).catch(toastError));
    dialog.addEventListener('keydown', (ev) => {
      if (ev.key === 'ArrowLeft') show(current + (rtl ? 1 : -1)).catch(toastError);
      if (ev.key === 'ArrowRight') show(current + (rtl ? -1 : 1)).catch(toastError);
      if (ev.key === 'PageDown') show(current + 1).catch(toastError);
      if (ev.key === 'PageUp') show(current - 1).catch(toastError);
    });
    await show(1);
  } catch (e) {
    stage.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, e.message || String(e)));
  }
}
