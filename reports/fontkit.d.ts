// fontkit is pdfkit's own font parser (a dependency of pdfkit, without type declarations).
// We parse each TrueType file once per process and hand pdfkit the parsed font.
declare module 'fontkit' {
  export interface Font {
    layout(text: string, features?: never): unknown;
    readonly postscriptName: string;
    readonly characterSet: number[];
    glyphForCodePoint(codePoint: number): unknown;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
