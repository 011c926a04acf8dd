/** Report errors carry a stable `code`, like the domain's TicketError; callers branch on it. */
export class ReportError extends Error {
  constructor(readonly code: string, message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidMonthError extends ReportError {
  constructor(readonly input: string) {
    super('report.invalid_month', `month must look like 2026-10, got ${JSON.stringify(input)}`, { input });
  }
}

export class ReportNotFoundError extends ReportError {
  constructor(ref: string | number) {
    super('report.not_found', `report ${ref} not found`, { ref });
  }
}

export class ClientNotFoundError extends ReportError {
  constructor(readonly clientId: number) {
    super('report.client_not_found', `client ${clientId} not found`, { clientId });
  }
}

/** Quality control: a report listing closed tickets without time cannot be approved until fixed and re-drafted. */
export class ReportHeldError extends ReportError {
  constructor(readonly reportId: number, readonly ticketNumbers: number[]) {
    super('report.held', `report ${reportId} is held: tickets closed without time: ${ticketNumbers.join(', ')}`,
      { reportId, ticketNumbers });
  }
}

/** Only an approved report goes to the client. */
export class ReportNotApprovedError extends ReportError {
  constructor(readonly reportId: number, readonly status: string) {
    super('report.not_approved', `report ${reportId} is ${status}, not approved`, { reportId, status });
  }
}

/** A newer version exists; the old one is history and cannot change. */
export class ReportSupersededError extends ReportError {
  constructor(readonly reportId: number) {
    super('report.superseded', `report ${reportId} has a newer version`, { reportId });
  }
}

/** A month still in progress: a report on it would bill half a month as the whole. Drafting it needs `force`. */
export class MonthNotOverError extends ReportError {
  constructor(readonly month: string, readonly endsAt: string) {
    super('report.month_not_over', `${month} is not over yet (it ends ${endsAt}); add --force to draft it anyway`, { month, endsAt });
  }
}
