// How the panel talks to its API: same origin, JSON, the session's CSRF token on every change;
// and the live feed (server-sent events) that tells a page to fetch again.
import { onBeforeUnmount, ref } from 'vue';
import type { Me } from '../../../panel/panel-schemas';
import { lang, t } from './i18n';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) { super(message); }
}

export const me = ref<Me | null>(null);

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = me.value?.csrfToken ?? '';
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`/api/panel${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => null) as { error?: { code: string; message: string } } | null;
  if (!res.ok) throw new ApiError(res.status, data?.error?.code ?? 'internal', data?.error?.message ?? res.statusText);
  return data as T;
}

export async function loadMe(): Promise<Me | null> {
  me.value = await api<Me>('GET', '/me').catch(() => null);
  if (me.value) lang.value = me.value.language;
  return me.value;
}

/**
 * Calls `refresh` whenever the server says a ticket changed (all tickets, or one), a little
 * coalesced; and once more after a dropped connection comes back, as changes may have been missed.
 */
export function useLive(ticket: () => number | null, refresh: () => void) {
  const connected = ref(false);
  const q = ticket();
  const source = new EventSource(`/api/panel/events${q ? `?ticket=${q}` : ''}`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let dropped = false;
  const soon = () => { clearTimeout(timer); timer = setTimeout(refresh, 100); };
  source.addEventListener('ticket', soon);
  // EventSource reconnects by itself; what changed meanwhile was not announced, so fetch once.
  source.onopen = () => { if (dropped) soon(); dropped = false; connected.value = true; };
  source.onerror = () => { dropped = true; connected.value = false; };
  onBeforeUnmount(() => { clearTimeout(timer); source.close(); });
  return { connected };
}

/** A file as base64, for the reply's JSON body. */
export function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

/** A refusal as the person reads it: the fields to check, a taken address, or the server's words. */
export function describeError(err: unknown): string {
  if (!(err instanceof ApiError)) return String(err);
  if (err.code === 'invalid_input') return `${t.value.checkFields}: ${err.message}`;
  if (err.code === 'admin.taken') return t.value.taken;
  if (err.code === 'forbidden') return t.value.adminOnly;
  return err.message;
}
