// Jest loads global setup through require(), outside its module mapping; tsx lets the
// TypeScript harness (with its ESM-style `.js` imports) run here unchanged.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  const { startSharedServices } = await tsImport('./harness/services.ts', import.meta.url);
  await startSharedServices();
}
