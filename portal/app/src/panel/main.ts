// The operator panel: a second page of the same build as the client cabinet (panel.html), with
// its own routes: /panel (the queue) and /tickets/N (a ticket, the address bot cards link to).
import '../assets/main.css';
import { createApp } from 'vue';
import { createRouter, createWebHistory } from 'vue-router';
import b24UiPlugin from '@bitrix24/b24ui-nuxt/vue-plugin';
import PanelApp from './panel-app.vue';
import { loadMe } from './use-panel';
import { t } from './i18n';

const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/panel', component: () => import('./pages/queue-page.vue') },
    { path: '/panel/board', component: () => import('./pages/board-page.vue') },
    { path: '/panel/admin', component: () => import('./pages/admin-clients-page.vue') },
    { path: '/panel/admin/system', component: () => import('./pages/admin-system-page.vue') },
    { path: '/panel/admin/clients/:id(\\d+)', component: () => import('./pages/admin-client-page.vue'), props: (r) => ({ id: Number(r.params.id) }) },
    { path: '/panel/clients/:id(\\d+)', component: () => import('./pages/client-page.vue'), props: (r) => ({ id: Number(r.params.id) }) },
    { path: '/tickets/:number(\\d+)', component: () => import('./pages/ticket-page.vue'), props: (r) => ({ number: Number(r.params.number) }) },
    { path: '/:rest(.*)*', redirect: '/panel' },
  ],
});
router.afterEach((to) => { document.title = to.params.number ? `#${String(to.params.number)} · ${t.value.appTitle}` : t.value.appTitle; });

await loadMe();
createApp(PanelApp).use(router).use(b24UiPlugin).mount('#app');
