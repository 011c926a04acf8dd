import './assets/main.css';
import { createApp } from 'vue';
import { createRouter, createWebHistory } from 'vue-router';
import b24UiPlugin from '@bitrix24/b24ui-nuxt/vue-plugin';
import App from './app.vue';
import { loadSession, me } from './composables/use-session';
import { t } from './i18n';

// Paths read like the sections people see; the signed-out pages are public.
const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', redirect: '/tickets' },
    { path: '/sign-in', component: () => import('./pages/sign-in-page.vue'), meta: { public: true } },
    { path: '/set-password', component: () => import('./pages/set-password-page.vue'), meta: { public: true } },
    { path: '/forgot-password', component: () => import('./pages/forgot-password-page.vue'), meta: { public: true } },
    { path: '/tickets', component: () => import('./pages/tickets-page.vue') },
    { path: '/reports', component: () => import('./pages/reports-page.vue'), meta: { director: true } },
    { path: '/contract', component: () => import('./pages/contract-page.vue'), meta: { director: true } },
    { path: '/account', component: () => import('./pages/account-page.vue') },
    { path: '/:rest(.*)*', redirect: '/tickets' },
  ],
});

let asked = false;
router.beforeEach(async (to) => {
  if (!asked) { asked = true; await loadSession().catch(() => null); }
  if (!to.meta.public && !me.value) return { path: '/sign-in', query: to.fullPath !== '/tickets' ? { next: to.fullPath } : {} };
  if (to.path === '/sign-in' && me.value) return '/tickets';
  if (to.meta.director && me.value?.role !== 'director') return '/tickets';
  return true;
});
router.afterEach(() => { document.title = t.value.appTitle; });

createApp(App).use(router).use(b24UiPlugin).mount('#app');
