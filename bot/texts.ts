import type { Language } from '../tickets/types.js';

/** Everything the bot says, in Russian and English. Short: people read it on phones. */
export const TEXTS = {
  ru: {
    unknownClient: 'неизвестный клиент',
    from: 'От',
    attachments: (n: number) => `Вложений: ${n}`,
    chooseDepartment: 'Выберите отдел:',
    chooseEmployee: (dept: string) => `${dept}: выберите сотрудника`,
    notARequest: 'Не обращение',
    back: '« Назад',
    assigned: (to: string, by: string, at: string) => `Назначено: ${to} (назначил ${by} в ${at})`,
  },
  en: {
    unknownClient: 'unknown client',
    from: 'From',
    attachments: (n: number) => `Attachments: ${n}`,
    chooseDepartment: 'Choose a department:',
    chooseEmployee: (dept: string) => `${dept}: choose an employee`,
    notARequest: 'Not a request',
    back: '« Back',
    assigned: (to: string, by: string, at: string) => `Assigned to ${to} by ${by} at ${at}`,
  },
} satisfies Record<Language, Record<string, unknown>>;

export type Texts = (typeof TEXTS)['en'];
