import crypto from 'node:crypto';

/** What a signed link says: who (Bitrix24 user), until when, and one nonce (a link works once). */
export interface StaffLinkClaims {
  b24UserId: number;
  expiresAt: Date;
  nonce: string;
}

export type StaffLinkCheck =
  | { ok: true; claims: StaffLinkClaims }
  | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

const mac = (secret: string, body: string) => crypto.createHmac('sha256', secret).update(body).digest('base64url');

/**
 * A sign-in token for one Bitrix24 user: `<user>.<expiry seconds>.<nonce>.<HMAC-SHA256>`, short
 * enough for a chat message. The bot signs it, any web process checks it with the same key.
 */
export function signStaffLink(secret: string, b24UserId: number, now: Date, lifetimeMs: number): string {
  const body = `${b24UserId}.${Math.floor((now.getTime() + lifetimeMs) / 1000)}.${crypto.randomBytes(9).toString('base64url')}`;
  return `${body}.${mac(secret, body)}`;
}

export function checkStaffLink(secret: string, token: string, now: Date): StaffLinkCheck {
  const m = /^(\d{1,12})\.(\d{1,12})\.([A-Za-z0-9_-]{8,32})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(mac(secret, `${m[1]}.${m[2]}.${m[3]}`));
  if (!crypto.timingSafeEqual(expected, Buffer.from(m[4]))) return { ok: false, reason: 'forged' };
  const expiresAt = new Date(Number(m[2]) * 1000);
  if (expiresAt <= now) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { b24UserId: Number(m[1]), expiresAt, nonce: m[3] } };
}

/**
 * Bot texts name panel pages by path (`[url=/tickets/1042]`), so renderers stay pure. When the
 * message is sent, each path becomes an absolute link; in a person's own dialog it also carries
 * a sign-in token for them (signed now, so the link is fresh when it arrives). Shared chats get
 * the bare address: a token there would sign anyone in the chat in as someone else.
 */
export function resolvePanelLinks(text: string, o: PanelLinkSettings, dialogId: string | null, now: Date): string {
  const user = dialogId && /^\d+$/.test(dialogId) ? Number(dialogId) : null;
  return text.replace(/\[url=(\/(?:tickets\/\d{1,12}|panel))\]/g, (_m, path: string) => `[url=${staffLink(o, path, user, now)}]`);
}

export interface PanelLinkSettings {
  publicUrl: string;
  secret: string | null;
  lifetimeMs: number;
}

/** The address of a panel page with a token for `b24UserId`, or the bare address without a key. */
export function staffLink(o: PanelLinkSettings, path: string, b24UserId: number | null, now: Date): string {
  const url = `${o.publicUrl}${path}`;
  if (!o.secret || b24UserId === null) return url;
  return `${url}${path.includes('?') ? '&' : '?'}t=${signStaffLink(o.secret, b24UserId, now, o.lifetimeMs)}`;
}
