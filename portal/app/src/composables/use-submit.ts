import { ref } from 'vue';
import { ApiError } from '../api';
import { errorText } from '../i18n';

/** A form's submit: busy while it runs, and the server's refusal as a text in the page's language. */
export function useSubmit() {
  const busy = ref(false);
  const error = ref('');
  async function run(action: () => Promise<void>): Promise<boolean> {
    busy.value = true;
    error.value = '';
    try {
      await action();
      return true;
    } catch (err) {
      error.value = errorText(err instanceof ApiError ? err.code : 'internal');
      return false;
    } finally {
      busy.value = false;
    }
  }
  return { busy, error, run };
}

/** Files chosen in a file input, as the API takes them (base64 in the JSON body). */
export async function readFiles(files: File[]): Promise<Array<{ filename: string; contentType: string; contentBase64: string }>> {
  return Promise.all(files.map(async (f) => {
    const bytes = new Uint8Array(await f.arrayBuffer());
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { filename: f.name, contentType: f.type || 'application/octet-stream', contentBase64: btoa(bin) };
  }));
}
