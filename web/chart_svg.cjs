// Draws a Vega-Lite spec to SVG with the bundled scripts, no browser: node chart_svg.cjs ASSETS SPEC OUT.svg.
// `kqlite query --chart FILE.svg` runs it from the assets folder (scripts/web_deps.sh copies it there); the chart
// test runs it on every spec. The UMD builds run as plain scripts, so they define the globals vega and vegaLite.
const fs = require('fs');
const path = require('path');
const vm = require('vm');

async function main() {
  const [assets, specFile, outFile] = process.argv.slice(2);
  for (const script of ['vega.min.js', 'vega-lite.min.js']) {
    vm.runInThisContext(fs.readFileSync(path.join(assets, 'vega', script), 'utf8'));
  }
  const spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
  if (spec.width === 'container') spec.width = 640;  // "container" needs a page
  const compiled = globalThis.vegaLite.compile(spec).spec;
  const view = new globalThis.vega.View(globalThis.vega.parse(compiled), {renderer: 'none'});
  fs.writeFileSync(outFile, await view.toSVG());
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
