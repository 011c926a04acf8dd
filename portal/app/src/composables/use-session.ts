import { ref } from 'vue';
import type { Me } from '../../../api-schemas';
import { api, ApiError } from '../api';
import { lang } from '../i18n';

export const me = ref<Me | null>(null);

function became(m: Me): Me {
  me.value = m;
  lang.value = m.language;
  return m;
}

/** Who is signed in (null: nobody), asked once per page load. */
export async function loadSession(): Promise<Me | null> {
  try {
    return became(await api<Me>('GET', '/session'));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return (me.value = null);
    throw err;
  }
}

export async function signIn(email: string, password: string): Promise<Me> {
  return became(await api<Me>('POST', '/session', { email, password }));
}

export async function setPassword(token: string, password: string): Promise<Me> {
  return became(await api<Me>('POST', '/password', { token, password }));
}

export async function requestReset(email: string): Promise<void> {
  await api('POST', '/password-reset', { email });
}

export async function signOut(everywhere = false): Promise<void> {
  await api(everywhere ? 'POST' : 'DELETE', everywhere ? '/session/sign-out-everywhere' : '/session');
  me.value = null;
}
