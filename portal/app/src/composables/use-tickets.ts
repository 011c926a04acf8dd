import { ref, watch, type Ref } from 'vue';
import type { TicketDetail, TicketListQuery, TicketPage } from '../../../api-schemas';
import { api, toQuery } from '../api';

export type TicketFilter = Partial<Pick<TicketListQuery, 'status' | 'from' | 'to' | 'sender' | 'q' | 'sort' | 'dir' | 'page'>>;

/** The ticket list for a filter, fetched again whenever the filter changes. */
export function useTickets(filter: Ref<TicketFilter>) {
  const page = ref<TicketPage | null>(null);
  const loading = ref(false);
  const error = ref<unknown>(null);
  let seq = 0;
  async function load() {
    const mine = ++seq;
    loading.value = true;
    try {
      const data = await api<TicketPage>('GET', `/tickets${toQuery(filter.value)}`);
      if (mine === seq) { page.value = data; error.value = null; }
    } catch (err) {
      if (mine === seq) error.value = err;
    } finally {
      if (mine === seq) loading.value = false;
    }
  }
  watch(filter, load, { deep: true, immediate: true });
  return { page, loading, error, reload: load };
}

/** One ticket's thread and history; null number: nothing open. */
export function useTicket(number: Ref<number | null>) {
  const detail = ref<TicketDetail | null>(null);
  const error = ref<unknown>(null);
  async function load(n: number | null) {
    error.value = null;
    if (n === null) return;
    try {
      const d = await api<TicketDetail>('GET', `/tickets/${n}`);
      if (number.value === n) detail.value = d;
    } catch (err) {
      error.value = err;
    }
  }
  watch(number, (n) => { detail.value = null; void load(n); }, { immediate: true });
  /**
   * After a reply: the mail is threaded by the intake a moment later, so look again a few
   * times until the thread has grown.
   */
  async function awaitNewMessage(tries = 10, everyMs = 1000) {
    const before = detail.value?.messages.length ?? 0;
    for (let i = 0; i < tries && (detail.value?.messages.length ?? 0) <= before; i++) {
      await new Promise((r) => setTimeout(r, everyMs));
      await load(number.value);
    }
  }
  return { detail, error, awaitNewMessage };
}
