import type { Sql } from '../tickets/store/db.js';
import { ensureEmployee, type Employee } from '../tickets/store/employee-repo.js';
import type { BotDeps } from './bot-deps.js';
import { send } from './effects.js';
import type { BotInput } from './read-bot-event.js';
import { escapeBb } from './escape-bb.js';
import { applyOnce } from './run-effects.js';
import { CABINET_TEXTS } from './texts.js';

/** `/invite email role [contract number]`: an account manager opens a client's cabinet for a person. */
export const INVITE_COMMAND = 'invite';

export interface InviteParams { email: string; role: 'director' | 'employee'; contract: string | null }

/** Null when the params are not `email director|employee [contract]`. */
export function parseInviteParams(params: string): InviteParams | null {
  const [email, role, contract, ...extra] = params.trim().split(/\s+/);
  if (extra.length > 0 || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email ?? '') || !['director', 'employee'].includes((role ?? '').toLowerCase())) return null;
  return { email: email.toLowerCase(), role: role.toLowerCase() as InviteParams['role'], contract: contract ?? null };
}

interface ManagedClient { id: number; company: string; number: string }

/**
 * The client the invitation is for: among the clients whose contract in force this person
 * manages, the one the contract number names, the only one, or the one the address's
 * domain (or the address itself) belongs to. Null with the candidates when it is not clear.
 */
async function pickClient(tx: Sql, actor: Employee, p: InviteParams): Promise<{ client: ManagedClient | null; candidates: ManagedClient[] }> {
  const candidates = await tx.query<ManagedClient>(`select distinct on (c.id) c.id, c.company, k.number from contracts k join clients c on c.id = k.client_id
    where k.account_manager_id = $1 and (k.end_date is null or k.end_date >= current_date) order by c.id, k.start_date desc`, [actor.id]);
  if (p.contract) return { client: candidates.find((c) => c.number.toLowerCase() === p.contract!.toLowerCase()) ?? null, candidates };
  if (candidates.length === 1) return { client: candidates[0], candidates };
  const owners = await tx.query<{ client_id: number }>(`select client_id from client_contacts where email = $1
    union select client_id from client_domains where domain = $2`, [p.email, p.email.slice(p.email.indexOf('@') + 1)]);
  const mine = candidates.filter((c) => owners.some((o) => Number(o.client_id) === Number(c.id)));
  return { client: mine.length === 1 ? mine[0] : null, candidates };
}

/** Handles `/invite`: the account manager is answered privately, in their language, once per event. */
export async function handleInviteCommand(deps: BotDeps, key: string, input: BotInput): Promise<void> {
  const user = input.user!;
  await applyOnce(deps, key, async (tx) => {
    const actor = await ensureEmployee(tx, user.b24Id, user.name, input.language);
    const x = CABINET_TEXTS[actor.language];
    const reply = (text: string) => [send(input.dialogId, text)];
    const p = parseInviteParams(input.command?.params ?? '');
    if (!p) return reply(x.inviteUsage);
    if (!deps.inviteToCabinet) return reply(x.inviteRefused(x.inviteErrors.off));
    const { client, candidates } = await pickClient(tx, actor, p);
    if (candidates.length === 0) return reply(x.inviteNoClients);
    if (!client) return reply(x.inviteWhichClient(escapeBb(candidates.map((c) => `${c.number} (${c.company})`).join(', '))));
    try {
      await deps.inviteToCabinet({ clientId: Number(client.id), email: p.email, role: p.role, actor: `employee:${actor.id}` });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      deps.log.info({ key, code, client: client.id }, 'cabinet invitation from the bot refused');
      return reply(x.inviteRefused(typeof code === 'string' && x.inviteErrors[code] ? x.inviteErrors[code] : x.inviteFailed));
    }
    return reply(x.invited(escapeBb(p.email), escapeBb(client.company), x.roles[p.role]));
  });
}
