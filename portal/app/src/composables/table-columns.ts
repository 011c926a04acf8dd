import type { TableColumn } from '@bitrix24/b24ui-nuxt';

/** A table's columns from [field, header] pairs, in order: the cabinet's list and the panel's queue read alike. */
export function tableColumns<T>(pairs: Array<[keyof T & string, string]>): TableColumn<T>[] {
  return pairs.map(([accessorKey, header]) => ({ accessorKey, header }));
}
