import { tsImport } from 'tsx/esm/api';

export default async function globalTeardown() {
  const { stopSharedServices } = await tsImport('./harness/services.ts', import.meta.url);
  await stopSharedServices();
}
