import type { PortalContext } from '../portal-context.js';
import { appAuthBlock } from '../auth/oauth-tokens.js';
import { unixSeconds } from '../bitrix-date.js';

/**
 * Pushes an event to every handler an app bound with event.bind, form-encoded, with the
 * tokens of the user who caused it (or of the binding's auth_type user) (reference §2).
 */
export function fireAppEvent(ctx: PortalContext, event: string, data: Record<string, unknown>, actingUserId: number): void {
  for (const binding of ctx.state.auth.bindings) {
    if (binding.event !== event) continue;
    const app = ctx.state.auth.apps.get(binding.clientId);
    if (!app) continue;
    ctx.pushes.enqueue(binding.handler, event, {
      event,
      event_handler_id: binding.id,
      data,
      ts: unixSeconds(ctx.now()),
      auth: appAuthBlock(ctx, app, binding.authUserId ?? actingUserId),
    });
  }
}

/** reference §2: the new task card sends ID=0 plus MESSAGE_ID, and literal "undefined" before. */
export function taskCommentAddData(taskId: number, messageId: number): Record<string, unknown> {
  return {
    FIELDS_BEFORE: 'undefined',
    FIELDS_AFTER: { ID: 0, TASK_ID: taskId, MESSAGE_ID: messageId },
    IS_ACCESSIBLE_BEFORE: 'undefined',
    IS_ACCESSIBLE_AFTER: 'undefined',
  };
}

/** reference §2: ONTASKUPDATE carries ids only; the handler reads the task. */
export function taskUpdateData(taskId: number): Record<string, unknown> {
  return {
    FIELDS_BEFORE: { ID: taskId },
    FIELDS_AFTER: { ID: taskId },
    IS_ACCESSIBLE_BEFORE: 'Y',
    IS_ACCESSIBLE_AFTER: 'Y',
  };
}

export function taskAddData(taskId: number): Record<string, unknown> {
  return { FIELDS_BEFORE: 'undefined', FIELDS_AFTER: { ID: taskId }, IS_ACCESSIBLE_BEFORE: 'N', IS_ACCESSIBLE_AFTER: 'Y' };
}
