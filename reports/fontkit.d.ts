// fontkit is pdfkit's own font parser (a dependency of pdfkit, without type declarations).
// We parse each TrueType file once per process and hand pdfkit the parsed font.
declare module 'fontkit' {
  export interface Font {
    /** OpenType features by tag, `false` to turn one of the defaults off. */
    layout(text: string, features?: Record<string, boolean>): unknown;
    readonly postscriptName: string;
    readonly characterSet: number[];
    glyphForCodePoint(codePoint: number): unknown;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
