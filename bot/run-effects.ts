import { B24ApiError, isTransient } from '../connectors/bitrix24/b24-errors.js';
import { deleteMessage, sendMessage, updateMessage } from '../connectors/bitrix24/imbot.js';
import { addTask } from '../connectors/bitrix24/tasks.js';
import type { Sql } from '../tickets/store/db.js';
import { setConversationPrompt, setPostMessage, setReminderMessage } from '../tickets/store/bot-state-repo.js';
import { recordEscalation } from '../tickets/store/escalation-repo.js';
import type { BotDeps } from './bot-deps.js';
import type { Effect } from './effects.js';
import { resolvePanelLinks } from './panel-links.js';
import { findPostByMessage } from '../tickets/store/bot-state-repo.js';
import { personOfEmployee } from './person-name.js';
import { TEXTS } from './texts.js';

/**
 * Applies a decision at most once and says what it has to say at least once. The decision and
 * its effects commit together under `key`; the effects then run, each under a key derived
 * from it, so running them again (a retried job, a replay after a crash) repeats nothing.
 */
export async function applyOnce(deps: BotDeps, key: string, decide: (tx: Sql) => Promise<Effect[]>): Promise<void> {
  const effects = await deps.db.transaction(async (tx) => {
    const [done] = await tx.query<{ effects: Effect[]; done_at: Date | null }>('select effects, done_at from bot_events where event_key = $1', [key]);
    if (done) return done.done_at ? null : done.effects;
    const decided = await decide(tx);
    await recordEffects(tx, key, decided, deps.now());
    return decided;
  }).catch((err: unknown) => {
    // Two processes decided the same key at once: the other one committed first and runs the
    // effects. Only this exact conflict is a harmless race; every other error goes on up.
    if (isSameKeyConflict(err)) return null;
    throw err;
  });
  if (effects) await runEffects(deps, key, effects);
}

function isSameKeyConflict(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && e.constraint === 'bot_events_pkey';
}

/** Stores effects with the transaction that decided them (see applyOnce). */
export async function recordEffects(tx: Sql, key: string, effects: Effect[], at: Date): Promise<void> {
  await tx.query('insert into bot_events (event_key, effects, created_at) values ($1, $2, $3)', [key, JSON.stringify(effects), at]);
}

/** In order by default; `parallel` for independent effects (a round's posts), which the call queue then batches. */
export async function runEffects(deps: BotDeps, key: string, effects: Effect[], opts: { parallel?: boolean } = {}): Promise<void> {
  if (opts.parallel) await Promise.all(effects.map((effect, i) => runEffect(deps, `${key}.${i}`, effect)));
  else for (const [i, effect] of effects.entries()) await runEffect(deps, `${key}.${i}`, effect);
  await deps.db.query('update bot_events set done_at = $2 where event_key = $1', [key, deps.now()]);
}

/** Effects whose run was cut short (a crash after the commit): run them again. */
export async function replayUnfinished(deps: BotDeps, olderThanMs: number): Promise<number> {
  const rows = await deps.db.query<{ event_key: string; effects: Effect[] }>(
    `select event_key, effects from bot_events where done_at is null and created_at < $1 order by created_at limit 100`,
    [new Date(deps.now().getTime() - olderThanMs)]);
  for (const r of rows) await runEffects(deps, r.event_key, r.effects);
  return rows.length;
}

/**
 * Effects decided elsewhere (the operator panel, in the web process) and stored under `key`:
 * the bot runs them as if it had decided them, once.
 */
export async function runRecordedEffects(deps: BotDeps, key: string): Promise<void> {
  const [row] = await deps.db.query<{ effects: Effect[] }>('select effects from bot_events where event_key = $1 and done_at is null', [key]);
  if (row) await runEffects(deps, key, row.effects);
}

/** Panel paths in a message's text become links, signed for the person whose dialog it is. */
async function withLinks(deps: BotDeps, text: string, dialogId: string | null | (() => Promise<string | null>)): Promise<string> {
  if (!text.includes('[url=/')) return text;
  const dialog = typeof dialogId === 'function' ? await dialogId() : dialogId;
  return resolvePanelLinks(text, { publicUrl: deps.settings.publicUrl, secret: deps.panelLinks?.secret ?? null, lifetimeMs: deps.panelLinks?.lifetimeMs ?? 0 },
    dialog, deps.now());
}

async function runEffect(deps: BotDeps, key: string, e: Effect): Promise<void> {
  const { b24, bot, db } = deps;
  const botId = bot.botId;
  try {
    switch (e.op) {
      case 'send': {
        const messageId = await sendMessage(b24, bot, e.dialogId, await withLinks(deps, e.text, e.dialogId), e.keyboard, key);
        if (e.post) await setPostMessage(db, e.post.ticketId, e.post.role, e.dialogId, messageId);
        if (e.reminder) await setReminderMessage(db, e.reminder.kind, e.dialogId, new Date(e.reminder.sentAt), messageId);
        if (e.prompt) await setConversationPrompt(db, e.prompt.b24UserId, new Date(e.prompt.startedAt), messageId);
        return;
      }
      case 'update': {
        const text = await withLinks(deps, e.text, async () => (await findPostByMessage(db, e.messageId))?.dialogId ?? null);
        return await updateMessage(b24, bot, e.messageId, text, e.keyboard, key);
      }
      case 'delete': return await deleteMessage(b24, bot, e.messageId, key);
      case 'mail': return await deps.queueMail(e.messageRowIds);
      case 'task': {
        const task = await addTask(b24, {
          title: e.title, description: e.description, responsibleId: e.developer.b24UserId, auditors: e.auditors,
        }, key);
        await recordEscalation(db, {
          ticketId: e.ticketId, taskId: task.id, chatId: task.chatId, developerId: e.developer.employeeId,
          specialistId: e.specialist.employeeId, at: deps.now(),
        });
        const x = TEXTS[e.specialist.language];
        await sendMessage(b24, bot, String(e.specialist.b24UserId), x.taskCreated(e.ticketNumber, task.id, personOfEmployee(e.developer)), null, `${key}.notify`);
        return;
      }
    }
  } catch (err) {
    // The portal said no for good (a deleted message, a user who left): say so and go on,
    // rather than retrying a click forever. A busy portal (rate limit) or anything else retries.
    if (!(err instanceof B24ApiError) || isTransient(err)) throw err;
    deps.log.warn({ op: e.op, key, code: err.code, err: err.message }, 'bitrix24 refused a bot effect');
    deps.noticeRefusal?.(err, botId, e.op === 'send' ? { dialogId: e.dialogId, dispatchCard: e.post?.role === 'dispatch' } : {});
  }
}
