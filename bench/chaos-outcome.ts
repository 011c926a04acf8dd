import type pg from 'pg';
import type { Sandbox } from '../sandbox/index.js';

export interface Outcome {
  lost: number;
  duplicate_messages: number;
  duplicate_acks: number;
  missing_acks: number;
  duplicate_posts: number;
  missing_posts: number;
  orphaned_posts: number;
}

/**
 * What came out of a chaos run, from three sides: the database (what we stored), the SMTP
 * listener (what we sent: Message-ID -> times received) and the portal's dispatch chat (what
 * the dispatchers see). A dispatch card opens with "[b]#1042[/b]"; reminders are skipped.
 */
export async function countOutcome(db: pg.Pool, smtpReceived: Map<string, number>, sandbox: Sandbox, mailIds: string[]): Promise<Outcome> {
  const inbound = (await db.query<{ message_id: string; n: number }>(
    `select message_id, count(*)::int as n from messages where direction = 'in' group by message_id`)).rows;
  const stored = new Map(inbound.map((r) => [r.message_id, r.n]));
  const acks = (await db.query<{ message_id: string }>(`select message_id from messages where direction = 'out' and kind = 'ack'`)).rows;
  const tickets = (await db.query<{ number: string; message_id: string | null }>(
    `select t.number::text, p.message_id::text from tickets t left join bot_posts p on p.ticket_id = t.id and p.role = 'dispatch'`)).rows;
  const chat = (await db.query<{ value: string }>(`select value from connector_state where key like 'bot.dispatch-dialog.%'`)).rows[0]?.value;
  const cards = new Map<string, number[]>();
  for (const m of chat ? sandbox.chatMessages(Number(String(chat).replace(/^chat/, ''))) : []) {
    const number = /^\[b\]#(\d+)\[\/b\]/.exec(String(m.text))?.[1];
    if (number) cards.set(number, [...(cards.get(number) ?? []), Number(m.id)]);
  }
  return {
    lost: mailIds.filter((id) => !stored.has(id)).length,
    duplicate_messages: inbound.filter((r) => r.n > 1).length,
    duplicate_acks: acks.filter((a) => (smtpReceived.get(a.message_id) ?? 0) > 1).length,
    missing_acks: acks.filter((a) => !smtpReceived.has(a.message_id)).length,
    duplicate_posts: [...cards.values()].filter((ids) => ids.length > 1).length,
    missing_posts: tickets.filter((t) => !cards.has(t.number)).length,
    orphaned_posts: tickets.filter((t) => (cards.get(t.number) ?? []).some((id) => String(id) !== t.message_id)).length,
  };
}
