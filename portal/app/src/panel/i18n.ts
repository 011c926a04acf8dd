// The operator panel's texts in Russian and English: the staff member's language (from the bot), before that the browser's.
import { computed, ref } from 'vue';

export type Lang = 'ru' | 'en';

const ru = {
  appTitle: 'Панель оператора', queue: 'Очередь', signOut: 'Выйти',
  signInTitle: 'Вход для сотрудников',
  signInHow: 'Откройте панель по ссылке из бота: кнопка «Открыть» в карточке обращения или команда /panel в чате с ботом.',
  linkRefused: 'Ссылка для входа устарела или уже использована. Напишите боту /panel — он пришлёт новую.',
  notFound: 'Обращение не найдено или недоступно вам.',
  views: { mine: 'Мои', unassigned: 'Неназначенные', department: 'Мой отдел', all: 'Все' },
  view: 'Показать', status: 'Статус', search: 'Поиск: номер, тема, отправитель, слова', olderThan: 'Старше, ч', sortBy: 'Порядок',
  sorts: { oldest: 'Сначала старые', newest: 'Сначала новые', activity: 'По активности' },
  statusFilters: { open: 'Открытые', closed: 'Закрытые', any: 'Все' } as Record<string, string>,
  number: 'Номер', client: 'Клиент', subject: 'Тема', assignee: 'Исполнитель', waitingSince: 'Ждёт с', lastActivity: 'Последняя активность',
  total: 'Всего', nothingFound: 'Ничего не найдено', openTicket: 'Открыть обращение', unknownClient: 'неизвестный клиент',
  statuses: {
    new: 'Новое', assigned: 'Назначено', in_progress: 'В работе', escalated: 'У разработчика', awaiting_time: 'Ждёт время',
    resolved: 'Решено', rejected: 'Не обращение', merged: 'Объединено',
  } as Record<string, string>,
  kinds: { client: 'Письмо клиента', reply: 'Наш ответ', ack: 'Подтверждение', resolved: 'Уведомление о решении', note: 'Внутренняя заметка', developer: 'Комментарий разработчика' },
  thread: 'Переписка', history: 'История', attachments: 'Вложения', notStored: 'не сохранено',
  requester: 'Отправитель', department: 'Отдел', timeLogged: 'Учтено времени', nobody: 'не назначено',
  accept: 'Принять', reply: 'Ответ клиенту', send: 'Отправить клиенту', attach: 'Файлы', note: 'Внутренняя заметка', addNote: 'Добавить заметку',
  close: 'Закрыть с учётом времени', minutes: 'Минут', billable: 'Оплачивается клиентом', closeButton: 'Закрыть обращение',
  sent: 'Отправлено', failed: 'Не доставлено', pending: 'В очереди', live: 'обновляется автоматически',
  actions: { created: 'создано', assign: 'назначено', accept: 'принято', escalate: 'передано разработчику', task_done: 'задача выполнена',
    close: 'закрыто', record_time: 'время учтено', reject: 'не обращение', reopen: 'открыто снова', merge: 'объединено', note: 'заметка' } as Record<string, string>,
  via: { mail: 'почта', bot: 'бот', web: 'панель', system: 'система' } as Record<string, string>,
  min: 'мин', assignTo: 'Назначить сотруднику', assignButton: 'Назначить',
  escalateTo: 'Передать разработчику', escalateButton: 'Создать задачу',
  // The board (board-page.vue).
  board: 'Доска', stage: 'Этап', moveTo: 'Перенести в…', moveCard: 'Перенести обращение',
  moveRefused: (n: number, from: string, to: string) => `Обращение #${n} нельзя перенести из «${from}» в «${to}».`,
  moveFailed: (n: number) => `Обращение #${n} не перенесено`, moveButton: 'Перенести', cancel: 'Отмена',
  moveHint: 'Перетащите карточку в другую колонку или выберите «Перенести в…»', dropHere: 'сюда можно перенести',
  andMore: (n: number) => `и ещё ${n} — в очереди`, developer: 'Разработчик', employee: 'Сотрудник',
  // The client card (client-page.vue).
  clientCard: 'Карточка клиента', contacts: 'Контакты', domains: 'Почтовые домены', contract: 'Договор', noContract: 'Договора нет',
  reportsTo: 'получает отчёты', ticketHistory: 'Обращения компании', created: 'Создано', language: 'Язык',
  terms: { supportType: 'Тип поддержки', number: 'Номер договора', startDate: 'Дата начала', portal: 'Портал', portalType: 'Тип портала',
    monthlyFee: 'Абонентская плата', packageHours: 'Часов в пакете', hourlyRate: 'Ставка в час', overRate: 'Ставка сверх пакета',
    bonusHours: 'Бонусные часы', manager: 'Персональный менеджер' },
  unlimited: 'без ограничения', thisMonth: 'Этот месяц',
  usedOf: (used: number, pkg: number | null) => (pkg === null ? `Использовано ${used} ч (пакет без ограничения)` : `Использовано ${used} ч из ${pkg} ч`),
  forecast: (h: number) => `Прогноз на конец месяца: ${h} ч`,
  // Administration (admin-*.vue).
  admin: 'Администрирование', clients: 'Клиенты', system: 'Система', company: 'Компания', newClient: 'Новый клиент', create: 'Создать',
  save: 'Сохранить', saved: 'Сохранено', remove: 'Удалить', add: 'Добавить', email: 'E-mail', name: 'Имя', receivesReports: 'Получает отчёты',
  domain: 'Домен', contracts: 'Договоры', newContract: 'Новый договор', audit: 'Журнал изменений', openTickets: 'Открытых обращений',
  checkFields: 'Проверьте поля', taken: 'Этот адрес или домен уже принадлежит другому клиенту.', adminOnly: 'Только для администраторов.',
  contractFields: { number: 'Номер договора', subject: 'Предмет', startDate: 'Дата начала', endDate: 'Дата окончания', supportType: 'Тип поддержки',
    portalUrl: 'Адрес портала', portalType: 'Тип портала', monthlyFee: 'Абонентская плата', currency: 'Валюта', packageHours: 'Часов в пакете (пусто — без ограничения)',
    hourlyRate: 'Ставка в час', overPackageRate: 'Ставка сверх пакета', bonusHours: 'Бонусные часы', accountManagerId: 'Персональный менеджер' } as Record<string, string>,
  health: 'Проверки готовности', ok: 'в порядке', notOk: 'проблема', mailboxes: 'Почтовые ящики', lastMail: 'Последнее письмо',
  receivedToday: 'За сутки', notFlagged: 'Не отмечено на сервере', bitrix24: 'Bitrix24', mode: 'Режим', portalHost: 'Портал', connected: 'Подключено',
  yes: 'да', no: 'нет', eventsWaiting: 'Событий ждут обработки', oldestWaiting: 'Самое старое', lastEvent: 'Последнее событие', queues: 'Очереди',
  openQueueBoard: 'Открыть Bull Board', queueName: 'Очередь', modes: { webhook: 'входящий вебхук', oauth: 'приложение (OAuth)', off: 'не подключено' } as Record<string, string>,
  jobStates: { waiting: 'ждут', active: 'в работе', delayed: 'отложены', failed: 'с ошибкой', completed: 'выполнены' } as Record<string, string>,
};
const en: typeof ru = {
  appTitle: 'Operator panel', queue: 'Queue', signOut: 'Sign out',
  signInTitle: 'Staff sign-in',
  signInHow: 'Open the panel from a bot link: the "Open" link on a ticket card, or the /panel command in the chat with the bot.',
  linkRefused: 'This sign-in link has expired or was used already. Write /panel to the bot for a new one.',
  notFound: 'The ticket does not exist or is not yours to see.',
  views: { mine: 'Mine', unassigned: 'Unassigned', department: 'My department', all: 'All' },
  view: 'Show', status: 'Status', search: 'Search: number, subject, sender, words', olderThan: 'Older than, h', sortBy: 'Order',
  sorts: { oldest: 'Oldest first', newest: 'Newest first', activity: 'By activity' },
  statusFilters: { open: 'Open', closed: 'Closed', any: 'Any' },
  number: 'Number', client: 'Client', subject: 'Subject', assignee: 'Assignee', waitingSince: 'Waiting since', lastActivity: 'Last activity',
  total: 'Total', nothingFound: 'Nothing found', openTicket: 'Open ticket', unknownClient: 'unknown client',
  statuses: {
    new: 'New', assigned: 'Assigned', in_progress: 'In progress', escalated: 'With a developer', awaiting_time: 'Time missing',
    resolved: 'Resolved', rejected: 'Not a request', merged: 'Merged',
  },
  kinds: { client: 'Client mail', reply: 'Our reply', ack: 'Acknowledgement', resolved: 'Resolution notice', note: 'Internal note', developer: 'Developer comment' },
  thread: 'Thread', history: 'History', attachments: 'Attachments', notStored: 'not stored',
  requester: 'Sender', department: 'Department', timeLogged: 'Time logged', nobody: 'unassigned',
  accept: 'Accept', reply: 'Reply to the client', send: 'Send to the client', attach: 'Files', note: 'Internal note', addNote: 'Add note',
  close: 'Close with time', minutes: 'Minutes', billable: 'Billable to the client', closeButton: 'Close the ticket',
  sent: 'Sent', failed: 'Not delivered', pending: 'Queued', live: 'updates live',
  actions: { created: 'created', assign: 'assigned', accept: 'accepted', escalate: 'escalated', task_done: 'task done',
    close: 'closed', record_time: 'time logged', reject: 'not a request', reopen: 'reopened', merge: 'merged', note: 'note' },
  via: { mail: 'mail', bot: 'bot', web: 'panel', system: 'system' },
  min: 'min', assignTo: 'Assign to', assignButton: 'Assign',
  escalateTo: 'Escalate to a developer', escalateButton: 'Open a task',
  board: 'Board', stage: 'Stage', moveTo: 'Move to…', moveCard: 'Move the ticket',
  moveRefused: (n: number, from: string, to: string) => `Ticket #${n} cannot move from "${from}" to "${to}".`,
  moveFailed: (n: number) => `Ticket #${n} was not moved`, moveButton: 'Move', cancel: 'Cancel',
  moveHint: 'Drag a card to another column, or choose "Move to…"', dropHere: 'can be dropped here',
  andMore: (n: number) => `and ${n} more — in the queue`, developer: 'Developer', employee: 'Employee',
  clientCard: 'Client card', contacts: 'Contacts', domains: 'Mail domains', contract: 'Contract', noContract: 'No contract',
  reportsTo: 'receives reports', ticketHistory: 'The company\'s tickets', created: 'Created', language: 'Language',
  terms: { supportType: 'Support type', number: 'Contract number', startDate: 'Start date', portal: 'Portal', portalType: 'Portal type',
    monthlyFee: 'Monthly fee', packageHours: 'Hours in the package', hourlyRate: 'Hourly rate', overRate: 'Over-package rate',
    bonusHours: 'Bonus hours', manager: 'Account manager' },
  unlimited: 'unlimited', thisMonth: 'This month',
  usedOf: (used: number, pkg: number | null) => (pkg === null ? `${used} h used (unlimited package)` : `${used} h used of ${pkg} h`),
  forecast: (h: number) => `Forecast for the month: ${h} h`,
  admin: 'Administration', clients: 'Clients', system: 'System', company: 'Company', newClient: 'New client', create: 'Create',
  save: 'Save', saved: 'Saved', remove: 'Remove', add: 'Add', email: 'E-mail', name: 'Name', receivesReports: 'Receives reports',
  domain: 'Domain', contracts: 'Contracts', newContract: 'New contract', audit: 'Change log', openTickets: 'Open tickets',
  checkFields: 'Check the fields', taken: 'This address or domain belongs to another client already.', adminOnly: 'Administrators only.',
  contractFields: { number: 'Contract number', subject: 'Subject', startDate: 'Start date', endDate: 'End date', supportType: 'Support type',
    portalUrl: 'Portal address', portalType: 'Portal type', monthlyFee: 'Monthly fee', currency: 'Currency', packageHours: 'Hours in the package (empty: unlimited)',
    hourlyRate: 'Hourly rate', overPackageRate: 'Over-package rate', bonusHours: 'Bonus hours', accountManagerId: 'Account manager' },
  health: 'Readiness checks', ok: 'fine', notOk: 'problem', mailboxes: 'Mailboxes', lastMail: 'Last mail',
  receivedToday: 'Last 24 h', notFlagged: 'Not flagged on the server', bitrix24: 'Bitrix24', mode: 'Mode', portalHost: 'Portal', connected: 'Connected',
  yes: 'yes', no: 'no', eventsWaiting: 'Events waiting', oldestWaiting: 'Oldest', lastEvent: 'Last event', queues: 'Queues',
  openQueueBoard: 'Open Bull Board', queueName: 'Queue', modes: { webhook: 'inbound webhook', oauth: 'application (OAuth)', off: 'not connected' },
  jobStates: { waiting: 'waiting', active: 'active', delayed: 'delayed', failed: 'failed', completed: 'completed' },
};

export const lang = ref<Lang>(navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en');
export const t = computed(() => (lang.value === 'ru' ? ru : en));

export function formatDate(iso: string | null): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(lang.value === 'ru' ? 'ru-RU' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));
}

export function formatMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat(lang.value === 'ru' ? 'ru-RU' : 'en-GB', { style: 'currency', currency }).format(amount);
}
