import fs from 'node:fs';
import * as fontkit from 'fontkit';

/** Debian's fonts-dejavu-core: TrueType with full Cyrillic; the standard PDF fonts have none. */
export const DEJAVU_FONTS = {
  regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
} as const;

export interface ReportFonts {
  regular: fontkit.Font;
  bold: fontkit.Font;
}

const cache = new Map<string, fontkit.Font>();

interface Position { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number }
interface Run { glyphs: unknown[]; positions: Position[] }

/** What pdfkit reads from a layout: glyphs, positions (which it scales in place) and the total advance. */
class CopiedRun {
  constructor(readonly glyphs: unknown[], readonly positions: Position[]) {}
  get advanceWidth(): number {
    let w = 0;
    for (const p of this.positions) w += p.xAdvance;
    return w;
  }
}

/**
 * Shaping without ligatures: DejaVu joins "fl" and "fi" into one glyph, which a PDF's text
 * layer then gives back as U+FB02 / U+FB01, so "workflow" copied or searched in the report
 * would not be "workflow".
 */
const NO_LIGATURES: Record<string, boolean> = { liga: false, clig: false };

/** Words kept per generation; a word unused for a whole generation (a ticket number) is dropped. */
const LAYOUT_GENERATION = 4000;

/**
 * The font with its text shaping remembered across documents. pdfkit caches the layout of
 * each word only within one document, and shaping (OpenType lookups) is a quarter of a
 * report's rendering; labels, dates, names and common words recur in every report. Two
 * generations keep it small: when the young one is full it becomes the old one, and words
 * still in use move back. pdfkit scales the positions it gets in place, so each caller gets
 * its own copy of them.
 */
function withLayoutCache(font: fontkit.Font): fontkit.Font {
  let young = new Map<string, Run>();
  let old = new Map<string, Run>();
  const shape = (text: string): Run => {
    let run = young.get(text);
    if (run) return run;
    run = old.get(text) ?? (font.layout(text, NO_LIGATURES) as Run);
    if (young.size >= LAYOUT_GENERATION) {
      old = young;
      young = new Map();
    }
    young.set(text, run);
    return run;
  };
  const wrapped = Object.create(font) as fontkit.Font;
  wrapped.layout = (text: string, features?: unknown) => {
    if (features) return font.layout(text, features as Record<string, boolean>);
    const run = shape(text);
    return new CopiedRun(run.glyphs, run.positions.map((p) => ({ xAdvance: p.xAdvance, yAdvance: p.yAdvance, xOffset: p.xOffset, yOffset: p.yOffset })));
  };
  return wrapped;
}

function open(file: string): fontkit.Font {
  let font = cache.get(file);
  if (!font) {
    if (!fs.existsSync(file)) throw new Error(`font ${file} is missing (Debian package fonts-dejavu-core)`);
    font = fontkit.create(fs.readFileSync(file));
    // fontkit caches one glyph object per glyph id, with the characters it was first looked up
    // by, and pdfkit writes those into the PDF's text map. Embedding a subset looks up the parts
    // of composite glyphs (Cyrillic Ё is built from Latin E) without characters; a later
    // document would then draw E with no text behind it. Looking every character up first
    // keeps the text of every document extractable.
    for (const codePoint of font.characterSet) font.glyphForCodePoint(codePoint);
    font = withLayoutCache(font);
    cache.set(file, font);
  }
  return font;
}

/**
 * The report's fonts, parsed once per process. pdfkit would otherwise read and parse the
 * 700 KB file for every document, which costs several times the rendering of a report itself.
 */
export function loadReportFonts(files: { regular: string; bold: string } = DEJAVU_FONTS): ReportFonts {
  return { regular: open(files.regular), bold: open(files.bold) };
}
