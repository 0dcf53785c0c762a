#!/bin/sh
# Refreshes ui/vendor/pdfjs from the npm registry: tools/vendor-pdfjs.sh 4.10.38
set -eu
version="${1:?usage: tools/vendor-pdfjs.sh VERSION}"
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "pdfjs-dist@$version" >/dev/null && tar xzf "pdfjs-dist-$version.tgz")
cp "$work/package/build/pdf.min.mjs" "$work/package/build/pdf.worker.min.mjs" "$work/package/LICENSE" "$here/ui/vendor/pdfjs/"
sed -i "s/pdfjs-dist\` [0-9.]*/pdfjs-dist\` $version/" "$here/ui/vendor/pdfjs/README.md"
echo "pdf.js $version vendored in ui/vendor/pdfjs"
