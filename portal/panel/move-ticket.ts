import type { TicketStatus } from '../../tickets/ticket-status.js';
import { boardMoves, type BoardStage } from './board-moves.js';
import type { MoveInput } from './board-schemas.js';
import { findStaffTicket } from './get-staff-ticket.js';
import {
  acceptFromPanel, ActionRefusedError, assignFromPanel, closeForTimeFromPanel, closeFromPanel, escalateFromPanel, type PanelActionDeps,
} from './panel-actions.js';
import type { Staff } from './staff-rights.js';

const STAGE_NAMES: Record<'ru' | 'en', Record<string, string>> = {
  ru: { new: 'Новое', assigned: 'Назначено', in_progress: 'В работе', escalated: 'У разработчика', awaiting_time: 'Ждёт время', resolved: 'Решено',
    rejected: 'Не обращение', merged: 'Объединено' },
  en: { new: 'New', assigned: 'Assigned', in_progress: 'In progress', escalated: 'With a developer', awaiting_time: 'Time missing', resolved: 'Resolved',
    rejected: 'Not a request', merged: 'Merged' },
};

/** Why a drop was refused, in the person's language: the page shows it as the card snaps back. */
export function moveRefusal(lang: 'ru' | 'en', number: number, from: string, to: BoardStage): string {
  const n = STAGE_NAMES[lang];
  return lang === 'ru'
    ? `Обращение #${number} нельзя перенести из «${n[from] ?? from}» в «${n[to]}».`
    : `Ticket #${number} cannot move from "${n[from] ?? from}" to "${n[to]}".`;
}

/**
 * A drop on the board: refused unless the board offers that move to this person now
 * (board-moves.ts), then run by the ticket page's own action, which checks again under the
 * ticket's row lock, so a board out of date cannot make a move the rules forbid.
 */
export async function moveFromBoard(deps: PanelActionDeps, staff: Staff, number: number, input: MoveInput): Promise<void> {
  const t = await findStaffTicket(deps.db, staff, number);
  const status = t.status as TicketStatus;
  const moves = boardMoves(status, { mine: Number(t.assignee_id) === staff.employee.id, admin: staff.admin });
  if (!moves.includes(input.to)) throw new ActionRefusedError(moveRefusal(staff.employee.language, number, status, input.to));
  switch (input.to) {
    case 'assigned': return assignFromPanel(deps, staff, number, input.employeeId);
    case 'in_progress': return acceptFromPanel(deps, staff, number);
    case 'escalated': return escalateFromPanel(deps, staff, number, input.developerId);
    case 'awaiting_time': return closeForTimeFromPanel(deps, staff, number);
    case 'resolved': return closeFromPanel(deps, staff, number, input.minutes, input.billable);
  }
}
