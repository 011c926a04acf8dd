import { ref, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';

/** A query parameter's value, or undefined when it is absent or empty. */
export const queryString = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/**
 * A list whose filter lives in the URL, so a link or a reload shows the same list (the client's
 * tickets, the operators' queue). `setQuery` patches the filter and goes back to the first page
 * unless told to keep it; `search` is the search box, written to `q` once typing pauses.
 */
export function useUrlQuery() {
  const route = useRoute();
  const router = useRouter();

  function setQuery(patch: Record<string, string | undefined>, keepPage = false) {
    const next: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...route.query, ...patch })) if (typeof v === 'string' && v) next[k] = v;
    if (!keepPage) delete next.page;
    void router.replace({ query: next });
  }

  const search = ref(queryString(route.query.q) ?? '');
  let timer: ReturnType<typeof setTimeout> | undefined;
  watch(search, (v) => { clearTimeout(timer); timer = setTimeout(() => setQuery({ q: v.trim() || undefined }), 300); });

  return { route, setQuery, search };
}
