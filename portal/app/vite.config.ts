// The cabinet's build: Vue 3 with the Bitrix24 UI kit's Vite plugin (no Nuxt), as in the kit's
// own playground (bitrix24/b24ui:playgrounds/vue/vite.config.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import bitrix24UIPluginVite from '@bitrix24/b24ui-nuxt/vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [
    vue(),
    bitrix24UIPluginVite({ colorModeInitialValue: 'light', colorModeTypeLight: 'light', colorModeStorageKey: 'modest-cabinet', b24ui: {} }),
  ],
  // The output folder is chosen by portal/build-portal.ts (--outDir), one per source hash.
  // Two pages of one build: the client cabinet and the staff's operator panel (portal/panel/).
  build: {
    chunkSizeWarningLimit: 4000,
    rollupOptions: { input: { index: fileURLToPath(new URL('index.html', import.meta.url)), panel: fileURLToPath(new URL('panel.html', import.meta.url)) } },
  },
  logLevel: 'warn',
});
