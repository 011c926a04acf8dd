import type { Sql } from '../../tickets/store/db.js';
import { buildMonthReport } from '../../reports/build-month-report.js';
import { loadMonthSnapshots } from '../../reports/load-month-input.js';
import { monthOf, monthRange } from '../../reports/month-range.js';
import type { ContractView } from '../api-schemas.js';

const hours = (minutes: number) => Math.round((minutes / 60) * 10) / 10;

/**
 * The client's current contract and this month so far: billable hours used (as the monthly
 * report will count them) and where the month ends at the pace so far.
 */
export async function getClientContract(sql: Sql, clientId: number, zone: string, now = new Date()): Promise<ContractView> {
  const month = monthOf(now, zone);
  const [snap] = await loadMonthSnapshots(sql, [clientId], month, zone);
  const c = snap?.input.contract ?? null;
  const used = snap ? buildMonthReport(snap.input).totals.billableMinutes : 0;
  const range = monthRange(month, zone);
  const elapsed = Math.max(now.getTime() - range.start.getTime(), 3600_000);
  const forecast = used * ((range.end.getTime() - range.start.getTime()) / elapsed);
  return {
    contract: c && {
      number: c.number, subject: c.subject, startDate: c.startDate, supportType: c.supportType, portalUrl: c.portalUrl, portalType: c.portalType,
      monthlyFee: c.monthlyFee, currency: c.currency, packageHours: c.packageHours, hourlyRate: c.hourlyRate, overPackageRate: c.overPackageRate,
      bonusHours: c.bonusHours, manager: c.accountManager,
    },
    month: { month, usedHours: hours(used), packageHours: c?.packageHours ?? null, forecastHours: hours(forecast) },
  };
}
