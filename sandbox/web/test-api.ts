import express, { type NextFunction, type Request, type Response } from 'express';
import type { SandboxControl } from '../sandbox-control.js';
import { SandboxActionError } from '../actions/user-actions.js';
import { RestError } from '../rest/rest-error.js';
import { resolveDialog } from '../messenger/chats.js';
import { listChats, listPeople, renderDialog } from './messenger-views.js';

type Handler = (req: Request) => unknown;

function num(v: unknown): number {
  return Number(v);
}

/**
 * The sandbox's own JSON API under `/sandbox/api` (not Bitrix24): state, simulated users,
 * faults. The messenger page uses the same routes.
 */
export function createTestApi(control: SandboxControl, caCertPem: string): express.Router {
  const router = express.Router();
  router.use(express.json({ limit: '10mb' }));
  const routes: Routes = {
    get: (path, h) => void router.get(path, wrap(h)),
    post: (path, h) => void router.post(path, wrap(h)),
  };
  mountStateRoutes(routes, control, caCertPem);
  mountMessengerRoutes(routes, control);
  mountActionRoutes(routes, control);
  mountFaultRoutes(routes, control);
  router.get('/files/:id', (req, res) => {
    const file = control.portal.state.data.files.get(num(req.params.id));
    if (!file) return void res.status(404).json({ error: 'FILE_NOT_FOUND' });
    res.attachment(file.name).send(file.content);
  });
  return router;
}

interface Routes {
  get(path: string, h: Handler): void;
  post(path: string, h: Handler): void;
}

function mountStateRoutes({ get, post }: Routes, control: SandboxControl, caCertPem: string): void {
  const portal = control.portal;
  post('/reset', (req) => (control.reset({ seed: req.body?.seed !== false }), { ok: true }));
  post('/seed', () => (control.seed(), { ok: true }));
  post('/users', (req) => ({ id: control.addUser(req.body) }));
  post('/departments', (req) => ({ id: control.addDepartment(req.body) }));
  get('/state', () => ({
    version: portal.state.version, users: control.users(), bots: control.bots(), tasks: control.tasks(),
    departments: [...portal.state.data.departments.values()], rateLimitLevel: control.rateLimitLevel(),
  }));
  get('/version', () => ({ version: portal.state.version }));
  get('/cert', () => ({ pem: caCertPem }));
  get('/chats/:id/messages', (req) => control.chatMessages(num(req.params.id)));
  get('/dialog-messages', (req) => control.dialogMessages(num(req.query.userId), String(req.query.dialogId)));
  get('/tasks', () => control.tasks());
  post('/chats/:id/delete', (req) => ({ ok: control.deleteChat(num(req.params.id)) }));
  post('/bots/:id/delete', (req) => ({ ok: control.removeBot(num(req.params.id)) }));
  get('/bots/:id/events', (req) => control.pendingEvents(num(req.params.id)));
  get('/requests', (req) => control.requestLog(req.query.since ? num(req.query.since) : undefined));
  post('/requests/clear', () => (control.clearRequestLog(), { ok: true }));
  get('/pushes', () => control.pushLog());
  post('/webhooks', (req) => ({ url: control.createWebhook(num(req.body.userId ?? 1), req.body.scopes) }));
  post('/apps', (req) => control.installApp(req.body ?? {}));
  post('/apps/create', (req) => control.createApp(req.body?.scopes));
  post('/apps/uninstall', (req) => (control.uninstallApp(String(req.body?.clientId), { clean: req.body?.clean === true }), { ok: true }));
  post('/tokens/expire', () => (control.expireAccessTokens(), { ok: true }));
}

/** What the messenger page reads: people, their chats, a rendered dialog. */
function mountMessengerRoutes({ get }: Routes, control: SandboxControl): void {
  const portal = control.portal;
  get('/people', () => listPeople(portal));
  get('/users/:id/chats', (req) => listChats(portal, num(req.params.id)));
  get('/users/:id/dialogs/:dialogId', (req) => {
    const chat = resolveDialog(portal, num(req.params.id), String(req.params.dialogId));
    if (!chat || !chat.memberIds.includes(num(req.params.id))) throw new SandboxActionError('ACCESS_ERROR', 'no such dialog');
    return renderDialog(portal, num(req.params.id), chat);
  });
}

function mountActionRoutes({ post }: Routes, control: SandboxControl): void {
  post('/actions/click', (req) => control.clickButton({
    userId: num(req.body.userId), messageId: num(req.body.messageId), buttonIndex: num(req.body.buttonIndex),
  }));
  post('/actions/write', (req) => control.writeMessage({
    userId: num(req.body.userId), dialogId: String(req.body.dialogId), text: String(req.body.text ?? ''),
  }));
  post('/actions/comment', (req) => control.commentTask({
    userId: num(req.body.userId), taskId: num(req.body.taskId), text: String(req.body.text ?? ''),
  }));
  post('/actions/complete-task', (req) => control.completeTask({ userId: num(req.body.userId), taskId: num(req.body.taskId) }));
}

function mountFaultRoutes({ post }: Routes, control: SandboxControl): void {
  post('/faults', (req) => control.setFaults(req.body ?? {}));
  post('/faults/clear', () => (control.clearFaults(), { ok: true }));
  post('/faults/storm', (req) => (control.queryLimitStorm(req.body ?? {}), { ok: true }));
}

function wrap(h: Handler) {
  return (req: Request, res: Response, next: NextFunction) => {
    try {
      res.json(h(req) ?? null);
    } catch (e) {
      if (e instanceof SandboxActionError) return void res.status(400).json({ error: e.code, message: e.message });
      if (e instanceof RestError) return void res.status(e.status).json({ error: e.code, message: e.description });
      next(e);
    }
  };
}
