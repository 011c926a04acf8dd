import type { Sql } from './store/db.js';
import type { InboundMail } from './types.js';

/**
 * Threading that holds whatever order mail arrives in (issue 11, "Threads that hold").
 *
 * Mail and its replies are linked by Message-IDs: a reply names its parent (In-Reply-To) and
 * ancestors (References). A slice is threaded in two directions: forward (the tickets holding
 * the mail it names) and backward (stored mail naming it: replies that came before it and
 * opened tickets of their own). Everything a slice links together ends on one ticket; tickets
 * found linked are merged into one (tickets/merge-tickets.ts).
 *
 * Concurrency: two transactions holding the two ends of one link both lock that link's
 * Message-ID (the reply names it, the parent owns it) before they look anything up, so the
 * second waits for the first to commit and then sees it. This holds for any number of worker
 * processes, as the lock lives in PostgreSQL (PGlite runs one transaction at a time anyway).
 */

/** References beyond this many are not locked (the root and the latest are); lookups still use them all. */
const MAX_LOCKED_REFERENCES = 32;
/** Namespace of the two-key advisory locks: it never meets the one-key dedupe locks. */
const THREAD_LOCK_SPACE = 11_002;

/** Every Message-ID a mail is linked by: its own, its parent's, its ancestors'. */
export function threadKeys(mails: InboundMail[]): string[] {
  const keys = new Set<string>();
  for (const m of mails) {
    const refs = m.references.length > MAX_LOCKED_REFERENCES
      ? [m.references[0], ...m.references.slice(-(MAX_LOCKED_REFERENCES - 1))] : m.references;
    for (const k of [m.messageId, m.inReplyTo, ...refs]) if (k) keys.add(k);
  }
  return [...keys];
}

/**
 * Locks the slice's thread keys until the transaction ends, in hash order so two slices can
 * never wait on each other in a circle. Call it before any lookup.
 */
export async function lockThreads(tx: Sql, mails: InboundMail[]): Promise<void> {
  const keys = threadKeys(mails);
  if (keys.length === 0) return;
  await tx.query(
    `select count(pg_advisory_xact_lock($2::int, h)) from (select distinct hashtext(k) as h from unnest($1::text[]) k order by 1) s`,
    [keys, THREAD_LOCK_SPACE]);
}

/**
 * Stored mail from outside that names any of `messageIds` as parent or ancestor: message id ->
 * tickets of such replies. Our own mail is left out: it names only mail we already had, so a
 * new mail under an id our acknowledgement names is another mail reusing that id, not its original.
 */
export async function findEarlyReplies(tx: Sql, messageIds: string[]): Promise<Map<string, Set<number>>> {
  const found = new Map<string, Set<number>>();
  if (messageIds.length === 0) return found;
  const rows = await tx.query<{ ticket_id: number; in_reply_to: string | null; references: string[] }>(
    `select ticket_id, in_reply_to, "references" from messages
      where direction = 'in' and (in_reply_to = any($1) or "references" && $1::text[])`, [messageIds]);
  const wanted = new Set(messageIds);
  for (const r of rows) {
    for (const parent of new Set([r.in_reply_to, ...r.references])) {
      if (!parent || !wanted.has(parent)) continue;
      if (!found.has(parent)) found.set(parent, new Set());
      found.get(parent)!.add(r.ticket_id);
    }
  }
  return found;
}

export interface ThreadInput {
  /** The slice's new mail (duplicates left out), in arrival order. */
  mails: InboundMail[];
  /** Per mail: the ticket its subject tag validly names, if any (the tag wins over references). */
  tagged: Array<number | null>;
  /** Stored Message-IDs and their tickets. */
  ticketByMessageId: Map<string, number>;
  /** findEarlyReplies for the slice's Message-IDs. */
  earlyReplies: Map<string, Set<number>>;
  /** Client of each existing ticket involved: tickets of two different clients are never merged. */
  clientOf: (ticketId: number) => number | null;
}

export interface ThreadPlan {
  /** Per mail: the existing ticket it goes to, or the index of the mail whose new ticket it joins. */
  targets: Array<{ ticketId: number } | { openedBy: number }>;
  /** Tickets to join into another: each absorbed one's mail moves to its survivor. */
  merges: Array<{ absorbed: number; survivor: number }>;
}

/**
 * Groups a slice's mail with the tickets it is linked to and decides, per group, where it
 * all ends. The survivor is the ticket the mail's own references lead to (the thread's
 * older part, its root when known: the one a tag or the earliest reference names), because
 * that is the thread the client and we were already in; tickets opened by replies that
 * arrived before their original are absorbed. When the mail leads to no ticket, the oldest
 * of the early replies' tickets takes it (its number is what the client was told). A group
 * of new mail only opens one ticket, for its first mail that names no other mail of the group.
 */
export function planThreads(input: ThreadInput): ThreadPlan {
  const { mails } = input;
  const parent = new Map<string, string>();
  const find = (x: string): string => { let r = x; while (parent.get(r) !== r) r = parent.get(r)!; parent.set(x, r); return r; };
  const add = (x: string) => { if (!parent.has(x)) parent.set(x, x); };
  const union = (a: string, b: string) => { add(a); add(b); parent.set(find(a), find(b)); };
  // How near the thread's root a ticket was found: tag first, then by position in References.
  const rank = new Map<number, number>();
  const ranked = (t: number, r: number) => rank.set(t, Math.min(rank.get(t) ?? Infinity, r));
  const inSlice = new Map(mails.map((m, i) => [m.messageId, i] as const).filter(([id]) => id !== null));

  mails.forEach((m, i) => {
    add(`m${i}`);
    const tag = input.tagged[i];
    if (tag !== null) { union(`m${i}`, `t${tag}`); ranked(tag, -1); }
    else {
      [...m.references, ...(m.inReplyTo ? [m.inReplyTo] : [])].forEach((ref, pos) => {
        const j = inSlice.get(ref);
        const t = input.ticketByMessageId.get(ref);
        if (j !== undefined && j !== i) union(`m${i}`, `m${j}`);
        else if (t !== undefined) { union(`m${i}`, `t${t}`); ranked(t, pos); }
      });
    }
    for (const t of (m.messageId && input.earlyReplies.get(m.messageId)) || []) union(`m${i}`, `t${t}`);
  });

  const groups = new Map<string, { mails: number[]; tickets: number[] }>();
  for (const node of parent.keys()) {
    const g = groups.get(find(node)) ?? { mails: [], tickets: [] };
    groups.set(find(node), g);
    if (node.startsWith('m')) g.mails.push(Number(node.slice(1))); else g.tickets.push(Number(node.slice(1)));
  }
  const plan: ThreadPlan = { targets: new Array(mails.length), merges: [] };
  for (const g of groups.values()) {
    g.mails.sort((a, b) => a - b);
    if (g.tickets.length === 0) {
      const own = new Set(g.mails.map((i) => mails[i].messageId));
      const opener = g.mails.find((i) => ![...mails[i].references, mails[i].inReplyTo].some((ref) => ref && own.has(ref))) ?? g.mails[0];
      for (const i of g.mails) plan.targets[i] = { openedBy: opener };
      continue;
    }
    const byRoot = (a: number, b: number) => ((rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity)) || a - b;
    const survivor = [...g.tickets].sort(byRoot)[0];
    for (const i of g.mails) plan.targets[i] = { ticketId: survivor };
    const client = input.clientOf(survivor);
    for (const t of g.tickets) {
      const other = input.clientOf(t);
      // A thread that crosses companies stays apart: merging would show one client the other's mail.
      if (t !== survivor && (other === null || client === null || other === client)) plan.merges.push({ absorbed: t, survivor });
    }
  }
  return plan;
}
