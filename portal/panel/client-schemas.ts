// The client card's API shapes (staff side): the server validates with them, the panel app takes its types from them.
import { z } from 'zod';
import { ContractView } from '../api-schemas.js';
import { QueuePage } from './panel-schemas.js';

export const ClientCardQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).default(1) });

export const ClientCard = z.object({
  id: z.number(),
  company: z.string(),
  language: z.enum(['ru', 'en']),
  contacts: z.array(z.object({ email: z.string(), name: z.string().nullable(), receivesReports: z.boolean() })),
  domains: z.array(z.string()),
  /** The cabinet's own view of the contract and this month's hours (portal/contract/client-contract.ts). */
  terms: ContractView,
  /** The company's tickets, newest first, as far as this person may see them. */
  history: QueuePage,
});
export type ClientCard = z.infer<typeof ClientCard>;
