import crypto from 'node:crypto';
import type { Db } from '../../tickets/store/db.js';
import { recordAudit } from '../../tickets/store/audit-repo.js';
import type { ClientReplyBody, MailAccepted, NewRequestBody } from '../api-schemas.js';
import type { PortalUser } from '../accounts/portal-user-repo.js';
import { findScopedTicket } from '../tickets/get-client-ticket.js';
import { scopeOf } from '../tickets/ticket-scope.js';
import { composeClientMail } from './compose-client-mail.js';

/**
 * Where mail written in the cabinet goes: the intake's own door (main/ wires it to the raw
 * archive, the mail parser and the ingest queue), so it is threaded, deduplicated and
 * acknowledged by exactly the rules mail from a mail client meets.
 */
export interface ClientMailIntake {
  accept(mail: { raw: Buffer; sourceKey: string }): Promise<void>;
}

export interface ClientMailDeps {
  db: Db;
  mailIntake: ClientMailIntake;
  /** Our support address: the To of the mail. */
  supportAddress: string;
  messageIdDomain: string;
}

type Person = Pick<PortalUser, 'id' | 'email' | 'name' | 'clientId' | 'role'>;

/** The thread's Message-IDs in order, as a mail client answering its latest mail would quote them. */
async function threadIds(db: Db, ticketId: number): Promise<string[]> {
  const rows = await db.query<{ message_id: string }>(`select message_id from messages
    where ticket_id = $1 and direction in ('in', 'out') and message_id is not null and (direction = 'in' or send_state = 'sent') order by id`,
  [ticketId]);
  return rows.map((r) => r.message_id);
}

async function hand(deps: ClientMailDeps, person: Person, mail: { subject: string; body: ClientReplyBody; thread: string[] }): Promise<MailAccepted> {
  const id = crypto.randomUUID();
  const messageId = `cabinet-${id}@${deps.messageIdDomain}`;
  const raw = await composeClientMail({
    from: { name: person.name, address: person.email }, to: deps.supportAddress, subject: mail.subject, text: mail.body.text,
    messageId, inReplyTo: mail.thread.at(-1) ?? null, references: mail.thread.slice(-20), attachments: mail.body.attachments, date: new Date(),
  });
  await deps.mailIntake.accept({ raw, sourceKey: `cabinet:${id}` });
  return { messageId };
}

/** A reply in the slide-over: a mail answering the ticket's latest mail, tagged with its number. */
export async function replyFromCabinet(deps: ClientMailDeps, person: Person, number: number, body: ClientReplyBody): Promise<MailAccepted> {
  const t = await findScopedTicket(deps.db, scopeOf(person), number);
  const subject = `Re: [#${number}] ${t.row.subject as string}`;
  const out = await hand(deps, person, { subject, body, thread: await threadIds(deps.db, t.id) });
  await recordAudit(deps.db, {
    ticketId: t.id, actor: `client:${person.email}`, channel: 'web', action: 'cabinet_reply', at: new Date(),
    details: { messageId: out.messageId, attachments: body.attachments.length },
  });
  return out;
}

/** "Новое обращение": a new mail to support; the ticket and its acknowledgement follow as for any mail. */
export async function openRequestFromCabinet(deps: ClientMailDeps, person: Person, body: NewRequestBody): Promise<MailAccepted> {
  const out = await hand(deps, person, { subject: body.subject, body, thread: [] });
  await recordAudit(deps.db, {
    ticketId: null, actor: `client:${person.email}`, channel: 'web', action: 'cabinet_new_request', at: new Date(),
    details: { messageId: out.messageId, clientId: person.clientId, attachments: body.attachments.length },
  });
  return out;
}
