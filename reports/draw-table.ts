/** A table column: width in points; text longer than `maxLines` lines ends in an ellipsis. */
export interface TableColumn {
  width: number;
  align?: 'left' | 'right' | 'center';
  maxLines?: number;
}

export interface TableStyle {
  font: string;
  boldFont: string;
  fontSize: number;
  /** Space kept free under the table's last row on a page (the page footer lives there). */
  bottom: number;
}

const PAD = 3;
const RULE = '#b0b0b0';
const HEAD_FILL = '#e8e8e8';

function cellHeight(doc: PDFKit.PDFDocument, text: string, col: TableColumn, lineHeight: number): number {
  const lines = col.maxLines ?? 1;
  // Most cells fit on one line; measuring the width is much cheaper than wrapping.
  if (lines === 1 || doc.widthOfString(text) <= col.width - 2 * PAD) return lineHeight;
  return Math.min(doc.heightOfString(text, { width: col.width - 2 * PAD }), lines * lineHeight);
}

function rowHeight(doc: PDFKit.PDFDocument, cells: readonly string[], columns: readonly TableColumn[], lineHeight: number): number {
  let h = lineHeight;
  cells.forEach((text, i) => { if ((columns[i].maxLines ?? 1) > 1) h = Math.max(h, cellHeight(doc, text, columns[i], lineHeight)); });
  return h + 2 * PAD;
}

function drawCells(doc: PDFKit.PDFDocument, cells: readonly string[], columns: readonly TableColumn[], y: number, h: number): void {
  let x = doc.page.margins.left;
  cells.forEach((text, i) => {
    const col = columns[i];
    // `height` with `ellipsis` clips an over-long subject instead of letting it push the page.
    doc.text(text, x + PAD, y + PAD, {
      width: col.width - 2 * PAD, height: h - 2 * PAD + 0.5, ellipsis: true, align: col.align ?? 'left', lineBreak: (col.maxLines ?? 1) > 1,
    });
    x += col.width;
  });
}

function rule(doc: PDFKit.PDFDocument, y: number, width: number): void {
  const x = doc.page.margins.left;
  doc.moveTo(x, y).lineTo(x + width, y).lineWidth(0.5).strokeColor(RULE).stroke();
}

/**
 * Draws rows from the current `doc.y`, starting a new page whenever the next row would not
 * fit, and repeats the header row at the top of every page the table touches, so each printed
 * page can be read on its own. Leaves `doc.y` under the last row.
 */
export function drawTable(doc: PDFKit.PDFDocument, columns: readonly TableColumn[], header: readonly string[],
  rows: ReadonlyArray<readonly string[]>, style: TableStyle): void {
  const width = columns.reduce((a, c) => a + c.width, 0);
  const limit = () => doc.page.height - style.bottom;
  doc.font(style.boldFont).fontSize(style.fontSize);
  const lineHeight = doc.currentLineHeight(true);
  const headerHeight = rowHeight(doc, header, columns.map((c) => ({ ...c, maxLines: 3 })), lineHeight);
  let y = doc.y;
  const drawHeader = () => {
    doc.rect(doc.page.margins.left, y, width, headerHeight).fill(HEAD_FILL);
    doc.fillColor('black').font(style.boldFont);
    drawCells(doc, header, columns.map((c) => ({ ...c, maxLines: 3 })), y, headerHeight);
    y += headerHeight;
    doc.font(style.font);
  };
  drawHeader();
  for (const cells of rows) {
    const h = rowHeight(doc, cells, columns, lineHeight);
    if (y + h > limit()) {
      doc.addPage();
      y = doc.page.margins.top;
      drawHeader();
    }
    drawCells(doc, cells, columns, y, h);
    y += h;
    rule(doc, y, width);
  }
  doc.x = doc.page.margins.left;
  doc.y = y + PAD;
}
