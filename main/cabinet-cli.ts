// Operator commands for the client cabinet, on the same settings as the other processes:
//   npm run cabinet -- invite --client 42 --email boss@acme.example --role director [--name "Jane Doe"] [--by ivan]
// The person gets a mail with a one-time link to set a password (CABINET_INVITE_HOURS).
// Inviting an address whose account is not activated yet sends a fresh link.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { openDb } from '../tickets/store/db.js';
import { migrate } from '../tickets/store/migrate.js';
import { SmtpSender } from '../connectors/mail/smtp-sender.js';
import { InviteBody } from '../portal/api-schemas.js';
import { invitePerson } from '../portal/accounts/invite-person.js';
import { PortalError } from '../portal/portal-errors.js';
import { accountDeps } from './run-cabinet.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    client: { type: 'string' }, email: { type: 'string' }, role: { type: 'string', default: 'director' },
    name: { type: 'string', default: '' }, by: { type: 'string', default: process.env.USER ?? 'operator' },
  },
});

async function main(): Promise<number> {
  if (positionals[0] !== 'invite') {
    process.stderr.write('usage: npm run cabinet -- invite --client <id> --email <address> --role director|employee [--name "..."]\n');
    return 2;
  }
  const clientId = Number(values.client);
  const input = InviteBody.safeParse({ email: values.email, name: values.name, role: values.role });
  if (!Number.isSafeInteger(clientId) || clientId <= 0 || !input.success) {
    process.stderr.write(`invite needs --client <id>, a valid --email and --role director|employee${input.success ? '' : `: ${input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`}\n`);
    return 2;
  }
  // Nothing here uses Redis: a stand-in keeps the command runnable with database and SMTP settings only.
  const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', ...process.env });
  const db = await openDb({ databaseUrl: config.database.url, pgliteDir: config.database.pgliteDir });
  const smtp = new SmtpSender(config.mail.smtpUrl, config.mail.from);
  try {
    await migrate(db);
    const user = await invitePerson(accountDeps(config, { db }, smtp), {
      ...input.data, clientId, invitedBy: `operator:${values.by}`, actor: 'system',
    });
    process.stdout.write(`${JSON.stringify({ invited: user.email, role: user.role, client: user.company, clientId: user.clientId })}\n`);
    return 0;
  } catch (err) {
    if (err instanceof PortalError) {
      process.stderr.write(`${err.code}: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    smtp.close();
    await db.close();
  }
}

try {
  process.exitCode = await main();
} catch (err) {
  process.stderr.write(`${err instanceof ConfigError ? err.message : (err as Error).stack}\n`);
  process.exitCode = 1;
}
