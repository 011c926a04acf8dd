/** Domain errors carry a stable `code`; callers branch on it, never on the message text. */
export class TicketError extends Error {
  constructor(readonly code: string, message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
  }
}

export class IllegalTransitionError extends TicketError {
  constructor(readonly from: string, readonly event: string) {
    super('ticket.illegal_transition', `cannot ${event} a ticket that is ${from}`, { from, event });
  }
}

export class TicketNotFoundError extends TicketError {
  constructor(ref: string | number) {
    super('ticket.not_found', `ticket ${ref} not found`, { ref });
  }
}
