// The operator panel's API shapes: the server validates with them, the panel app takes its types from them.
import { z } from 'zod';
import { pageNumber, pageSize, searchText, ThreadAttachment } from '../list-fields.js';

export const QUEUE_VIEWS = ['mine', 'unassigned', 'department', 'all'] as const;
export const STATUS_FILTERS = ['open', 'closed', 'any', 'new', 'assigned', 'in_progress', 'escalated', 'awaiting_time', 'resolved', 'rejected'] as const;

export const QueueQuery = z.object({
  view: z.enum(QUEUE_VIEWS).default('mine'),
  status: z.enum(STATUS_FILTERS).default('open'),
  client: z.coerce.number().int().positive().optional(),
  /** Only tickets older than this many hours (by creation). */
  olderThanHours: z.coerce.number().int().min(0).max(24 * 366).optional(),
  q: searchText,
  sort: z.enum(['oldest', 'newest', 'activity']).default('oldest'),
  page: pageNumber,
  pageSize: pageSize(200, 50),
});
export type QueueQuery = z.infer<typeof QueueQuery>;

export const QueueRow = z.object({
  number: z.number(),
  status: z.string(),
  subject: z.string(),
  client: z.object({ id: z.number(), company: z.string() }).nullable(),
  sender: z.string().nullable(),
  assignee: z.string().nullable(),
  createdAt: z.string(),
  /** Since when the client waits for us: their mail not answered yet (null: nobody waits). */
  waitingSince: z.string().nullable(),
  lastActivity: z.string(),
});
export type QueueRow = z.infer<typeof QueueRow>;

export const QueuePage = z.object({
  rows: z.array(QueueRow),
  /** Counted up to `totalCapped`; `more` says there are more than that. */
  total: z.number(),
  more: z.boolean(),
  page: z.number(),
  pageSize: z.number(),
});
export type QueuePage = z.infer<typeof QueuePage>;

export const ThreadEntry = z.object({
  id: z.number(),
  kind: z.enum(['client', 'reply', 'ack', 'resolved', 'note', 'developer']),
  author: z.string().nullable(),
  at: z.string(),
  text: z.string(),
  sendState: z.string().nullable(),
  attachments: z.array(ThreadAttachment),
});
export type ThreadEntry = z.infer<typeof ThreadEntry>;

export const StaffTicket = z.object({
  number: z.number(),
  status: z.string(),
  subject: z.string(),
  client: z.object({ id: z.number(), company: z.string() }).nullable(),
  requester: z.string().nullable(),
  assignee: z.object({ id: z.number(), name: z.string() }).nullable(),
  department: z.string().nullable(),
  createdAt: z.string(),
  minutes: z.number(),
  thread: z.array(ThreadEntry),
  history: z.array(z.object({ at: z.string(), action: z.string(), actor: z.string(), channel: z.string(), details: z.record(z.string(), z.unknown()) })),
  /** What this person may do now, by the same rules the bot applies. */
  can: z.object({ reply: z.boolean(), note: z.boolean(), accept: z.boolean(), close: z.boolean(), assign: z.boolean(), escalate: z.boolean() }),
});
export type StaffTicket = z.infer<typeof StaffTicket>;

export const Me = z.object({
  name: z.string(), language: z.enum(['ru', 'en']), admin: z.boolean(), department: z.string().nullable(), csrfToken: z.string(),
});
export type Me = z.infer<typeof Me>;

const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const ReplyInput = z.object({
  text: z.string().trim().min(1).max(50_000),
  attachments: z.array(z.object({
    filename: z.string().trim().min(1).max(200),
    contentType: z.string().max(200).default('application/octet-stream'),
    /** base64 */
    content: z.string().max(Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4),
  })).max(10).default([]),
});
export const NoteInput = z.object({ text: z.string().trim().min(1).max(50_000) });
export const CloseInput = z.object({ minutes: z.number().int().min(1).max(100_000), billable: z.boolean() });
export const AssignInput = z.object({ employeeId: z.number().int().positive() });
export const EscalateInput = z.object({ developerId: z.number().int().positive() });
export type StaffDirectory = Array<{ id: number; name: string; people: Array<{ id: number; name: string }> }>;
