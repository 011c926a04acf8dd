/** Bitrix24 BB-codes (imbot.v2/messages/message-formatting.md) to safe HTML for the messenger page. */

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function safeUrl(url: string): string | null {
  const u = url.trim();
  return /^(https?:\/\/|\/)/i.test(u) ? u.replace(/"/g, '%22') : null;
}

type Rule = [RegExp, (...m: string[]) => string];

// Applied to already-escaped text; repeated until nothing changes, so tags may nest.
const rules: Rule[] = [
  [/\[b\]([\s\S]*?)\[\/b\]/gi, (_, t) => `<b>${t}</b>`],
  [/\[i\]([\s\S]*?)\[\/i\]/gi, (_, t) => `<i>${t}</i>`],
  [/\[u\]([\s\S]*?)\[\/u\]/gi, (_, t) => `<u>${t}</u>`],
  [/\[s\]([\s\S]*?)\[\/s\]/gi, (_, t) => `<s>${t}</s>`],
  [/\[code\]([\s\S]*?)\[\/code\]/gi, (_, t) => `<pre class="bb-code">${t}</pre>`],
  [/\[color=(#[0-9a-f]{3,6})\]([\s\S]*?)\[\/color\]/gi, (_, c, t) => `<span style="color:${c}">${t}</span>`],
  [/\[size=(\d{1,2})\]([\s\S]*?)\[\/size\]/gi, (_, n, t) => `<span style="font-size:${clamp(Number(n), 8, 30)}px">${t}</span>`],
  [/\[url=([^\]]+)\]([\s\S]*?)\[\/url\]/gi, (_, u, t) => link(u, t)],
  [/\[url\]([\s\S]*?)\[\/url\]/gi, (_, u) => link(u, u)],
  [/\[user=(\d+|all)(?: replace)?\]([\s\S]*?)\[\/user\]/gi, (_, id, t) => `<span class="bb-user" data-user="${id}">${t || `@${id}`}</span>`],
  [/\[chat=([\w|]+)\]([\s\S]*?)\[\/chat\]/gi, (_, id, t) => `<span class="bb-chat" data-chat="${id}">${t}</span>`],
  [/\[context=[^\]]*\]([\s\S]*?)\[\/context\]/gi, (_, t) => t],
  [/\[send=([^\]]+)\]([\s\S]*?)\[\/send\]/gi, (_, c, t) => `<a href="#" class="bb-send" data-send="${c}">${t}</a>`],
  [/\[put=([^\]]+)\]([\s\S]*?)\[\/put\]/gi, (_, c, t) => `<a href="#" class="bb-put" data-put="${c}">${t}</a>`],
  [/\[call=([^\]]+)\]([\s\S]*?)\[\/call\]/gi, (_, n, t) => `<a href="tel:${n.replace(/[^\d+]/g, '')}">${t}</a>`],
  [/\[img(?: size=\w+)?\]([\s\S]*?)\[\/img\]/gi, (_, u) => image(u)],
  [/\[icon=([^\s\]]+)[^\]]*\]/gi, (_, u) => image(u)],
  [/\[timestamp=(\d+)[^\]]*\]/gi, (_, ts) => new Date(Number(ts) * 1000).toISOString().replace('T', ' ').slice(0, 16)],
  [/\[disk=(\d+)\]/gi, (_, id) => `<span class="bb-disk">file #${id}</span>`],
];

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}

function link(url: string, text: string): string {
  const href = safeUrl(url.replace(/&amp;/g, '&'));
  return href ? `<a href="${escapeHtml(href)}" target="_blank" rel="noopener">${text}</a>` : text;
}

function image(url: string): string {
  const src = safeUrl(url.replace(/&amp;/g, '&'));
  return src ? `<img class="bb-img" src="${escapeHtml(src)}" alt="">` : '';
}

/** Escapes first, then turns the known codes into tags; `>>` lines and `------` blocks become quotes. */
export function renderBbCode(text: string): string {
  let html = escapeHtml(text).replace(/\r\n/g, '\n');
  for (let changed = true; changed;) {
    const before = html;
    for (const [re, fn] of rules) html = html.replace(re, fn as (...m: string[]) => string);
    changed = html !== before;
  }
  html = html.replace(/-{6,}\n([\s\S]*?)\n-{6,}/g, (_, q: string) => `<blockquote>${q}</blockquote>`);
  html = html.replace(/^&gt;&gt;(.*)$/gm, (_, q: string) => `<blockquote>${q.trim()}</blockquote>`);
  return html.replace(/<\/blockquote>\n/g, '</blockquote>').replace(/\[br\]/gi, '<br>').replace(/\n/g, '<br>');
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** A message as one line of plain text, as a chat list previews it: codes applied and dropped, breaks as spaces. */
export function bbCodeToText(text: string): string {
  return renderBbCode(text).replace(/<br>|<\/?blockquote>/g, ' ').replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]).replace(/\s+/g, ' ').trim();
}
