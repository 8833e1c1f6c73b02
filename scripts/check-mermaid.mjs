// Parse every ```mermaid block of the given Markdown files with mermaid's
// own parser (in jsdom), so a generated diagram that GitHub could not
// render fails CI. Run from a folder where `mermaid` and `jsdom` are
// installed: see .ci/run.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });

let diagrams = 0;
let failures = 0;
for (const file of process.argv.slice(2)) {
  const blocks = [...readFileSync(file, 'utf8').matchAll(/```mermaid\n([\s\S]*?)```/g)];
  if (blocks.length === 0) {
    console.error(`${file}: no mermaid diagram`);
    failures += 1;
  }
  for (const [, text] of blocks) {
    diagrams += 1;
    try {
      await mermaid.parse(text);
    } catch (error) {
      failures += 1;
      console.error(`${file}: ${String(error.message ?? error).split('\n').slice(0, 3).join(' ')}`);
    }
  }
}
console.log(`mermaid: ${diagrams} diagrams parsed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
