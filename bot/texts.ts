import type { Language } from '../tickets/types.js';
import { escapeBb } from './escape-bb.js';
import { nameIn, pastEnding, type Person } from './person-name.js';

/** A past-tense verb that agrees with its subject: назначил / назначила, назначил(а) when the name does not tell. */
const did = (verb: string, p: Person): string => (p.gender ? `${verb}${pastEnding(p)}` : `${verb}(а)`);
/** Names go into messages as written, never as markup. */
const nm = (p: Person): string => escapeBb(p.name);

/**
 * Lists whose ru and en entries belong together: one row per entry, so a new entry gets both
 * languages at once.
 */
const LABELS = {
  reasons: { spam: ['Спам', 'Spam'], duplicate: ['Дубль', 'Duplicate'], other: ['Другое', 'Other'] },
  status: {
    new: ['ждёт назначения', 'waiting for assignment'], assigned: ['назначено', 'assigned'], in_progress: ['в работе', 'in progress'],
    escalated: ['у разработчика', 'with a developer'], awaiting_time: ['закрыто, время не указано', 'closed, time missing'],
    resolved: ['решено', 'resolved'], rejected: ['закрыто как не обращение', 'closed as not a request'],
    merged: ['объединено с другим обращением', 'merged into another ticket'],
  },
  commandTitles: {
    ticket: ['Карточка обращения', 'A ticket\'s card'], my: ['Мои открытые обращения', 'My open tickets'],
    unassigned: ['Неназначенные обращения', 'Unassigned tickets'], help: ['Справка', 'Help'],
  },
  autoKinds: {
    bounce: ['отчёт о недоставке', 'delivery report'], auto_reply: ['автоответ', 'auto-reply'], bulk: ['рассылка', 'list or bulk mail'],
    report: ['автоматический отчёт', 'automatic report'], no_reply: ['адрес без ответа', 'no-reply sender'],
  },
} satisfies Record<string, Record<string, [string, string]>>;

function labels<K extends keyof typeof LABELS>(list: K, lang: Language): Record<string, string> {
  const i = lang === 'ru' ? 0 : 1;
  return Object.fromEntries(Object.entries(LABELS[list]).map(([k, v]) => [k, v[i]]));
}

/** Everything the bot says, in Russian and English. Short: people read it on phones. */
export const TEXTS = {
  ru: {
    unknownClient: 'неизвестный клиент',
    from: 'От',
    unknownSender: '⚠ отправитель не определён (в письме нет надёжного адреса From)',
    attachments: (list: string) => `Вложения: ${list}`,
    chooseDepartment: 'Выберите отдел:',
    chooseEmployee: (dept: string) => `${dept}: выберите сотрудника`,
    notARequest: 'Не обращение',
    back: '« Назад',
    assigned: (to: Person, by: Person, at: string) => `Назначено: ${nm(to)} (${did('назначил', by)} ${nm(by)} в ${at})`,
    alreadyAssigned: (n: number, to: Person, by: Person) => `#${n} уже назначено: ${nm(to)} (${did('назначил', by)} ${nm(by)}).`,
    alreadyHandled: (n: number, status: string) => `#${n} уже ${status}.`,
    chooseReason: 'Почему это не обращение?',
    reasons: labels('reasons', 'ru'),
    rejected: (reason: string, by: string, at: string) => `Закрыто как не обращение (${reason}): ${by} в ${at}`,
    status: labels('status', 'ru'),
    yourTicket: 'Вам назначено обращение',
    statusLine: (s: string) => `Статус: ${s}`,
    accept: 'Принять', reply: 'Ответить', escalate: 'Разработчику', close: 'Закрыть', reassign: 'Передать',
    cancel: 'Отмена', other: 'Другое', billable: 'Оплачивается', ourFault: 'Наша ошибка — бесплатно',
    notYours: (n: number) => `#${n} назначено не вам.`,
    writeReply: (n: number) => `Напишите ответ клиенту по #${n} следующим сообщением. Файлы можно приложить.`,
    replySent: (n: number, to: string) => `Ответ по #${n} отправлен: ${to}`,
    noRequester: (n: number) => `У #${n} нет адреса клиента: ответить письмом нельзя.`,
    cancelled: 'Отменено.',
    chooseDeveloper: 'Кому из разработчиков передать?',
    noDevelopers: 'Отдел разработчиков не настроен или пуст.',
    taskCreated: (n: number, task: number, dev: Person) => `По #${n} создана задача ${task} для ${escapeBb(nameIn(dev, 'genitive'))}. Обращение остаётся у вас.`,
    devComment: (n: number, dev: Person) => `${nm(dev)} ${did('прокомментировал', dev)} задачу по #${n}:`,
    taskDone: (n: number, task: number) => `Задача ${task} по #${n} выполнена.`,
    howLong: (n: number) => `Сколько времени ушло на #${n}?`,
    isBillable: (n: number, spent: string) => `#${n}: ${spent}. Оплачивается клиентом?`,
    typeTime: (n: number) => `Напишите время по #${n}: например 1ч20м, 1:20, 80, 1,5 ч или 1 ч 20 мин.`,
    badTime: (input: string) => `Не понял «${escapeBb(input)}». Примеры: 1ч20м, 1:20, 80 (минуты), 1,5 ч, 1 ч 20 мин.`,
    closedWith: (n: number, spent: string, billable: boolean) => `#${n} закрыто: ${spent}, ${billable ? 'оплачивается' : 'бесплатно (наша ошибка)'}.`,
    closedCard: 'Обращение закрыто',
    closedLine: (at: string, spent: string, billable: boolean) =>
      `Закрыто в ${at} · учтено ${spent} · ${billable ? 'оплачивается клиентом' : 'бесплатно для клиента (наша ошибка)'}`,
    nothingToCancel: 'Уже сделано — отменять нечего.',
    timeAlready: (n: number) => `Время по #${n} уже записано.`,
    newMail: (n: number) => `Новое письмо клиента по #${n}:`,
    reopened: (n: number) => `Клиент ответил — #${n} открыто снова.`,
    reassignedAway: (n: number, to: Person) => `#${n} передано: ${nm(to)}.`,
    remindUnassigned: (count: number) => `Не назначено обращений: ${count}. Самые старые:`,
    remindTapNumber: 'Нажмите номер, чтобы назначить.',
    remindPicking: (n: number) => `#${n}: выберите отдел или «Не обращение».`,
    remindPickingEmployee: (n: number, dept: string) => `#${n} · ${escapeBb(dept)}: выберите сотрудника.`,
    remindMore: (n: number) => `…и ещё ${n}. Все: /unassigned`,
    andMore: (n: number) => `…и ещё ${n}`,
    remindMissingTime: (count: number) => `Закрыто без времени: ${count}. Укажите время:`,
    waiting: (minutes: number) => (minutes < 1 ? 'только что' : `ждёт ${formatMinutes(minutes, 'ru')}`),
    noUnassigned: 'Неназначенных обращений нет.',
    myTickets: (count: number) => `Ваши открытые обращения: ${count}`,
    noMyTickets: 'Открытых обращений у вас нет.',
    notFound: (ref: string) => `Обращение ${escapeBb(ref)} не найдено.`,
    help: 'Команды:\n/ticket 1042 — карточка обращения\n/my — мои открытые\n/unassigned — неназначенные\n'
      + '#1042 текст — ответить клиенту по #1042\n/help — эта справка',
    commandTitles: labels('commandTitles', 'ru'),
    dispatchChatTitle: 'Диспетчерская поддержки',
    autoKinds: labels('autoKinds', 'ru'),
    automatic: (kind: string) => `⚙ Автоматическое письмо (${kind}): клиенту ничего не отправлялось.`,
    undeliverable: (to: string) => `⚠ Письмо клиенту не доставлено: ${to}`,
    mailFailed: (n: number, to: string, reason: string) => `⚠ Письмо по #${n} не доставлено (${to}): ${reason}. Повторов не будет.`,
    healedBot: 'Бот был удалён с портала и зарегистрирован заново; это новая диспетчерская.',
    healedChat: 'Прежний чат диспетчерской недоступен (удалён или портал сброшен); это новый.',
    healedReposted: (n: number) => `Открытые неназначенные обращения (${n}) отправлены сюда заново.`,
    healedNothingOpen: 'Неназначенных обращений нет.',
    mergedInto: (into: number) => `Объединено с #${into}: это та же переписка, письма и история теперь там.`,
    yoursMerged: (n: number, into: number, owner: Person | null) =>
      `Ваше обращение #${n} объединено с #${into} — это та же переписка. Письма и учтённое время перенесены в #${into}; `
      + (owner ? `его ведёт ${nm(owner)}.` : 'оно ждёт назначения.'),
    mergedIntoYours: (n: number, into: number) => `К вашему обращению #${into} присоединено #${n} (та же переписка): его письма теперь в #${into}.`,
  },
  en: {
    unknownClient: 'unknown client',
    from: 'From',
    unknownSender: '⚠ unknown sender (the mail has no reliable From address)',
    attachments: (list: string) => `Attachments: ${list}`,
    chooseDepartment: 'Choose a department:',
    chooseEmployee: (dept: string) => `${dept}: choose an employee`,
    notARequest: 'Not a request',
    back: '« Back',
    assigned: (to: Person, by: Person, at: string) => `Assigned to ${nm(to)} by ${nm(by)} at ${at}`,
    alreadyAssigned: (n: number, to: Person, by: Person) => `#${n} is already assigned to ${nm(to)} (by ${nm(by)}).`,
    alreadyHandled: (n: number, status: string) => `#${n} is already ${status}.`,
    chooseReason: 'Why is it not a request?',
    reasons: labels('reasons', 'en'),
    rejected: (reason: string, by: string, at: string) => `Closed as not a request (${reason}) by ${by} at ${at}`,
    status: labels('status', 'en'),
    yourTicket: 'A ticket for you',
    statusLine: (s: string) => `Status: ${s}`,
    accept: 'Accept', reply: 'Reply', escalate: 'Escalate', close: 'Close', reassign: 'Reassign',
    cancel: 'Cancel', other: 'Other', billable: 'Billable', ourFault: 'Our fault — not billable',
    notYours: (n: number) => `#${n} is not assigned to you.`,
    writeReply: (n: number) => `Write your reply to the client on #${n} as your next message. You can attach files.`,
    replySent: (n: number, to: string) => `Reply on #${n} sent to ${to}`,
    noRequester: (n: number) => `#${n} has no client address: it cannot be answered by mail.`,
    cancelled: 'Cancelled.',
    chooseDeveloper: 'Which developer should take it?',
    noDevelopers: 'The developers\' department is not set up or has nobody in it.',
    taskCreated: (n: number, task: number, dev: Person) => `Task ${task} for ${nm(dev)} created for #${n}. The ticket stays with you.`,
    devComment: (n: number, dev: Person) => `${nm(dev)} commented on the task for #${n}:`,
    taskDone: (n: number, task: number) => `Task ${task} for #${n} is done.`,
    howLong: (n: number) => `How long did #${n} take?`,
    isBillable: (n: number, spent: string) => `#${n}: ${spent}. Billable to the client?`,
    typeTime: (n: number) => `Type the time spent on #${n}, e.g. 1h20m, 1:20, 80, 1.5h or 1 h 20 min.`,
    badTime: (input: string) => `Could not read "${escapeBb(input)}". Examples: 1h20m, 1:20, 80 (minutes), 1.5h, 1 h 20 min.`,
    closedWith: (n: number, spent: string, billable: boolean) => `#${n} closed: ${spent}, ${billable ? 'billable' : 'not billable (our fault)'}.`,
    closedCard: 'Ticket closed',
    closedLine: (at: string, spent: string, billable: boolean) =>
      `Closed at ${at} · ${spent} logged · ${billable ? 'billable to the client' : 'not billable (our fault)'}`,
    nothingToCancel: 'Already done: nothing to cancel.',
    timeAlready: (n: number) => `Time for #${n} is already recorded.`,
    newMail: (n: number) => `New mail from the client on #${n}:`,
    reopened: (n: number) => `The client replied: #${n} is open again.`,
    reassignedAway: (n: number, to: Person) => `#${n} handed over to ${nm(to)}.`,
    remindUnassigned: (count: number) => `Unassigned tickets: ${count}. Oldest first:`,
    remindTapNumber: 'Tap a number to assign it.',
    remindPicking: (n: number) => `#${n}: choose a department, or "Not a request".`,
    remindPickingEmployee: (n: number, dept: string) => `#${n} · ${escapeBb(dept)}: choose an employee.`,
    remindMore: (n: number) => `…and ${n} more. All of them: /unassigned`,
    andMore: (n: number) => `…and ${n} more`,
    remindMissingTime: (count: number) => `Closed without time: ${count}. Enter the time:`,
    waiting: (minutes: number) => (minutes < 1 ? 'just now' : `waiting ${formatMinutes(minutes, 'en')}`),
    noUnassigned: 'No unassigned tickets.',
    myTickets: (count: number) => `Your open tickets: ${count}`,
    noMyTickets: 'You have no open tickets.',
    notFound: (ref: string) => `Ticket ${escapeBb(ref)} not found.`,
    help: 'Commands:\n/ticket 1042 — a ticket\'s card\n/my — my open tickets\n/unassigned — unassigned tickets\n'
      + '#1042 text — reply to the client on #1042\n/help — this help',
    commandTitles: labels('commandTitles', 'en'),
    dispatchChatTitle: 'Support dispatch',
    autoKinds: labels('autoKinds', 'en'),
    automatic: (kind: string) => `⚙ Automatic mail (${kind}): nothing was sent back.`,
    undeliverable: (to: string) => `⚠ Mail to the client could not be delivered: ${to}`,
    mailFailed: (n: number, to: string, reason: string) => `⚠ Mail on #${n} could not be delivered (${to}): ${reason}. It will not be retried.`,
    healedBot: 'The bot was removed from the portal and registered again; this is the new dispatch chat.',
    healedChat: 'The previous dispatch chat is gone (deleted, or the portal was reset); this is the new one.',
    healedReposted: (n: number) => `The open unassigned tickets (${n}) are posted here again.`,
    healedNothingOpen: 'There are no unassigned tickets.',
    mergedInto: (into: number) => `Merged into #${into}: the same mail thread; its mail and history are there now.`,
    yoursMerged: (n: number, into: number, owner: Person | null) =>
      `Your ticket #${n} was merged into #${into}, the same mail thread. Its mail and logged time are on #${into} now; `
      + (owner ? `${nm(owner)} handles it.` : 'it waits for a dispatcher.'),
    mergedIntoYours: (n: number, into: number) => `#${n} was merged into your ticket #${into} (the same mail thread): its mail is on #${into} now.`,
  },
} satisfies Record<Language, Record<string, unknown>>;

export type Texts = (typeof TEXTS)['en'];

/** Minutes as people read them: `45 min`, `1 h 20 min`, `2 h`. */
export function formatMinutes(minutes: number, lang: Language): string {
  const [h, m] = [Math.floor(minutes / 60), minutes % 60];
  const [hu, mu] = lang === 'ru' ? ['ч', 'мин'] : ['h', 'min'];
  return [h > 0 ? `${h} ${hu}` : '', m > 0 || h === 0 ? `${m} ${mu}` : ''].filter(Boolean).join(' ');
}

// --- The client cabinet's messages (issue 14): plan change requests and invitations. ---
export const CABINET_TEXTS = {
  ru: {
    planTitle: 'Запрос на изменение тарифа',
    contract: 'договор',
    noContract: 'договора нет',
    from: 'От',
    terms: 'Сейчас',
    unlimited: 'без ограничения',
    termsLine: (t: { supportType: string; packageHours: string; fee: string; rate: string; overRate: string; bonus: number }) =>
      `${t.supportType}; часов в пакете: ${t.packageHours}; абонентская плата ${t.fee}; час ${t.rate}, сверх пакета ${t.overRate}; бонусных часов: ${t.bonus}`,
    request: 'Запрос',
    noManager: 'У клиента нет персонального менеджера: запрос пришёл в диспетчерскую.',
    // An infinitive, as on every other button: whoever reads it, it needs no gender.
    take: 'Взять в работу',
    takenBy: (p: Person, at: string) => `✅ ${did('Взял', p)} в работу: ${nm(p)}, ${at}`,
    alreadyTaken: (p: Person) => `Этот запрос уже ${did('взял', p)} в работу ${nm(p)}.`,
    inviteUsage: 'Приглашение в кабинет клиента: /invite email@client.ru director|employee [номер договора]',
    inviteNoClients: 'Вы не персональный менеджер ни одного клиента: пригласить некого.',
    inviteWhichClient: (numbers: string) => `Укажите номер договора в конце команды: ${numbers}`,
    invited: (email: string, company: string, role: string) => `Приглашение отправлено: ${email} (${company}, ${role}).`,
    inviteRefused: (reason: string) => `Не удалось пригласить: ${reason}`,
    roles: { director: 'руководитель', employee: 'сотрудник' } as Record<string, string>,
    inviteTitle: 'Пригласить в кабинет клиента',
    inviteErrors: {
      'account.exists': 'у этого адреса уже есть доступ в кабинет (или он у другого клиента)',
      'mail.unavailable': 'письмо не отправилось, попробуйте через несколько минут',
      off: 'кабинет клиента в этой установке не настроен',
    } as Record<string, string>,
    inviteFailed: 'не получилось, попробуйте ещё раз',
  },
  en: {
    planTitle: 'Plan change request',
    contract: 'contract',
    noContract: 'no contract',
    from: 'From',
    terms: 'Now',
    unlimited: 'unlimited',
    termsLine: (t: { supportType: string; packageHours: string; fee: string; rate: string; overRate: string; bonus: number }) =>
      `${t.supportType}; hours in the package: ${t.packageHours}; monthly fee ${t.fee}; hour ${t.rate}, over the package ${t.overRate}; bonus hours: ${t.bonus}`,
    request: 'Request',
    noManager: 'The client has no personal manager: the request came to the dispatch chat.',
    take: 'I\'m on it',
    takenBy: (p: Person, at: string) => `✅ Taken by ${nm(p)}, ${at}`,
    alreadyTaken: (p: Person) => `${nm(p)} has already taken this request.`,
    inviteUsage: 'Invite to the client cabinet: /invite email@client.com director|employee [contract number]',
    inviteNoClients: 'You are not the personal manager of any client: there is nobody to invite to.',
    inviteWhichClient: (numbers: string) => `Add the contract number at the end of the command: ${numbers}`,
    invited: (email: string, company: string, role: string) => `Invitation sent: ${email} (${company}, ${role}).`,
    inviteRefused: (reason: string) => `Could not invite: ${reason}`,
    roles: { director: 'director', employee: 'employee' } as Record<string, string>,
    inviteTitle: 'Invite to the client cabinet',
    inviteErrors: {
      'account.exists': 'this address already has cabinet access (or belongs to another client)',
      'mail.unavailable': 'the mail could not be sent; try again in a few minutes',
      off: 'the client cabinet is not set up in this installation',
    } as Record<string, string>,
    inviteFailed: 'it did not work; please try again',
  },
} satisfies Record<Language, Record<string, unknown>>;

// --- The operator panel (issue 15) ---------------------------------------------------------
/** What the bot says about the web panel, in both languages. */
export const PANEL_TEXTS = {
  ru: {
    open: 'Открыть',
    panelLink: (minutes: number) => `Панель оператора: [url=/panel]открыть очередь[/url]. Ссылка для входа действует ${minutes} мин и один раз.`,
    panelTicketLink: (n: number, minutes: number) => `#${n}: [url=/tickets/${n}]открыть в панели[/url]. Ссылка для входа действует ${minutes} мин и один раз.`,
    panelTitle: 'Ссылка на панель оператора',
  },
  en: {
    open: 'Open',
    panelLink: (minutes: number) => `Operator panel: [url=/panel]open the queue[/url]. The sign-in link works for ${minutes} min, once.`,
    panelTicketLink: (n: number, minutes: number) => `#${n}: [url=/tickets/${n}]open in the panel[/url]. The sign-in link works for ${minutes} min, once.`,
    panelTitle: 'A link to the operator panel',
  },
} satisfies Record<Language, Record<string, unknown>>;

/**
 * A card's "Open" link to the ticket's page in the panel. A path, not an address: the message
 * runner makes it absolute and, in a person's own dialog, signs it for them (bot/panel-links.ts).
 */
export function openLink(number: number, lang: Language): string {
  return `[url=/tickets/${number}]${PANEL_TEXTS[lang].open}[/url]`;
}

/** File sizes as people read them: `830 Б`/`830 B`, `12 КБ`/`12 KB`, `1,5 МБ`/`1.5 MB`. */
export function formatBytes(bytes: number, lang: Language): string {
  const units = lang === 'ru' ? ['Б', 'КБ', 'МБ', 'ГБ'] : ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = unit === 0 || value >= 10 ? String(Math.round(value)) : value.toFixed(1);
  return `${lang === 'ru' ? shown.replace('.', ',') : shown} ${units[unit]}`;
}
