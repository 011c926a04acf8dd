// Operator commands for the monthly reports, on the same settings as the other processes
// (USAGE below). Any error is one line and a non-zero exit code.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../config/load-config.js';
import { openDb, type Db } from '../tickets/store/db.js';
import { migrate } from '../tickets/store/migrate.js';
import { BlobStore } from '../connectors/mail/blob-store.js';
import { SmtpSender } from '../connectors/mail/smtp-sender.js';
import { ensureDebianPackages } from './ensure-debian-packages.js';
import { CliUsageError, existingDatabase, outputFile, parseCli, positiveId, runCli, timeZone } from './run-cli.js';
import { DEJAVU_FONTS } from '../reports/load-report-fonts.js';
import { buildMonthReport } from '../reports/build-month-report.js';
import { loadMonthInput } from '../reports/load-month-input.js';
import { renderReportPdf } from '../reports/render-report-pdf.js';
import { draftReports, type DraftOutcome } from '../reports/draft-report.js';
import { listReportClients } from '../reports/list-report-clients.js';
import { summarizeMonth } from '../reports/summarize-month.js';
import { approveAllReports, approveReport } from '../reports/approve-report.js';
import { publishApprovedReports, publishReport } from '../reports/publish-report.js';
import { assertMonthOver, parseMonth } from '../reports/month-range.js';

const COMMANDS = ['preview', 'rerun', 'summary', 'approve', 'publish'] as const;
type Command = (typeof COMMANDS)[number];

const USAGE = `
npm run report -- preview --client 42 --month 2026-10 --out report.pdf   one client's report, not stored
npm run report -- rerun --month 2026-10                drafts every client's report again
npm run report -- summary --month 2026-10
npm run report -- approve --month 2026-10 [--report 17] [--by name]
npm run report -- publish --month 2026-10 [--report 17]   mails approved reports (needs SMTP_URL)
--zone (default TIME_ZONE) is the clock months are counted on. A month not over yet is
refused by preview and rerun unless --force.`;

const OPTIONS = {
  client: { type: 'string' }, month: { type: 'string' }, out: { type: 'string' }, report: { type: 'string' },
  by: { type: 'string', default: 'operator' }, zone: { type: 'string' }, force: { type: 'boolean', default: false },
} as const;

/** What the command line asks for, checked before any database is opened. */
interface Request {
  command: Command;
  month: string;
  zone: string;
  force: boolean;
  by: string;
  client?: number;
  report?: number;
  out?: string;
}

function monthOption(value: string): string {
  try {
    return parseMonth(value);
  } catch {
    throw new CliUsageError(`--month must look like 2026-10, got ${JSON.stringify(value)}`);
  }
}

function readRequest({ positionals, values }: ReturnType<typeof parseCli<typeof OPTIONS>>, config: Config): Request {
  const command = positionals[0] as Command | undefined;
  if (!command || !COMMANDS.includes(command)) {
    throw new CliUsageError(`${command ? `unknown command ${JSON.stringify(command)}` : 'no command'}: use ${COMMANDS.join(' | ')}`);
  }
  if (positionals.length > 1) throw new CliUsageError(`unexpected argument ${JSON.stringify(positionals[1])}`);
  if (!values.month) throw new CliUsageError(`${command} needs --month, e.g. --month 2026-10`);
  const r: Request = {
    command, month: monthOption(values.month), zone: timeZone(values.zone ?? config.timeZone), force: values.force, by: values.by,
  };
  if (command === 'preview') {
    r.client = positiveId('client', values.client);
    if (!values.out) throw new CliUsageError('preview needs --out, the PDF file to write');
    r.out = outputFile(values.out);
  }
  if (values.report !== undefined) r.report = positiveId('report', values.report);
  if (command === 'publish' && !process.env.SMTP_URL) throw new CliUsageError('publish needs SMTP_URL in the environment');
  return r;
}

const print = (x: unknown): void => { process.stdout.write(`${typeof x === 'string' ? x : JSON.stringify(x, null, 2)}\n`); };

async function preview(db: Db, config: Config, r: Request): Promise<void> {
  assertMonthOver(r.month, r.zone, new Date(), r.force);
  const report = buildMonthReport(await loadMonthInput(db, r.client!, r.month, r.zone));
  fs.writeFileSync(r.out!, await renderReportPdf(report, { companyName: config.companyName, companyDetails: config.companyDetails }));
  print({ out: r.out, tickets: report.tickets.length, totals: report.totals, held: report.held,
    missingTime: report.missingTime.map((t) => t.number), stillOpen: report.stillOpen.map((t) => t.number) });
}

async function rerun(db: Db, config: Config, r: Request): Promise<void> {
  const deps = { db, blobs: new BlobStore(path.join(config.dataDir, 'blobs')), companyName: config.companyName,
    companyDetails: config.companyDetails, zone: r.zone };
  // Refused before any client is read: nothing is drafted for a month in progress without --force.
  assertMonthOver(r.month, r.zone, new Date(), r.force);
  const counts: Record<DraftOutcome, number> = { created: 0, unchanged: 0, redrafted: 0, new_version: 0 };
  const clients = await listReportClients(db, r.month, r.zone);
  for (let i = 0; i < clients.length; i += 20) {
    for (const d of await draftReports(deps, clients.slice(i, i + 20), r.month, new Date(), { force: r.force })) counts[d.outcome]++;
  }
  print({ month: r.month, ...counts });
  print(await summarizeMonth(db, r.month));
}

async function publish(db: Db, config: Config, r: Request): Promise<void> {
  const smtp = new SmtpSender(config.mail.smtpUrl, config.mail.from);
  const deps = { db, blobs: new BlobStore(path.join(config.dataDir, 'blobs')), smtp, messageIdDomain: config.mail.messageIdDomain };
  try {
    if (r.report) print(await publishReport(deps, r.report));
    else {
      const p = await publishApprovedReports(deps, r.month);
      print({ published: p.published.map((x) => ({ report: x.report.id, mailedTo: x.mailedTo })),
        failed: p.failed.map((f) => ({ report: f.reportId, error: f.error.message })) });
    }
  } finally {
    smtp.close();
  }
}

async function run(db: Db, config: Config, r: Request): Promise<void> {
  switch (r.command) {
    case 'preview': return preview(db, config, r);
    case 'rerun': return rerun(db, config, r);
    case 'summary': return print(await summarizeMonth(db, r.month));
    case 'approve': return print(r.report ? await approveReport(db, r.report, r.by) : await approveAllReports(db, r.month, r.by));
    case 'publish': return publish(db, config, r);
  }
}

await runCli(async () => {
  const args = parseCli(OPTIONS, USAGE);
  // Only publish talks to SMTP and nothing here uses Redis: stand-ins keep the other commands
  // runnable with just the database settings.
  const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', SMTP_URL: 'smtp://127.0.0.1:25', MAIL_FROM: 'Support <support@localhost>', ...process.env });
  const request = readRequest(args, config);
  const database = existingDatabase(config);
  ensureDebianPackages([{ file: DEJAVU_FONTS.regular, pkg: 'fonts-dejavu-core' }, { file: DEJAVU_FONTS.bold, pkg: 'fonts-dejavu-core' }]);
  const db = await openDb({ databaseUrl: database.url, pgliteDir: database.pgliteDir });
  try {
    await migrate(db);
    await run(db, config, request);
  } finally {
    await db.close();
  }
});
