import { getDepartment, getEmployee, listDepartmentStaff, listSupportDepartments } from '../tickets/store/employee-repo.js';
import { reservePost, setPostView, type PostView } from '../tickets/store/bot-state-repo.js';
import { transitionTicket } from '../tickets/store/ticket-repo.js';
import type { Sql } from '../tickets/store/db.js';
import type { Language } from '../tickets/types.js';
import { send, type Effect } from './effects.js';
import { editClicked, editDispatchCard, refreshReminder, tellClicker, type Click } from './button-context.js';
import {
  renderAssigned, renderDispatchMessage, renderEmployeeChoice, renderRejected, renderRejectReasons, type Choice, type DispatchTicket, type RenderedMessage,
} from './render-dispatch-message.js';
import { renderReassignChoice, renderSpecialistCard } from './render-specialist-card.js';
import { personOf, personOfEmployee, type Gender, type Person } from './person-name.js';
import { TEXTS } from './texts.js';

const choices = (rows: Array<{ id: number; name: string }>) => rows.map((r) => ({ id: r.id, name: r.name }));

/** The dispatch card on the step the dispatcher left it on (bot_posts.view, 029). */
export async function dispatchCardAt(tx: Sql, card: DispatchTicket, view: PostView, departments: Choice[], lang: Language): Promise<RenderedMessage> {
  if (view && 'reasons' in view) return renderRejectReasons(card, lang);
  const department = view ? await getDepartment(tx, view.department) : null;
  if (!department) return renderDispatchMessage(card, departments, lang);
  return renderEmployeeChoice(card, department, choices(await listDepartmentStaff(tx, department.id)), lang);
}

/** Who assigned the ticket last (for "already taken by …"). */
async function lastAssigner(tx: Sql, ticketId: number): Promise<Person> {
  const [row] = await tx.query<{ name: string | null; gender: Gender | null }>(
    `select e.name, e.gender from audit_log a left join employees e on 'employee:' || e.id = a.actor
      where a.ticket_id = $1 and a.action = 'assign' order by a.id desc limit 1`, [ticketId]);
  return personOf(row?.name ?? '—', row?.gender);
}

/** The second of two dispatchers is told who was first; the card already shows it. */
async function alreadyTaken(c: Click): Promise<Effect[]> {
  const { ticket, card } = c.t;
  if (ticket.status !== 'assigned' && ticket.status !== 'in_progress' && ticket.status !== 'escalated') {
    return [tellClicker(c, c.x.alreadyHandled(card.number, c.x.status[ticket.status]))];
  }
  const assignee = await getEmployee(c.tx, ticket.assigneeId!);
  return [tellClicker(c, c.x.alreadyAssigned(card.number, personOf(assignee?.name ?? '—', assignee?.gender), await lastAssigner(c.tx, ticket.id)))];
}

/** A department click: the same message lists that department's people. */
export async function onDepartment(c: Click): Promise<Effect[]> {
  const reassigning = c.surface.kind === 'specialist';
  if (!reassigning && c.t.ticket.status !== 'new') return alreadyTaken(c);
  const department = await getDepartment(c.tx, Number(c.payload.arg));
  if (!department) return [];
  const staff = choices((await listDepartmentStaff(c.tx, department.id)).filter((e) => e.id !== c.t.ticket.assigneeId));
  if (c.surface.kind === 'reminder') return refreshReminder(c, { ticket: c.t.card.number, step: 'employees', department, employees: staff });
  if (c.surface.kind === 'dispatch') await setPostView(c.tx, c.t.ticket.id, 'dispatch', { department: department.id });
  return [editClicked(c, renderEmployeeChoice(c.t.card, department, staff, c.lang))];
}

/** Back: the message as it was before the department click. */
export async function onBack(c: Click): Promise<Effect[]> {
  const { ticket, card } = c.t;
  if (c.surface.kind === 'reminder') return refreshReminder(c);
  if (c.surface.kind === 'specialist') return [editClicked(c, renderSpecialistCard(card, ticket.status, c.lang))];
  if (ticket.status !== 'new') return alreadyTaken(c);
  if (c.surface.kind === 'dispatch') await setPostView(c.tx, ticket.id, 'dispatch', null);
  return [editClicked(c, renderDispatchMessage(card, choices(await listSupportDepartments(c.tx)), c.lang))];
}

/**
 * An employee click assigns (the first click wins: the ticket row is locked and must still be
 * new) and hands the ticket to that person's private dialog. From the assignee's own card it
 * is a reassignment.
 */
export async function onEmployee(c: Click): Promise<Effect[]> {
  const { ticket, card } = c.t;
  const reassigning = c.surface.kind === 'specialist';
  if (!reassigning && ticket.status !== 'new') return alreadyTaken(c);
  const employee = await getEmployee(c.tx, Number(c.payload.arg));
  if (!employee?.active) return [];
  const previous = reassigning && ticket.assigneeId ? await getEmployee(c.tx, ticket.assigneeId) : null;
  const assigned = await transitionTicket(c.tx, ticket.id, {
    event: 'assign', actor: `employee:${c.actor.id}`, channel: 'bot', at: c.now,
    set: { assigneeId: employee.id, departmentId: employee.departmentId }, details: { assignee: employee.id },
  });
  const dialogId = String(employee.b24UserId);
  await reservePost(c.tx, ticket.id, 'specialist', dialogId);
  const cardFor = renderSpecialistCard(card, assigned.status, employee.language);
  const lang = c.deps.settings.language;
  const assignedNote = renderAssigned(card, personOfEmployee(employee), personOfEmployee(c.actor), c.now, c.deps.settings.timeZone, lang);
  return [
    ...(previous ? [editClicked(c, { text: TEXTS[previous.language].reassignedAway(card.number, personOfEmployee(employee)), keyboard: null })] : []),
    ...await editDispatchCard(c, assignedNote),
    ...(c.surface.kind === 'other' ? [editClicked(c, assignedNote)] : []),
    ...await refreshReminder(c),
    send(dialogId, cardFor.text, cardFor.keyboard, { post: { ticketId: ticket.id, role: 'specialist' } }),
  ];
}

/** "Not a request": first the reason, then the ticket closes without time. */
export async function onNotARequest(c: Click): Promise<Effect[]> {
  const { ticket, card } = c.t;
  if (ticket.status !== 'new' && ticket.status !== 'assigned') return alreadyTaken(c);
  const reason = c.payload.arg;
  if (!reason && c.surface.kind === 'reminder') return refreshReminder(c, { ticket: card.number, step: 'reasons' });
  if (!reason && c.surface.kind === 'dispatch') await setPostView(c.tx, ticket.id, 'dispatch', { reasons: true });
  if (!reason) return [editClicked(c, renderRejectReasons(card, c.lang))];
  await transitionTicket(c.tx, ticket.id, { event: 'reject', actor: `employee:${c.actor.id}`, channel: 'bot', at: c.now, details: { reason } });
  const closed = renderRejected(card, reason, c.actor.name, c.now, c.deps.settings.timeZone, c.lang);
  return [
    ...await editDispatchCard(c, closed),
    ...(c.surface.kind !== 'dispatch' && c.surface.kind !== 'reminder' ? [editClicked(c, closed)] : []),
    ...await refreshReminder(c),
  ];
}

/**
 * A ticket's number in a reminder: the reminder opens that ticket's departments in place. From
 * any other list (/unassigned) the clicked message becomes the ticket's dispatch choice.
 */
export async function onOpen(c: Click): Promise<Effect[]> {
  if (c.t.ticket.status !== 'new') return alreadyTaken(c);
  if (c.surface.kind === 'reminder') return refreshReminder(c, { ticket: c.t.card.number, step: 'departments' });
  return [editClicked(c, renderDispatchMessage(c.t.card, choices(await listSupportDepartments(c.tx)), c.lang))];
}

/** Reassign: the assignee picks a department, then a person, on their own card. */
export async function onReassign(c: Click): Promise<Effect[]> {
  return [editClicked(c, renderReassignChoice(c.t.card, choices(await listSupportDepartments(c.tx)), c.lang))];
}
