import { ref } from 'vue';
import type { ContractView, ReportList } from '../../../api-schemas';
import { api } from '../api';

/** Отчёты: the published reports of the company. */
export function useReports() {
  const data = ref<ReportList | null>(null);
  const error = ref<unknown>(null);
  api<ReportList>('GET', '/reports').then((d) => { data.value = d; }, (e) => { error.value = e; });
  return { data, error };
}

/** Договор: the terms and this month so far. */
export function useContract() {
  const data = ref<ContractView | null>(null);
  const error = ref<unknown>(null);
  api<ContractView>('GET', '/contract').then((d) => { data.value = d; }, (e) => { error.value = e; });
  return { data, error };
}
