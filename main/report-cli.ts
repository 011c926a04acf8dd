// Operator commands for the monthly reports, on the same settings as the other processes:
//   npm run report -- preview --client 42 --month 2026-10 --out report.pdf
//   npm run report -- rerun --month 2026-10        (drafts every client's report again)
//   npm run report -- summary --month 2026-10
//   npm run report -- approve --month 2026-10 [--report 17] [--by name]
//   npm run report -- publish --month 2026-10 [--report 17]   (needs SMTP_URL)
// --zone (default Europe/Moscow) is the clock months are counted on.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load-config.js';
import { openDb, type Db } from '../tickets/store/db.js';
import { migrate } from '../tickets/store/migrate.js';
import { BlobStore } from '../connectors/mail/blob-store.js';
import { SmtpSender } from '../connectors/mail/smtp-sender.js';
import { ensureDebianPackages } from './ensure-debian-packages.js';
import { DEJAVU_FONTS } from '../reports/load-report-fonts.js';
import { buildMonthReport } from '../reports/build-month-report.js';
import { loadMonthInput } from '../reports/load-month-input.js';
import { renderReportPdf } from '../reports/render-report-pdf.js';
import { draftReports, type DraftOutcome } from '../reports/draft-report.js';
import { listReportClients } from '../reports/list-report-clients.js';
import { summarizeMonth } from '../reports/summarize-month.js';
import { approveAllReports, approveReport } from '../reports/approve-report.js';
import { publishApprovedReports, publishReport } from '../reports/publish-report.js';
import { DEFAULT_REPORT_ZONE, parseMonth } from '../reports/month-range.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    client: { type: 'string' }, month: { type: 'string' }, out: { type: 'string' }, report: { type: 'string' },
    by: { type: 'string', default: 'operator' }, zone: { type: 'string', default: DEFAULT_REPORT_ZONE },
  },
});
const command = positionals[0];
const print = (x: unknown): void => { process.stdout.write(`${typeof x === 'string' ? x : JSON.stringify(x, null, 2)}\n`); };

function need(name: 'client' | 'month' | 'out' | 'report'): string {
  const v = values[name];
  if (!v) throw new Error(`${command} needs --${name}`);
  return v;
}

// Only publish talks to SMTP and nothing here uses Redis: stand-ins keep the other commands
// runnable with just the database settings.
const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', SMTP_URL: 'smtp://127.0.0.1:25', MAIL_FROM: 'Support <support@localhost>', ...process.env });
ensureDebianPackages([{ file: DEJAVU_FONTS.regular, pkg: 'fonts-dejavu-core' }, { file: DEJAVU_FONTS.bold, pkg: 'fonts-dejavu-core' }]);

async function rerun(db: Db, month: string): Promise<void> {
  const deps = { db, blobs: new BlobStore(path.join(config.dataDir, 'blobs')), companyName: config.companyName, zone: values.zone };
  const counts: Record<DraftOutcome, number> = { created: 0, unchanged: 0, redrafted: 0, new_version: 0 };
  const clients = await listReportClients(db, month, values.zone);
  for (let i = 0; i < clients.length; i += 20) {
    for (const r of await draftReports(deps, clients.slice(i, i + 20), month)) counts[r.outcome]++;
  }
  print({ month, ...counts });
  print(await summarizeMonth(db, month));
}

async function publish(db: Db, month: string): Promise<void> {
  if (!process.env.SMTP_URL) throw new Error('publish needs SMTP_URL');
  const smtp = new SmtpSender(config.mail.smtpUrl, config.mail.from);
  const deps = { db, blobs: new BlobStore(path.join(config.dataDir, 'blobs')), smtp, messageIdDomain: config.mail.messageIdDomain };
  try {
    if (values.report) print(await publishReport(deps, Number(values.report)));
    else {
      const r = await publishApprovedReports(deps, month);
      print({ published: r.published.map((p) => ({ report: p.report.id, mailedTo: p.mailedTo })),
        failed: r.failed.map((f) => ({ report: f.reportId, error: f.error.message })) });
    }
  } finally {
    smtp.close();
  }
}

async function run(db: Db): Promise<void> {
  const month = parseMonth(need('month'));
  switch (command) {
    case 'preview': {
      const report = buildMonthReport(await loadMonthInput(db, Number(need('client')), month, values.zone));
      fs.writeFileSync(need('out'), await renderReportPdf(report, { companyName: config.companyName }));
      return print({ out: need('out'), tickets: report.tickets.length, totals: report.totals, held: report.held,
        missingTime: report.missingTime.map((t) => t.number), stillOpen: report.stillOpen.map((t) => t.number) });
    }
    case 'rerun': return rerun(db, month);
    case 'summary': return print(await summarizeMonth(db, month));
    case 'approve': return print(values.report ? await approveReport(db, Number(values.report), values.by!)
      : await approveAllReports(db, month, values.by!));
    case 'publish': return publish(db, month);
    default: throw new Error(`unknown command ${command ?? '(none)'}: preview | rerun | summary | approve | publish`);
  }
}

const db = await openDb({ databaseUrl: config.database.url, pgliteDir: config.database.pgliteDir });
try {
  await migrate(db);
  await run(db);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await db.close();
}
