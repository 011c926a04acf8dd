// The ceiling of the ingest benchmark, run as its own process (a fresh heap, nothing else on
// its event loop): fetch every message of one mailbox with imapflow in batches and parse each
// with mailparser, exactly as the workers call it. The clock starts once the mailbox is open
// (connection and login excluded, as the pipeline's clock starts at readiness) and stops when
// the last message is parsed. Fetching batch k+1 overlaps parsing batch k.
// Before the clock it parses the same sample mails, for the same rounds and time bound, as each
// of the intake's parser threads does before the intake reports ready (parse-thread.ts): both
// sides are measured with V8 equally warm, so the ratio compares pipelines, not JIT start-up.
// With `threads` > 0 the parsing is spread over that many worker threads (as the intake's
// ParsePool spreads it), fed by the one IMAP connection; with 0 it runs inline, on one thread.
// Input: argv[2] = JSON {host, port, user, pass, folder, batch, threads}. Output: one JSON line,
// {messages, bytes, attachments, seconds, cpuSeconds, threadCpu} (cpuSeconds: this process, in the window;
// threadCpu: the same by thread, for the report).
import { simpleParser } from 'mailparser';
import { WARM_UP_MS, WARM_UP_ROUNDS, warmUpMails } from '../connectors/mail/warm-up-mails.js';
import { startCeilingThreads } from './ceiling-threads.js';
import { describeThreads, threadTicks } from './sample-cpu.js';
import { eachBatch, openMailbox } from './fetch-batches.js';

// Same options as connectors/mail/parse-inbound-mail.ts.
const PARSE_OPTIONS = { skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true, checksumAlgo: 'sha256' } as const;

interface Args { host: string; port: number; user: string; pass: string; folder: string; batch: number; threads: number }

async function warmUp(): Promise<void> {
  const mails = warmUpMails();
  const until = performance.now() + WARM_UP_MS;
  for (let round = 0; round < WARM_UP_ROUNDS && performance.now() < until; round++) {
    for (const raw of mails) await simpleParser(raw, PARSE_OPTIONS);
  }
}

async function main(): Promise<void> {
  const a = JSON.parse(process.argv[2]) as Args;
  const threads = a.threads > 0
    ? await startCeilingThreads(a.threads, { options: PARSE_OPTIONS, warmUp: warmUpMails(), warmUpMs: WARM_UP_MS, warmUpRounds: WARM_UP_ROUNDS })
    : null;
  if (!threads) await warmUp();
  const parse = threads ? (raw: Buffer) => threads.parse(raw)
    : async (raw: Buffer) => (await simpleParser(raw, PARSE_OPTIONS)).attachments.length;
  const client = await openMailbox(a, a.folder);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const threads0 = threadTicks(process.pid);
  let messages = 0;
  let bytes = 0;
  let attachments = 0;
  await eachBatch(client, a.batch, async (sources) => {
    // Inline, one at a time; on threads, the whole batch at once (the threads take turns).
    const counts = threads ? await Promise.all(sources.map(parse)) : [];
    for (const source of sources) {
      if (!threads) counts.push(await parse(source));
      messages++;
      bytes += source.length;
    }
    attachments += counts.reduce((x, y) => x + y, 0);
  });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const threadCpu = describeThreads(process.pid, threads0, threadTicks(process.pid));
  await client.logout();
  await threads?.close();
  const cpuSeconds = (used.user + used.system) / 1e6;
  process.stdout.write(`${JSON.stringify({ messages, bytes, attachments, seconds, cpuSeconds, threadCpu })}\n`);
}

await main();
