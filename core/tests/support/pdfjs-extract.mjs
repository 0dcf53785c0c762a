// Reads a PDF's text with the vendored pdf.js (ui/vendor/pdfjs), the way its viewer lays it out:
// the text items of each page in order, a line break where pdf.js ends a line.
// Usage: node pdfjs-extract.mjs PDFJS_DIR FILE.pdf
if (!Promise.withResolvers) {
  // Node 20 lacks it; pdf.js 4.10 uses it.
  Promise.withResolvers = function () {
    let resolve, reject;
    const promise = new Promise((a, b) => {
      resolve = a;
      reject = b;
    });
    return { promise, resolve, reject };
  };
}
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [dir, file] = process.argv.slice(2);
const pdfjs = await import(pathToFileURL(`${dir}/pdf.min.mjs`).href);
pdfjs.GlobalWorkerOptions.workerSrc = pathToFileURL(`${dir}/pdf.worker.min.mjs`).href;
const data = new Uint8Array(readFileSync(file));
const doc = await pdfjs.getDocument({ data, isEvalSupported: false, verbosity: 0 }).promise;
let out = "";
for (let p = 1; p <= doc.numPages; p++) {
  const content = await (await doc.getPage(p)).getTextContent();
  for (const item of content.items) {
    out += item.str + (item.hasEOL ? "\n" : "");
  }
  out += "\n";
}
process.stdout.write(out);
