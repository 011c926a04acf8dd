import { planThreads, threadKeys, type ThreadInput } from '../../tickets/thread-mail.js';
import type { InboundMail } from '../../tickets/types.js';

const mail = (id: string, parent?: string, refs?: string[]): InboundMail => ({
  dedupeKey: `mid:${id}`, messageId: id, inReplyTo: parent ?? null, references: refs ?? (parent ? [parent] : []),
  from: { address: 'a@x.example', name: null }, to: [], cc: [], subject: 's', text: '', html: null, attachments: [],
  rawSha256: id, rawRef: null, autoKind: null, unparsed: false, parseError: null,
});
const input = (mails: InboundMail[], o: Partial<ThreadInput> = {}): ThreadInput => ({
  mails, tagged: mails.map(() => null), ticketByMessageId: new Map(), earlyReplies: new Map(), clientOf: () => 7, ...o,
});

test('a mail naming two tickets of one thread goes to the one nearest the root; the other is merged into it', () => {
  // References run root first: m1 is on ticket 20, m3 (opened early) on ticket 10.
  const plan = planThreads(input([mail('m4', 'm3', ['m1', 'm2', 'm3'])], { ticketByMessageId: new Map([['m1', 20], ['m3', 10]]) }));
  expect(plan).toEqual({ targets: [{ ticketId: 20 }], merges: [{ absorbed: 10, survivor: 20 }] });
});

test('an original nobody had: it joins the oldest of the tickets its early replies opened, the others merge into it', () => {
  const plan = planThreads(input([mail('o')], { earlyReplies: new Map([['o', new Set([31, 30])]]) }));
  expect(plan).toEqual({ targets: [{ ticketId: 30 }], merges: [{ absorbed: 31, survivor: 30 }] });
});

test('new mail of one thread opens one ticket, for the mail that names no other; unrelated mail opens its own', () => {
  const plan = planThreads(input([mail('r2', 'r1'), mail('x'), mail('r1', 'r0'), mail('r3', 'r2')]));
  expect(plan).toEqual({ targets: [{ openedBy: 2 }, { openedBy: 1 }, { openedBy: 2 }, { openedBy: 2 }], merges: [] });
});

test('a valid subject tag wins over references, and tickets of two different clients are never merged', () => {
  const clients = new Map([[40, 1], [41, 2]]);
  const plan = planThreads(input([mail('t', 'p')], {
    tagged: [41], ticketByMessageId: new Map([['p', 40]]), earlyReplies: new Map([['t', new Set([40])]]), clientOf: (id) => clients.get(id) ?? null,
  }));
  expect(plan).toEqual({ targets: [{ ticketId: 41 }], merges: [] });
});

test('thread keys: own id, parent and references, the root and the latest 31 of a long chain', () => {
  const refs = Array.from({ length: 40 }, (_, i) => `r${i}`);
  const keys = threadKeys([mail('me', 'r39', refs)]);
  expect(keys).toEqual(['me', 'r39', 'r0', ...refs.slice(9, 39)]);
});
