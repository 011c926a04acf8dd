import sanitizeHtml from 'sanitize-html';

/**
 * What the frame showing a mail's HTML is allowed: nothing runs (no script, no plugin, and the
 * document is sandboxed to a unique origin), nothing loads from outside (images only inline as
 * data:, so a tracking pixel does not fire), no form posts, framed only by our own page.
 * Links open in a new tab outside the sandbox.
 */
export const MAIL_HTML_CSP = [
  "default-src 'none'", "img-src data:", "style-src 'unsafe-inline'", "font-src 'none'", "base-uri 'none'", "form-action 'none'",
  "frame-ancestors 'self'", 'sandbox allow-popups allow-popups-to-escape-sandbox',
].join('; ');

/**
 * A stored mail's HTML as a page for the cabinet's sandboxed frame. The intake sanitized it
 * already; it is sanitized again here with the stricter rules of display (only http(s) and
 * mailto links, inline images only), so HTML stored by an older intake, or by a bug, still
 * cannot carry a script, an event handler or a javascript: link into the page.
 */
export function renderMailHtml(html: string): string {
  const clean = sanitizeHtml(html, {
    allowedTags: sanitizeHtml.defaults.allowedTags.concat(['img', 'span', 'font', 'center']),
    allowedAttributes: {
      a: ['href', 'title', 'target', 'rel'], img: ['src', 'alt', 'width', 'height'], '*': ['style', 'align', 'colspan', 'rowspan'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['data'] },
    allowProtocolRelative: false,
    transformTags: {
      a: sanitizeHtml.simpleTransform('a', { target: '_blank', rel: 'noopener noreferrer' }),
      // A relative src would point at our own API; only inline images stay.
      img: (tagName, attribs) => ({ tagName, attribs: /^data:image\//i.test(attribs.src ?? '') ? attribs : { ...attribs, src: '' } }),
    },
    parseStyleAttributes: false,
  });
  return '<!doctype html><html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">'
    + '<style>body{font-family:system-ui,sans-serif;font-size:14px;margin:8px;word-wrap:break-word}img{max-width:100%;height:auto}</style>'
    + `</head><body>${clean}</body></html>`;
}
