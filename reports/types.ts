import type { Language } from '../tickets/types.js';

/** The contract terms a report and the cabinet show; amounts in the contract's currency. */
export interface ContractTerms {
  id: number;
  number: string;
  subject: string;
  /** `YYYY-MM-DD`. */
  startDate: string;
  supportType: string;
  portalUrl: string | null;
  portalType: string | null;
  monthlyFee: number;
  currency: string;
  /** null: unlimited. */
  packageHours: number | null;
  hourlyRate: number;
  overPackageRate: number;
  bonusHours: number;
  accountManager: { name: string; email: string | null } | null;
}

export interface ReportClient {
  id: number;
  company: string;
  language: Language;
}

/** A ticket closed in the month. Times are ISO instants; minutes are real minutes. */
export interface ReportTicket {
  number: number;
  subject: string;
  openedAt: string;
  closedAt: string;
  specialist: string | null;
  minutes: number;
  /** Minutes of billable entries; less than `minutes` when some time was our own fault. */
  billableMinutes: number;
}

/** A ticket quality control must look at before the report goes out. */
export interface ProblemTicket {
  number: number;
  subject: string;
  status: string;
  specialist: string | null;
  /** Closed (missing time) or opened (still open), ISO. */
  since: string;
}

/** What the database says about one client's month, before any arithmetic. */
export interface MonthInput {
  client: ReportClient;
  month: string;
  zone: string;
  contract: ContractTerms | null;
  tickets: ReportTicket[];
  missingTime: ProblemTicket[];
  /** Open when the period ended (still open, or closed only after it): listed apart, not billed. */
  stillOpen: ProblemTicket[];
}

/** Everything in minutes, so the sums are exact; hours are a presentation matter. */
export interface MonthTotals {
  minutes: number;
  billableMinutes: number;
  nonBillableMinutes: number;
  /** null: unlimited contract (or no contract): nothing is ever over. */
  packageMinutes: number | null;
  packageUsedMinutes: number;
  bonusMinutes: number;
  bonusUsedMinutes: number;
  overMinutes: number;
  overCost: number;
}

/** One client's monthly report: what the PDF shows, what is hashed and stored. */
export interface MonthReport extends MonthInput {
  totals: MonthTotals;
  /** Closed tickets without time: the report cannot be approved until they are fixed. */
  held: boolean;
}

/** Our company's details for the foot of a report (name, registration, address, contacts), per language. */
export type CompanyDetails = Partial<Record<Language, string>>;
