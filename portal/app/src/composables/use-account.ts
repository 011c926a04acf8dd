import { ref } from 'vue';
import type { ColleagueList } from '../../../api-schemas';
import { api } from '../api';
import { lang } from '../i18n';
import { me } from './use-session';

export async function saveProfile(name: string, language: 'ru' | 'en'): Promise<void> {
  await api('POST', '/account', { name, language });
  if (me.value) me.value = { ...me.value, name, language };
  lang.value = language;
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await api('POST', '/account/password', { currentPassword, newPassword });
}

/** A director's colleagues with access, and inviting one more. */
export function useColleagues() {
  const data = ref<ColleagueList | null>(null);
  const load = async () => { data.value = await api<ColleagueList>('GET', '/colleagues'); };
  const invite = async (email: string, name: string, role: 'director' | 'employee') => {
    await api('POST', '/colleagues', { email, name, role });
    await load();
  };
  return { data, load, invite };
}
