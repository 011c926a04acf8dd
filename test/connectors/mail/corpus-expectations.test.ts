import { compareCorpus, type CorpusMail, type ObservedAck, type ObservedMessage } from './corpus-expectations.js';

// The corpus check must name what a user would notice, and nothing else.

const mail = (file: string, over: Partial<CorpusMail> = {}): CorpusMail => ({
  file, subject: `subject of ${file}`, sender: `${file}@client.example`, automatic: false, kind: null,
  unknownSender: false, hasBody: true, attachments: [], messageId: `${file}@client.example`, ...over,
});

let nextRow = 1;
const seen = (m: CorpusMail, over: Partial<ObservedMessage> = {}): [string, ObservedMessage] => {
  const rowId = nextRow++;
  return [m.file, {
    rowId, ticketId: rowId, ticketNumber: 1000 + rowId, ticketSubject: String(m.subject), messageId: m.messageId,
    subject: String(m.subject), fromAddress: String(m.sender), autoKind: m.automatic ? String(m.kind) : null,
    unparsed: false, hasBody: true, attachmentNames: [], ackStates: [], ...over,
  }];
};
const ackFor = (o: ObservedMessage, subject = o.subject): ObservedAck => ({
  rcptTo: [String(o.fromAddress)], subject: `[#${o.ticketNumber}] ${subject}`, inReplyTo: `<${o.messageId}>`,
});
const kinds = (ms: ReturnType<typeof compareCorpus>) => ms.map((m) => `${m.kind} ${m.file}`);

test('a person\'s mail stored as written and acknowledged once is no mismatch', () => {
  const a = mail('a');
  const observed = new Map([seen(a)]);
  expect(compareCorpus([a], observed, [ackFor(observed.get('a')!)])).toEqual([]);
});

test('a mail never stored, or deduplicated into a different mail, is lost; the same message may be', () => {
  const [a, b, c, d] = [mail('a'), mail('b'), mail('c', { messageId: 'a@client.example' }), mail('d')];
  const e = mail('e', { sameMessageAs: 'a', messageId: 'a@client.example', subject: a.subject, sender: a.sender });
  const stored = seen(a);
  const observed = new Map([stored, [c.file, stored[1]], [e.file, stored[1]], seen(d)]);
  const acks = [ackFor(stored[1]), ackFor(observed.get('d')!)];
  expect(kinds(compareCorpus([a, b, c, d, e], observed, acks))).toEqual(['lost b', 'lost c']);
});

test('an automatic mail taken for a person, and answered, is named twice; a wrong kind once', () => {
  const bounce = mail('bounce', { automatic: true, kind: 'bounce' });
  const ooo = mail('ooo', { automatic: true, kind: ['auto_reply', 'bulk'] });
  const observed = new Map([seen(bounce, { autoKind: null }), seen(ooo, { autoKind: 'bounce' })]);
  const found = compareCorpus([bounce, ooo], observed, [ackFor(observed.get('bounce')!)]);
  expect(kinds(found)).toEqual(['automatic-missed bounce', 'kind ooo', 'ack-to-machine bounce']);
});

test('a thread on two tickets, a garbled subject and an acknowledgement with mojibake are named', () => {
  const root = mail('t/001', { group: 't/001' });
  const reply = mail('t/002', { group: 't/001', subject: 'Re: it' });
  const cyr = mail('cyr', { subject: 'Не печатает' });
  const observed = new Map([seen(root), seen(reply), seen(cyr, { subject: '�� ��������', ticketSubject: '�� ��������' })]);
  const found = compareCorpus([root, reply, cyr], observed, [ackFor(observed.get('cyr')!)]);
  expect(kinds(found)).toEqual(['subject cyr', 'thread t/001', 'ticket-subject cyr', 'ack-mojibake cyr']);
});

test('thinned-out mail and acknowledgements missing, repeated or stuck are named', () => {
  const [a, b] = [mail('a', { attachments: ['Отчёт.pdf'] }), mail('b')];
  const observed = new Map([seen(a, { hasBody: false, unparsed: true }), seen(b, { ackStates: ['pending'] })]);
  const ack = ackFor(observed.get('a')!);
  const found = compareCorpus([a, b], observed, [ack, ack], ['b@client.example']);
  expect(kinds(found)).toEqual(['ack-stuck (outbox)', 'unparsed a', 'body a', 'attachment a', 'ack-repeated a', 'ack-missing b']);
});
