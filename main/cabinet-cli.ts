// Operator commands for the client cabinet, on the same settings as the other processes:
//   npm run cabinet -- invite --client 42 --email boss@acme.example --role director [--name "Jane Doe"] [--by ivan]
// The person gets a mail with a one-time link to set a password (CABINET_INVITE_HOURS).
// Inviting an address whose account is not activated yet sends a fresh link. Any error is one
// line and a non-zero exit code.
import { loadConfig } from '../config/load-config.js';
import { openDb } from '../tickets/store/db.js';
import { migrate } from '../tickets/store/migrate.js';
import { SmtpSender } from '../connectors/mail/smtp-sender.js';
import { InviteBody } from '../portal/api-schemas.js';
import { invitePerson } from '../portal/accounts/invite-person.js';
import { accountDeps } from './run-cabinet.js';
import { CliUsageError, existingDatabase, parseCli, positiveId, runCli } from './run-cli.js';

const USAGE = 'npm run cabinet -- invite --client <id> --email <address> --role director|employee [--name "..."]';

/** The invitation the command line asks for, checked before anything is opened. */
function readInvite() {
  const { positionals, values } = parseCli({
    client: { type: 'string' }, email: { type: 'string' }, role: { type: 'string', default: 'director' },
    name: { type: 'string', default: '' }, by: { type: 'string', default: process.env.USER ?? 'operator' },
  }, USAGE);
  if (positionals[0] !== 'invite') {
    throw new CliUsageError(`${positionals[0] ? `unknown command ${JSON.stringify(positionals[0])}` : 'no command'}; usage: ${USAGE}`);
  }
  if (positionals.length > 1) throw new CliUsageError(`unexpected argument ${JSON.stringify(positionals[1])}`);
  const clientId = positiveId('client', values.client);
  if (!values.email) throw new CliUsageError('invite needs --email');
  const input = InviteBody.safeParse({ email: values.email, name: values.name, role: values.role });
  if (!input.success) {
    const [issue] = input.error.issues;
    throw new CliUsageError(`--${issue.path.join('.')}: ${issue.path[0] === 'role' ? 'must be director or employee' : issue.message}`);
  }
  return { ...input.data, clientId, by: values.by };
}

await runCli(async () => {
  // Nothing here uses Redis: a stand-in keeps the command runnable with database and SMTP settings only.
  const invite = readInvite();
  const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', ...process.env });
  const database = existingDatabase(config);
  const db = await openDb({ databaseUrl: database.url, pgliteDir: database.pgliteDir });
  const smtp = new SmtpSender(config.mail.smtpUrl, config.mail.from);
  try {
    await migrate(db);
    const { by, ...person } = invite;
    const user = await invitePerson(accountDeps(config, { db }, smtp), { ...person, invitedBy: `operator:${by}`, actor: 'system' });
    process.stdout.write(`${JSON.stringify({ invited: user.email, role: user.role, client: user.company, clientId: user.clientId })}\n`);
  } finally {
    smtp.close();
    await db.close();
  }
});
