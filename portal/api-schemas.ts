// One schema per API shape: the server validates with them, the Vue app takes its types from
// them (z.infer). Plain zod, no Node imports: this file is bundled into the browser too.
import { z } from 'zod';
import { pageNumber, pageSize, searchText, ThreadAttachment } from './list-fields.js';

export const LANGUAGES = ['ru', 'en'] as const;
export const ROLES = ['director', 'employee'] as const;
export const CLIENT_TICKET_STATUSES = ['new', 'assigned', 'in_progress', 'escalated', 'awaiting_time', 'resolved', 'rejected'] as const;

const email = z.string().trim().toLowerCase().pipe(z.email()).pipe(z.string().max(254));
/** Long passphrases welcome; the upper bound only keeps hashing cheap to refuse. */
export const password = z.string().min(10).max(200);

export const SignInBody = z.object({ email, password: z.string().min(1).max(200) });
export const SetPasswordBody = z.object({ token: z.string().min(20).max(200), password });
export const ResetRequestBody = z.object({ email });
export const InviteBody = z.object({ email, name: z.string().trim().max(200).default(''), role: z.enum(ROLES) });

export const Me = z.object({
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  language: z.enum(LANGUAGES),
  company: z.string(),
  csrfToken: z.string(),
});
export type Me = z.infer<typeof Me>;

export const SORTS = ['number', 'opened', 'activity', 'status'] as const;

/** The ticket list's filter; the same keys are the page's URL query, so a link keeps the filter. */
export const TicketListQuery = z.object({
  status: z.enum(CLIENT_TICKET_STATUSES).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  sender: z.string().trim().toLowerCase().max(254).optional(),
  q: searchText,
  sort: z.enum(SORTS).default('activity'),
  dir: z.enum(['asc', 'desc']).default('desc'),
  page: pageNumber,
  perPage: pageSize(100, 25),
});
export type TicketListQuery = z.infer<typeof TicketListQuery>;

export const TicketRow = z.object({
  number: z.number(),
  subject: z.string(),
  status: z.enum(CLIENT_TICKET_STATUSES),
  senderEmail: z.string().nullable(),
  senderName: z.string().nullable(),
  openedAt: z.string(),
  lastActivityAt: z.string(),
  /** Only for a closed ticket: what it cost in minutes (billable or not). */
  minutesSpent: z.number().nullable(),
});
export type TicketRow = z.infer<typeof TicketRow>;

export const TicketPage = z.object({
  rows: z.array(TicketRow),
  /** Counted up to a cap (portal/tickets/list-client-tickets.ts); `more`: there are more than that. */
  total: z.number(),
  more: z.boolean(),
  page: z.number(),
  perPage: z.number(),
  senders: z.array(z.object({ email: z.string(), name: z.string().nullable() })),
});
export type TicketPage = z.infer<typeof TicketPage>;

export { ThreadAttachment };
export const ThreadMessage = z.object({
  id: z.number(),
  from: z.enum(['client', 'support']),
  authorName: z.string().nullable(),
  authorEmail: z.string().nullable(),
  at: z.string(),
  text: z.string(),
  /** The mail has an HTML part: the page shows it in a sandboxed frame from .../messages/:id/html. */
  hasHtml: z.boolean(),
  attachments: z.array(ThreadAttachment),
});
export type ThreadMessage = z.infer<typeof ThreadMessage>;

export const StatusChange = z.object({ at: z.string(), status: z.enum(CLIENT_TICKET_STATUSES) });

export const TicketDetail = z.object({
  ticket: TicketRow,
  messages: z.array(ThreadMessage),
  history: z.array(StatusChange),
});
export type TicketDetail = z.infer<typeof TicketDetail>;

export const ApiError = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ApiError = z.infer<typeof ApiError>;

/** Отчёты: the newest published version of each month's report. */
export const ReportRow = z.object({
  id: z.number(),
  month: z.string(),
  version: z.number(),
  hoursUsed: z.number(),
  overHours: z.number(),
  amount: z.number().nullable(),
  currency: z.string().nullable(),
  publishedAt: z.string(),
});
export type ReportRow = z.infer<typeof ReportRow>;
export const ReportList = z.object({ reports: z.array(ReportRow) });
export type ReportList = z.infer<typeof ReportList>;

/** Договор: the terms, and this month so far with a forecast at the current pace. */
export const ContractView = z.object({
  contract: z.object({
    number: z.string(), subject: z.string(), startDate: z.string(), supportType: z.string(),
    portalUrl: z.string().nullable(), portalType: z.string().nullable(), monthlyFee: z.number(), currency: z.string(),
    packageHours: z.number().nullable(), hourlyRate: z.number(), overPackageRate: z.number(), bonusHours: z.number(),
    manager: z.object({ name: z.string(), email: z.string().nullable() }).nullable(),
  }).nullable(),
  month: z.object({ month: z.string(), usedHours: z.number(), packageHours: z.number().nullable(), forecastHours: z.number() }),
});
export type ContractView = z.infer<typeof ContractView>;

/** Аккаунт: what a person may change about themselves. */
export const AccountUpdate = z.object({ name: z.string().trim().max(200).optional(), language: z.enum(LANGUAGES).optional() });
export const PasswordChange = z.object({ currentPassword: z.string().min(1).max(200), newPassword: password });
export const Colleague = z.object({ email: z.string(), name: z.string(), role: z.enum(ROLES), active: z.boolean() });
export const ColleagueList = z.object({ colleagues: z.array(Colleague) });
export type ColleagueList = z.infer<typeof ColleagueList>;

/** A file sent from the cabinet with a reply or a new request, base64 in the JSON body. */
export const UploadedFile = z.object({
  filename: z.string().trim().min(1).max(200),
  contentType: z.string().trim().max(200).default('application/octet-stream'),
  contentBase64: z.string().max(7_000_000).regex(/^[A-Za-z0-9+/=\s]*$/),
});
/** A reply in a ticket's thread, written in the cabinet: it goes in as a mail from the person. */
export const ClientReplyBody = z.object({
  text: z.string().trim().min(1).max(20_000),
  attachments: z.array(UploadedFile).max(5).default([]),
});
export type ClientReplyBody = z.infer<typeof ClientReplyBody>;
/** A new request from the cabinet: a new mail to support, threaded like any other. */
export const NewRequestBody = ClientReplyBody.extend({ subject: z.string().trim().min(1).max(200) });
export type NewRequestBody = z.infer<typeof NewRequestBody>;
/** Accepted for intake: the ticket shows it once the mail is threaded (a moment later). */
export const MailAccepted = z.object({ messageId: z.string() });
export type MailAccepted = z.infer<typeof MailAccepted>;

/** "Изменить тариф": what the director would like, in their words; it goes to the personal manager. */
export const PlanChangeBody = z.object({ text: z.string().trim().min(1).max(4000) });
export const PlanChangeAccepted = z.object({ id: z.number() });
export type PlanChangeAccepted = z.infer<typeof PlanChangeAccepted>;
