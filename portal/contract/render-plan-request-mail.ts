import type { Language } from '../../tickets/types.js';

export interface PlanRequestMailContext {
  company: string;
  contractNumber: string | null;
  managerName: string | null;
  text: string;
  supportName: string;
}

/** The confirmation a director gets for a "change plan" request, in their language. */
export function renderPlanRequestMail(language: Language, c: PlanRequestMailContext): { subject: string; text: string } {
  const quoted = c.text.split('\n').map((l) => `> ${l}`).join('\n');
  if (language === 'ru') {
    return {
      subject: `Запрос на изменение тарифа получен — ${c.company}`,
      text: `Здравствуйте!\n\nМы получили ваш запрос на изменение тарифа${c.contractNumber ? ` по договору ${c.contractNumber}` : ''}. `
        + `${c.managerName ? `Ваш персональный менеджер ${c.managerName}` : 'Ваш персональный менеджер'} свяжется с вами.\n\n`
        + `Ваш запрос:\n${quoted}\n\n— ${c.supportName}`,
    };
  }
  return {
    subject: `Your plan change request is in — ${c.company}`,
    text: `Hello,\n\nWe have your request to change the plan${c.contractNumber ? ` of contract ${c.contractNumber}` : ''}. `
      + `${c.managerName ? `Your personal manager, ${c.managerName},` : 'Your personal manager'} will be in touch.\n\n`
      + `Your request:\n${quoted}\n\n— ${c.supportName}`,
  };
}
