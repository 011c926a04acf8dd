import type { Language } from '../tickets/types.js';
import type { KeyboardItem } from './keyboard.js';
import { escapeBb, type RenderedMessage } from './render-dispatch-message.js';
import type { Person } from './person-name.js';
import { CABINET_TEXTS } from './texts.js';

/**
 * The plan request's button: a hidden command of its own, `plan`, with params `take <id>`,
 * so it never mixes with the ticket (`tkt`) or report (`rpt`) buttons.
 */
export const PLAN_COMMAND = 'plan';

export const encodePlanButton = (id: number): string => `take ${id}`;

/** The request's id, or null for anything that is not our button. */
export function decodePlanButton(params: string): number | null {
  const m = /^take (\d{1,15})$/.exec(params.trim());
  return m ? Number(m[1]) : null;
}

/** The contract terms as the cabinet showed them to the client when they asked. */
export interface PlanTerms {
  number: string; supportType: string; monthlyFee: number; currency: string; packageHours: number | null;
  hourlyRate: number; overPackageRate: number; bonusHours: number;
}

export interface PlanRequestCard {
  id: number;
  company: string;
  requester: { name: string; email: string };
  terms: PlanTerms | null;
  text: string;
  /** Sent to the dispatch chat because the client has no account manager. */
  toDispatch: boolean;
}

const money = (n: number, currency: string, lang: Language) =>
  new Intl.NumberFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { style: 'currency', currency, minimumFractionDigits: 0, maximumFractionDigits: 2 }).format(n);

/** The message to the personal manager: the client, the current terms, the text, and "Взять в работу" (until taken). */
export function renderPlanRequest(r: PlanRequestCard, lang: Language, taken?: { by: Person; at: string }): RenderedMessage {
  const x = CABINET_TEXTS[lang];
  const k = r.terms;
  const lines = [
    `[b]${x.planTitle}[/b] · ${escapeBb(r.company)}${k ? `, ${x.contract} ${escapeBb(k.number)}` : ` (${x.noContract})`}`,
    `${x.from}: ${escapeBb(r.requester.name ? `${r.requester.name} <${r.requester.email}>` : r.requester.email)}`,
    ...(k ? [`${x.terms}: ${escapeBb(x.termsLine({
      supportType: k.supportType, packageHours: k.packageHours === null ? x.unlimited : String(k.packageHours),
      fee: money(k.monthlyFee, k.currency, lang), rate: money(k.hourlyRate, k.currency, lang), overRate: money(k.overPackageRate, k.currency, lang),
      bonus: k.bonusHours,
    }))}`] : []),
    `${x.request}:`,
    `>>${escapeBb(r.text.length > 1500 ? `${r.text.slice(0, 1499)}…` : r.text).replace(/\n/g, '\n>>')}`,
    ...(r.toDispatch ? [x.noManager] : []),
    ...(taken ? [x.takenBy(taken.by, taken.at)] : []),
  ];
  const keyboard: KeyboardItem[] | null = taken ? null
    : [{ TEXT: x.take, COMMAND: PLAN_COMMAND, COMMAND_PARAMS: encodePlanButton(r.id), DISPLAY: 'LINE', BG_COLOR_TOKEN: 'primary' }];
  return { text: lines.join('\n'), keyboard };
}
