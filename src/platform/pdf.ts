/**
 * PDF rendering with pdfmake, shared by the receipt and the reports. Fonts come from npm
 * (@fontsource, Noto Sans: Latin and Devanagari), so Hindi renders the same on every machine;
 * text is split into runs by script, because each font file carries one script. Documents may
 * read only those font files, never other local files or URLs.
 */
import path from 'node:path';
import pdfmake from 'pdfmake';

const DEVANAGARI = /\p{Script_Extensions=Devanagari}/u;
// Devanagari words (with zero-width joiners) joined by spaces form one run; punctuation and
// digits stay with the Latin font, because the Devanagari font file carries no glyphs for them.
const RUNS = /((?:\p{Script_Extensions=Devanagari}|\u200C|\u200D)+(?:\s+(?:\p{Script_Extensions=Devanagari}|\u200C|\u200D)+)*)/u;

const fontFile = (pkg: string, file: string) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'files', file);
const FONTS = {
  Sans: {
    normal: fontFile('@fontsource/noto-sans', 'noto-sans-latin-400-normal.woff'),
    bold: fontFile('@fontsource/noto-sans', 'noto-sans-latin-700-normal.woff'),
    italics: fontFile('@fontsource/noto-sans', 'noto-sans-latin-400-italic.woff'),
    bolditalics: fontFile('@fontsource/noto-sans', 'noto-sans-latin-700-italic.woff'),
  },
  Deva: {
    normal: fontFile('@fontsource/noto-sans-devanagari', 'noto-sans-devanagari-devanagari-400-normal.woff'),
    bold: fontFile('@fontsource/noto-sans-devanagari', 'noto-sans-devanagari-devanagari-700-normal.woff'),
    italics: fontFile('@fontsource/noto-sans-devanagari', 'noto-sans-devanagari-devanagari-400-normal.woff'),
    bolditalics: fontFile('@fontsource/noto-sans-devanagari', 'noto-sans-devanagari-devanagari-700-normal.woff'),
  },
};
const ALLOWED = new Set(Object.values(FONTS).flatMap((f) => Object.values(f)));

let configured = false;
function configure() {
  if (configured) return;
  pdfmake.setFonts(FONTS);
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((file: string) => ALLOWED.has(file));
  configured = true;
}

/** A text split into runs of Devanagari and of everything else, each with its font. */
export function scriptRuns(text: string): Array<{ text: string; font?: string }> {
  if (!DEVANAGARI.test(text)) return [{ text }];
  return text
    .split(RUNS)
    .filter((part) => part !== '')
    .map((part) => (DEVANAGARI.test(part) ? { text: part, font: 'Deva' } : { text: part }));
}

/** Rewrites every string of a document definition's `text` into script runs. */
export function withScripts(node: any): any {
  if (typeof node === 'string') return DEVANAGARI.test(node) ? { text: scriptRuns(node) } : node;
  if (Array.isArray(node)) return node.map(withScripts);
  if (node && typeof node === 'object') {
    const copy: any = { ...node };
    if (typeof copy.text === 'string' && DEVANAGARI.test(copy.text)) copy.text = scriptRuns(copy.text);
    else if (copy.text !== undefined && typeof copy.text !== 'string') copy.text = withScripts(copy.text);
    for (const key of ['stack', 'columns', 'ul', 'ol', 'content', 'header', 'footer']) if (copy[key] !== undefined && typeof copy[key] !== 'function') copy[key] = withScripts(copy[key]);
    if (copy.table?.body) copy.table = { ...copy.table, body: copy.table.body.map((row: any[]) => row.map(withScripts)) };
    return copy;
  }
  return node;
}

export async function renderPdf(definition: Record<string, any>): Promise<Buffer> {
  configure();
  // Headers and footers given as functions get their script runs when pdfmake calls them.
  const scripted = (part: unknown) => (typeof part === 'function' ? (...args: unknown[]) => withScripts((part as (...a: unknown[]) => unknown)(...args)) : part);
  const doc = pdfmake.createPdf(
    withScripts({ ...definition, header: scripted(definition.header), footer: scripted(definition.footer), defaultStyle: { font: 'Sans', fontSize: 10, ...(definition.defaultStyle ?? {}) } })
  );
  return Buffer.from(await doc.getBuffer());
}
