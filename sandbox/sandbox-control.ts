import { touch, type PortalContext } from './portal-context.js';
import { createPortalData } from './portal-state.js';
import { addDepartment, addUser, ensureUser, seedSampleData, type NewUser } from './seed-sample-data.js';
import { chatMessages } from './messenger/post-message.js';
import { deleteChat, resolveDialog } from './messenger/chats.js';
import { removeBot } from './methods/imbot-bot.js';
import { botView, messageView, userView } from './messenger/views.js';
import { peekEvents } from './events/event-queue.js';
import type { PushLogEntry } from './events/push-delivery.js';
import { taskView } from './tasks/task-view.js';
import * as actions from './actions/user-actions.js';
import {
  appPageRequest, createApp, createWebhook, expireAccessTokens, installApp, webhookUrlFor, type InstallAppOptions, type OAuthInstall,
} from './auth/credentials.js';
import { uninstallApp } from './auth/uninstall-app.js';
import type { FaultInjector, RestFaults } from './rest/fault-injector.js';
import type { LeakyBucket } from './rest/leaky-bucket.js';
import type { MethodOverride } from './rest/invoke-method.js';
import type { RequestLog, RequestLogEntry } from './rest/request-log.js';

export interface Faults extends RestFaults {
  /** Fraction (0..1) of event pushes silently lost. */
  lostPushRate: number;
  /** The next N pushes are lost. */
  loseNextPushes: number;
}

/** Everything a test or the test API can do to the portal besides calling REST. */
export class SandboxControl {
  constructor(
    readonly portal: PortalContext,
    private readonly log: RequestLog,
    private readonly faults: FaultInjector,
    private readonly bucket: LeakyBucket | null,
    private readonly overrides: Map<string, MethodOverride>,
  ) {}

  /** Clears users, chats, bots, tasks, events, event bindings and logs; webhooks and installed apps stay valid. */
  reset(opts: { seed?: boolean } = {}): void {
    const { state } = this.portal;
    state.data = createPortalData();
    state.auth.bindings = [];
    if (opts.seed ?? true) seedSampleData(this.portal);
    for (const hook of state.auth.webhooks.values()) ensureUser(this.portal, hook.userId);
    this.log.clear();
    this.portal.pushes.clear();
    this.clearFaults();
    this.bucket?.reset();
    this.overrides.clear();
    touch(this.portal);
  }

  seed(): void {
    seedSampleData(this.portal);
  }

  addUser(u: NewUser): number {
    return addUser(this.portal, u);
  }

  addDepartment(d: { name: string; parent?: number | null; head?: number | null }): number {
    return addDepartment(this.portal, d);
  }

  webhookUrl(userId = 1): string {
    return webhookUrlFor(this.portal, userId);
  }

  createWebhook(userId: number, scopes?: string[]): string {
    return createWebhook(this.portal, userId, scopes);
  }

  /** A local app's form saved: client_id and secret, not installed yet (install it with installApp({clientId})). */
  createApp(scopes?: string[]): { clientId: string; clientSecret: string } {
    return createApp(this.portal, scopes);
  }

  installApp(opts?: InstallAppOptions): OAuthInstall {
    return installApp(this.portal, opts);
  }

  /** An administrator deletes the app: ONAPPUNINSTALL to its handlers, then its tokens, bindings and bots are gone. */
  uninstallApp(clientId: string, opts?: { clean?: boolean }): void {
    uninstallApp(this.portal, clientId, opts);
  }

  expireAccessTokens(): void {
    expireAccessTokens(this.portal);
  }

  /** A person opens the installed application's page in the portal: the form and address parameters its handler gets. */
  openAppPage(clientId: string, userId: number): { form: Record<string, string>; query: Record<string, string> } {
    return appPageRequest(this.portal, clientId, userId);
  }

  users() {
    return [...this.portal.state.data.users.values()].map((u) => userView(this.portal, u, false));
  }

  bots() {
    return [...this.portal.state.data.bots.values()].map((b) => ({ ...botView(this.portal, b), webhookUrl: b.webhookUrl }));
  }

  tasks() {
    return [...this.portal.state.data.tasks.values()].map((t) => taskView(this.portal, t));
  }

  chatMessages(chatId: number) {
    return chatMessages(this.portal, chatId).map((m) => messageView(this.portal, m));
  }

  /** The messages of a dialog as `userId` sees it (`"12"` = private with user or bot 12, `"chat15"`). */
  dialogMessages(userId: number, dialogId: string) {
    const chat = resolveDialog(this.portal, userId, dialogId);
    return chat ? this.chatMessages(chat.id) : [];
  }

  /** An administrator deletes a chat (group or private) with its messages. */
  deleteChat(chatId: number): boolean {
    return deleteChat(this.portal, chatId);
  }

  /** An administrator removes a bot, as Bot.unregister would. */
  removeBot(botId: number): boolean {
    return removeBot(this.portal, botId);
  }

  pendingEvents(botId: number) {
    return peekEvents(this.portal, botId);
  }

  requestLog(sinceSeq?: number): RequestLogEntry[] {
    return this.log.list(sinceSeq);
  }

  clearRequestLog(): void {
    this.log.clear();
  }

  pushLog(): PushLogEntry[] {
    return this.portal.pushes.log();
  }

  settlePushes(): Promise<void> {
    return this.portal.pushes.settle();
  }

  clickButton(a: { userId: number; messageId: number; buttonIndex: number }) {
    return actions.clickButton(this.portal, a);
  }

  writeMessage(a: { userId: number; dialogId: string; text: string }) {
    return messageView(this.portal, actions.writeMessage(this.portal, a));
  }

  commentTask(a: { userId: number; taskId: number; text: string }) {
    return messageView(this.portal, actions.commentTask(this.portal, a));
  }

  completeTask(a: { userId: number; taskId: number }) {
    return taskView(this.portal, actions.completeTask(this.portal, a));
  }

  setFaults(partial: Partial<Faults>): Faults {
    const { lostPushRate, loseNextPushes, ...rest } = partial;
    const push = this.portal.pushes.faults;
    if (lostPushRate !== undefined) push.lostRate = lostPushRate;
    if (loseNextPushes !== undefined) push.loseNext = loseNextPushes;
    return { ...this.faults.set(rest), lostPushRate: push.lostRate, loseNextPushes: push.loseNext };
  }

  /** A storm of 503 QUERY_LIMIT_EXCEEDED: for the next `count` REST calls, or for `durationMs`. */
  queryLimitStorm(opts: { count?: number; durationMs?: number }): void {
    this.faults.set({ stormCount: opts.count ?? 0, stormUntil: opts.durationMs ? this.portal.now() + opts.durationMs : 0 });
  }

  /** Requests failed on purpose so far, by kind (random faults only). */
  faultCounts(): Record<'internal' | 'bad-gateway' | 'reset', number> {
    return { ...this.faults.injected };
  }

  clearFaults(): void {
    this.faults.clear();
    Object.assign(this.portal.pushes.faults, { lostRate: 0, loseNext: 0 });
  }

  /** Replaces one method until cleared (null): return its `result`, or throw a RestError. */
  overrideMethod(name: string, fn: MethodOverride | null): void {
    if (fn) this.overrides.set(name.toLowerCase(), fn);
    else this.overrides.delete(name.toLowerCase());
  }

  rateLimitLevel(): number {
    return this.bucket?.current() ?? 0;
  }
}
