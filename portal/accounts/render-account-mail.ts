import type { Language } from '../../tickets/types.js';

export type AccountMailKind = 'invite' | 'reset';

export interface AccountMailContext {
  /** The one-time link to set a password. */
  link: string;
  /** The client company the account belongs to. */
  company: string;
  /** Our name, as the signature. */
  supportName: string;
  /** Until when the link works, already formatted for the reader. */
  validUntil: string;
}

const TEXTS: Record<AccountMailKind, Record<Language, (c: AccountMailContext) => { subject: string; text: string }>> = {
  invite: {
    ru: (c) => ({
      subject: `Доступ в кабинет клиента — ${c.company}`,
      text: `Здравствуйте!\n\nДля вас открыт кабинет клиента ${c.supportName} (${c.company}): обращения компании, `
        + 'ежемесячные отчёты и условия договора.\n\n'
        + `Чтобы войти, задайте пароль по ссылке (она действует один раз, до ${c.validUntil}):\n${c.link}\n\n`
        + `Если вы не ждали этого письма, просто не открывайте ссылку.\n— ${c.supportName}`,
    }),
    en: (c) => ({
      subject: `Your client cabinet access — ${c.company}`,
      text: `Hello,\n\nA client cabinet at ${c.supportName} is open for you (${c.company}): your company's tickets, `
        + 'monthly reports and contract terms.\n\n'
        + `To sign in, set your password with this link (it works once, until ${c.validUntil}):\n${c.link}\n\n`
        + `If you did not expect this mail, just leave the link alone.\n— ${c.supportName}`,
    }),
  },
  reset: {
    ru: (c) => ({
      subject: 'Сброс пароля в кабинете клиента',
      text: `Здравствуйте!\n\nКто-то (возможно, вы) попросил сбросить пароль к кабинету клиента ${c.supportName} (${c.company}).\n\n`
        + `Новый пароль можно задать по ссылке (она действует один раз, до ${c.validUntil}):\n${c.link}\n\n`
        + `Если это были не вы, ничего не делайте: прежний пароль продолжает действовать.\n— ${c.supportName}`,
    }),
    en: (c) => ({
      subject: 'Reset your client cabinet password',
      text: `Hello,\n\nSomeone (perhaps you) asked to reset the password of your client cabinet at ${c.supportName} (${c.company}).\n\n`
        + `Set a new password with this link (it works once, until ${c.validUntil}):\n${c.link}\n\n`
        + `If it was not you, do nothing: your password stays as it is.\n— ${c.supportName}`,
    }),
  },
};

/** Subject and text of an invitation or password-reset mail, in the reader's language. */
export function renderAccountMail(kind: AccountMailKind, language: Language, c: AccountMailContext): { subject: string; text: string } {
  return TEXTS[kind][language](c);
}

/** "6 December 2026, 17:05 (Europe/Moscow)" in the reader's language and our time zone. */
export function formatValidUntil(at: Date, language: Language, timeZone: string): string {
  const s = new Intl.DateTimeFormat(language === 'ru' ? 'ru-RU' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone }).format(at);
  return `${s} (${timeZone})`;
}
