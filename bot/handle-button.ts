import { TicketError } from '../tickets/errors.js';
import { ensureEmployee } from '../tickets/store/employee-repo.js';
import { touchReminder } from '../tickets/store/bot-state-repo.js';
import type { BotDeps } from './bot-deps.js';
import { decodeButton, type ButtonAction } from './button-codec.js';
import { findSurface, tellClicker, textsFor, type Click } from './button-context.js';
import { onBack, onDepartment, onEmployee, onNotARequest, onOpen, onReassign } from './dispatch-buttons.js';
import { send, type Effect } from './effects.js';
import { lockTicketCard } from './load-ticket-cards.js';
import type { BotInput } from './read-bot-event.js';
import { applyOnce } from './run-effects.js';
import {
  mustBeAssignee, onAccept, onBillable, onCancel, onClose, onDeveloper, onEscalate, onOtherTime, onReply, onTime,
} from './specialist-buttons.js';

const HANDLERS: Record<ButtonAction, (c: Click) => Promise<Effect[]>> = {
  dept: onDepartment, emp: onEmployee, back: onBack, spam: onNotARequest,
  accept: onAccept, reply: onReply, cancel: onCancel, esc: onEscalate, dev: onDeveloper, close: onClose,
  time: onTime, other: onOtherTime, bill: onBillable, free: onBillable, reassign: onReassign, open: onOpen,
};

/** Buttons only the assignee may press; the dispatch ones are anyone's. */
const ASSIGNEE_ONLY = new Set<ButtonAction>(['accept', 'reply', 'esc', 'dev', 'close', 'time', 'other', 'bill', 'free', 'reassign']);

/**
 * A keyboard click (a `tkt` command event, reference §0). Applied once per event under the
 * ticket's row lock, so two dispatchers clicking at once are served one after the other and
 * the second finds the ticket taken.
 */
export async function handleButton(deps: BotDeps, key: string, input: BotInput): Promise<void> {
  const payload = decodeButton(input.command?.params ?? '');
  if (!payload || !input.user) {
    deps.log.warn({ params: input.command?.params, key }, 'ignored a click that is not one of our buttons');
    return;
  }
  const user = input.user;
  await applyOnce(deps, key, async (tx) => {
    const actor = await ensureEmployee(tx, user.b24Id, user.name, input.language);
    const t = await lockTicketCard(tx, { number: payload.ticket });
    if (!t) return [send(String(actor.b24UserId), textsFor(actor.language).notFound(`#${payload.ticket}`))];
    const lang = input.isPrivate ? actor.language : deps.settings.language;
    const c: Click = {
      deps, tx, input, payload, actor, now: deps.now(), lang, x: textsFor(lang),
      t, surface: await findSurface(tx, t.ticket.id, input.messageId),
    };
    // A reminder is not replaced under the finger of the dispatcher working through it.
    if (c.surface.kind === 'reminder') await touchReminder(tx, input.messageId, c.now);
    if (ASSIGNEE_ONLY.has(payload.action) || (c.surface.kind === 'specialist' && payload.action !== 'back')) {
      const denied = mustBeAssignee(c);
      if (denied) return denied;
    }
    try {
      return await HANDLERS[payload.action](c);
    } catch (err) {
      // A rule of the ticket said no (e.g. a transition from a stale card): tell, do not retry.
      if (!(err instanceof TicketError)) throw err;
      deps.log.info({ key, code: err.code, ticket: payload.ticket }, 'click refused by a ticket rule');
      return [tellClicker(c, c.x.alreadyHandled(t.ticket.number, c.x.status[t.ticket.status]))];
    }
  });
}
