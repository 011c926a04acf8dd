// The ceiling of the reports benchmark, as its own process: render a shard of the reports
// straight from in-memory data with pdfkit (no database, no queue), hashing each PDF as the
// blob store does. argv[2]: JSON file of MonthInput[]; argv[3]: where to write the hashes.
// Prints "ready" once the data is parsed and the fonts loaded, starts on SIGUSR2 (so all shards
// start together),
// and prints one JSON line {reports, seconds, cpuSeconds}.
import fs from 'node:fs';
import { sha256 } from '../connectors/mail/blob-store.js';
import { buildMonthReport } from '../reports/build-month-report.js';
import { loadReportFonts } from '../reports/load-report-fonts.js';
import { renderReportPdf } from '../reports/render-report-pdf.js';
import type { MonthInput } from '../reports/types.js';

const [input, hashesOut, companyName] = process.argv.slice(2);
const inputs = JSON.parse(fs.readFileSync(input, 'utf8')) as MonthInput[];
const fonts = loadReportFonts();
// A signal handler alone does not keep node running; the timer does, until the signal.
const idle = setInterval(() => {}, 1000);
const go = new Promise<void>((resolve) => process.once('SIGUSR2', () => resolve()));
process.stdout.write('ready\n');
await go;
clearInterval(idle);

const started = performance.now();
const cpu = process.cpuUsage();
const hashes: Record<number, string> = {};
for (const x of inputs) hashes[x.client.id] = sha256(await renderReportPdf(buildMonthReport(x), { companyName, fonts }));
const used = process.cpuUsage(cpu);
const seconds = (performance.now() - started) / 1000;
fs.writeFileSync(hashesOut, JSON.stringify(hashes));
process.stdout.write(`${JSON.stringify({ reports: inputs.length, seconds, cpuSeconds: (used.user + used.system) / 1e6 })}\n`);
process.exit(0);
