// The administration's API shapes: the server validates with them, the panel app takes its types from them.
import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a real date');
const money = z.number().min(0).max(1_000_000_000);

export const ClientListQuery = z.object({
  q: z.string().trim().max(200).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});
export const ClientInput = z.object({
  company: z.string().trim().min(1).max(300),
  language: z.enum(['ru', 'en']),
});
export const ContactInput = z.object({
  email: z.string().trim().toLowerCase().max(320).email(),
  name: z.string().trim().max(200).nullable().default(null).transform((s) => s || null),
  receivesReports: z.boolean().default(false),
});
export const DomainInput = z.object({
  domain: z.string().trim().toLowerCase().max(253).regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'a mail domain such as romashka.ru'),
});
export const ContractInput = z.object({
  number: z.string().trim().min(1).max(100),
  subject: z.string().trim().max(300).default(''),
  startDate: isoDate,
  endDate: isoDate.nullable().default(null),
  supportType: z.string().trim().min(1).max(100),
  portalUrl: z.string().trim().max(300).url().refine((s) => /^https?:\/\//.test(s), 'an http(s) address').nullable().default(null),
  portalType: z.string().trim().max(100).nullable().default(null),
  monthlyFee: money,
  currency: z.string().regex(/^[A-Z]{3}$/, 'a currency code such as RUB'),
  /** null: unlimited */
  packageHours: z.number().positive().max(10_000).nullable(),
  hourlyRate: money,
  overPackageRate: money,
  bonusHours: z.number().min(0).max(10_000),
  accountManagerId: z.number().int().positive().nullable().default(null),
}).refine((c) => c.endDate === null || c.endDate >= c.startDate, { path: ['endDate'], message: 'must not be before the start date' });
export type ContractInput = z.infer<typeof ContractInput>;

export type AdminClientRow = { id: number; company: string; language: 'ru' | 'en'; domains: string[]; contract: string | null; openTickets: number };
export type AdminClientList = { rows: AdminClientRow[]; total: number; page: number; pageSize: number };
export type AdminContract = ContractInput & { id: number };
export type AdminClient = {
  id: number; company: string; language: 'ru' | 'en';
  contacts: Array<{ email: string; name: string | null; receivesReports: boolean }>;
  domains: string[];
  contracts: AdminContract[];
  managers: Array<{ id: number; name: string }>;
  audit: Array<{ at: string; action: string; actor: string; details: Record<string, unknown> }>;
};

export type SystemState = {
  checks: Array<{ name: string; ok: boolean; detail: unknown }>;
  mailboxes: Array<{ name: string; host: string; port: number; user: string; folder: string; lastReceivedAt: string | null; receivedToday: number; notFlagged: number }>;
  bitrix24: { mode: 'webhook' | 'oauth' | 'off'; portal: string | null; connected: boolean; eventsWaiting: number; oldestWaitingAt: string | null; lastEventAt: string | null };
  queues: Array<{ name: string; counts: Record<string, number> }>;
};
