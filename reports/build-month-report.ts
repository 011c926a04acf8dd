import type { ContractTerms, MonthInput, MonthReport, MonthTotals, ProblemTicket, ReportTicket } from './types.js';

const toMinutes = (hours: number) => Math.round(hours * 60);
const cents = (x: number) => Math.round(x * 100) / 100;

/**
 * The month's arithmetic. Only billable minutes consume hours: first the package, then the
 * bonus hours, and what is left is over the package at the over-package rate. An unlimited
 * contract (package_hours null) and a client without a contract never go over.
 */
export function computeMonthTotals(contract: ContractTerms | null, tickets: readonly ReportTicket[]): MonthTotals {
  const minutes = tickets.reduce((a, t) => a + t.minutes, 0);
  const billableMinutes = tickets.reduce((a, t) => a + t.billableMinutes, 0);
  const base = { minutes, billableMinutes, nonBillableMinutes: minutes - billableMinutes };
  if (!contract || contract.packageHours === null) {
    return { ...base, packageMinutes: null, packageUsedMinutes: billableMinutes, bonusMinutes: 0, bonusUsedMinutes: 0, overMinutes: 0, overCost: 0 };
  }
  const packageMinutes = toMinutes(contract.packageHours);
  const bonusMinutes = toMinutes(contract.bonusHours);
  const packageUsedMinutes = Math.min(billableMinutes, packageMinutes);
  const bonusUsedMinutes = Math.min(billableMinutes - packageUsedMinutes, bonusMinutes);
  const overMinutes = billableMinutes - packageUsedMinutes - bonusUsedMinutes;
  return {
    ...base, packageMinutes, packageUsedMinutes, bonusMinutes, bonusUsedMinutes, overMinutes,
    overCost: cents((overMinutes * contract.overPackageRate) / 60),
  };
}

/** Hours of the package not used this month; null for an unlimited contract or none. */
export function packageLeftMinutes(t: MonthTotals): number | null {
  return t.packageMinutes === null ? null : Math.max(0, t.packageMinutes - t.packageUsedMinutes);
}

/**
 * What the month costs the client: the monthly fee plus the over-package hours at their rate
 * (bonus hours were used before anything counted as over, so they cost nothing). null without
 * a contract. The cabinet's report list shows the same sum.
 */
export function monthAmount(contract: ContractTerms | null, t: MonthTotals): number | null {
  return contract ? cents(contract.monthlyFee + t.overCost) : null;
}

/**
 * The report from the month's input: totals, plus the review's verdict. A ticket counted as
 * resolved but carrying no time at all is as much a problem as one still awaiting its time:
 * either way the client would be shown a ticket that cost nothing by mistake.
 */
export function buildMonthReport(input: MonthInput): MonthReport {
  const zeroTime: ProblemTicket[] = input.tickets.filter((t) => t.minutes === 0).map((t) => ({
    number: t.number, subject: t.subject, status: 'resolved', specialist: t.specialist, since: t.closedAt,
  }));
  const missingTime = [...input.missingTime, ...zeroTime].sort((a, b) => a.number - b.number);
  return {
    ...input,
    missingTime,
    totals: computeMonthTotals(input.contract, input.tickets),
    held: missingTime.length > 0,
  };
}
