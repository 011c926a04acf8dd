// Every text of the cabinet in Russian and English; the signed-in person's language decides,
// before sign-in the browser's.
import { computed, ref } from 'vue';

export type Lang = 'ru' | 'en';

const ru = {
  appTitle: 'Кабинет клиента',
  signIn: 'Вход', email: 'Электронная почта', password: 'Пароль', signInButton: 'Войти',
  forgot: 'Забыли пароль?', resetTitle: 'Сброс пароля', resetButton: 'Прислать ссылку',
  resetSent: 'Если такой адрес есть в кабинете, мы отправили на него ссылку для нового пароля.',
  setPasswordTitle: 'Задайте пароль', newPassword: 'Новый пароль (не короче 10 символов)', savePassword: 'Сохранить и войти',
  backToSignIn: 'Ко входу',
  tickets: 'Обращения', reports: 'Отчёты', contract: 'Договор', account: 'Аккаунт',
  signOut: 'Выйти', signOutEverywhere: 'Выйти на всех устройствах',
  number: 'Номер', subject: 'Тема', status: 'Статус', sender: 'Отправитель', opened: 'Открыто', activity: 'Последняя активность',
  timeSpent: 'Затрачено', search: 'Поиск по номеру или словам', from: 'С даты', to: 'По дату', allStatuses: 'Все статусы',
  allSenders: 'Все отправители', sortBy: 'Сортировка', ascending: 'По возрастанию', descending: 'По убыванию', reset: 'Сбросить',
  nothingFound: 'Обращений не найдено', total: 'Всего', openTicket: 'Открыть обращение',
  thread: 'Переписка', history: 'История статусов', attachments: 'Вложения', client: 'Клиент', support: 'Поддержка',
  notStored: 'не сохранено (слишком большое)', minutes: 'мин', hours: 'ч',
  month: 'Месяц', hoursUsed: 'Использовано часов', overHours: 'Сверх пакета, ч', amount: 'Сумма', openPdf: 'Открыть', downloadPdf: 'Скачать',
  noReports: 'Опубликованных отчётов пока нет', noContract: 'Действующего договора нет',
  supportType: 'Тип поддержки', contractNumber: 'Номер договора', startDate: 'Дата начала', portal: 'Обслуживаемый портал',
  portalType: 'Тип портала', monthlyFee: 'Абонентская плата в месяц', packageHours: 'Часов в пакете', unlimited: 'без ограничения',
  hourlyRate: 'Стоимость часа', overRate: 'Стоимость часа сверх пакета', bonusHours: 'Бонусные часы', manager: 'Персональный менеджер',
  name: 'Имя', language: 'Язык', save: 'Сохранить', saved: 'Сохранено', changePassword: 'Смена пароля',
  currentPassword: 'Текущий пароль', passwordChanged: 'Пароль изменён; другие входы завершены.', colleagues: 'Коллеги с доступом',
  role: 'Роль', roles: { director: 'Руководитель', employee: 'Сотрудник' }, invited: 'приглашён', invite: 'Пригласить',
  inviteSent: 'Приглашение отправлено.',
  reply: 'Ответить', replyText: 'Ваш ответ', send: 'Отправить', files: 'Файлы',
  replySent: 'Ответ отправлен как письмо: он появится в переписке через несколько секунд.',
  newRequest: 'Новое обращение', newRequestHint: 'Уйдёт в поддержку как письмо от вас; номер обращения придёт в ответном письме.',
  requestText: 'Опишите вопрос', requestSent: 'Обращение отправлено. Номер придёт письмом, обращение появится в списке.',
  mailFormatted: 'Письмо с оформлением',
  changePlan: 'Изменить тариф', planText: 'Что вы хотите изменить', planSent: 'Запрос передан вашему менеджеру; подтверждение отправлено вам на почту.',
  thisMonth: 'Этот месяц', usedOf: (used: number, pkg: number | null) => (pkg === null ? `${used} ч` : `${used} ч из ${pkg} ч`),
  forecast: (h: number) => `Прогноз на конец месяца при текущем темпе: ${h} ч`,
  statuses: { new: 'Новое', assigned: 'Назначено', in_progress: 'В работе', escalated: 'У разработчика', awaiting_time: 'Закрыто', resolved: 'Решено', rejected: 'Отклонено' },
  errors: {
    'auth.bad_credentials': 'Неверный адрес или пароль.',
    'account.exists': 'У этого адреса уже есть доступ в кабинет.',
    'auth.locked': 'Слишком много неудачных попыток. Вход временно заблокирован, попробуйте позже.',
    'auth.rate_limited': 'Слишком много попыток входа. Попробуйте позже.',
    'auth.link_invalid': 'Ссылка недействительна: она уже использована или устарела. Запросите новую.',
    'auth.csrf': 'Страница устарела. Обновите её и повторите.',
    invalid_input: 'Проверьте введённые данные.',
    'mail.unavailable': 'Не удалось отправить письмо. Попробуйте ещё раз через несколько минут.',
    not_found: 'Не найдено.',
    internal: 'Что-то пошло не так. Попробуйте ещё раз.',
  } as Record<string, string>,
};

const en: typeof ru = {
  appTitle: 'Client cabinet',
  signIn: 'Sign in', email: 'E-mail', password: 'Password', signInButton: 'Sign in',
  forgot: 'Forgot your password?', resetTitle: 'Reset password', resetButton: 'Send me a link',
  resetSent: 'If this address has a cabinet account, we have sent it a link to set a new password.',
  setPasswordTitle: 'Set your password', newPassword: 'New password (10 characters or more)', savePassword: 'Save and sign in',
  backToSignIn: 'Back to sign in',
  tickets: 'Tickets', reports: 'Reports', contract: 'Contract', account: 'Account',
  signOut: 'Sign out', signOutEverywhere: 'Sign out everywhere',
  number: 'Number', subject: 'Subject', status: 'Status', sender: 'Sender', opened: 'Opened', activity: 'Last activity',
  timeSpent: 'Time spent', search: 'Search by number or words', from: 'From', to: 'To', allStatuses: 'All statuses',
  allSenders: 'All senders', sortBy: 'Sort by', ascending: 'Ascending', descending: 'Descending', reset: 'Reset',
  nothingFound: 'No tickets found', total: 'Total', openTicket: 'Open ticket',
  thread: 'Conversation', history: 'Status history', attachments: 'Attachments', client: 'Client', support: 'Support',
  notStored: 'not stored (too large)', minutes: 'min', hours: 'h',
  month: 'Month', hoursUsed: 'Hours used', overHours: 'Over package, h', amount: 'Amount', openPdf: 'Open', downloadPdf: 'Download',
  noReports: 'No published reports yet', noContract: 'No contract in force',
  supportType: 'Support type', contractNumber: 'Contract number', startDate: 'Start date', portal: 'Serviced portal',
  portalType: 'Portal type', monthlyFee: 'Monthly fee', packageHours: 'Hours in the package', unlimited: 'unlimited',
  hourlyRate: 'Hourly rate', overRate: 'Over-package hourly rate', bonusHours: 'Bonus hours', manager: 'Personal manager',
  name: 'Name', language: 'Language', save: 'Save', saved: 'Saved', changePassword: 'Change password',
  currentPassword: 'Current password', passwordChanged: 'Password changed; other sign-ins have ended.', colleagues: 'Colleagues with access',
  role: 'Role', roles: { director: 'Director', employee: 'Employee' }, invited: 'invited', invite: 'Invite',
  inviteSent: 'Invitation sent.',
  reply: 'Reply', replyText: 'Your reply', send: 'Send', files: 'Files',
  replySent: 'Reply sent as a mail: it will appear in the conversation in a few seconds.',
  newRequest: 'New request', newRequestHint: 'It goes to support as a mail from you; the ticket number comes in the reply mail.',
  requestText: 'Describe your question', requestSent: 'Request sent. Its number comes by mail, and it will appear in the list.',
  mailFormatted: 'Formatted mail',
  changePlan: 'Change plan', planText: 'What would you like to change', planSent: 'Your request is with your manager; a confirmation is in your mail.',
  thisMonth: 'This month', usedOf: (used: number, pkg: number | null) => (pkg === null ? `${used} h` : `${used} h of ${pkg} h`),
  forecast: (h: number) => `Forecast for the month's end at the current pace: ${h} h`,
  statuses: { new: 'New', assigned: 'Assigned', in_progress: 'In progress', escalated: 'With a developer', awaiting_time: 'Closed', resolved: 'Resolved', rejected: 'Rejected' },
  errors: {
    'auth.bad_credentials': 'Wrong e-mail or password.',
    'account.exists': 'This address already has cabinet access.',
    'auth.locked': 'Too many failed attempts. Sign-in is locked for a while; try again later.',
    'auth.rate_limited': 'Too many sign-in attempts. Try again later.',
    'auth.link_invalid': 'This link does not work any more: it was used or has expired. Ask for a new one.',
    'auth.csrf': 'This page is out of date. Reload it and try again.',
    invalid_input: 'Please check what you entered.',
    'mail.unavailable': 'The mail could not be sent. Please try again in a few minutes.',
    not_found: 'Not found.',
    internal: 'Something went wrong. Please try again.',
  },
};

export const lang = ref<Lang>(navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en');
const dictionaries = { ru, en };
export const t = computed(() => dictionaries[lang.value]);

export function errorText(code: string): string {
  return t.value.errors[code] ?? t.value.errors.internal;
}

export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat(lang.value === 'ru' ? 'ru-RU' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function formatMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat(lang.value === 'ru' ? 'ru-RU' : 'en-GB', { style: 'currency', currency }).format(amount);
}

export function formatMonth(month: string): string {
  return new Intl.DateTimeFormat(lang.value === 'ru' ? 'ru-RU' : 'en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}

export function formatMinutes(m: number | null): string {
  if (m === null) return '—';
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return [h ? `${h} ${t.value.hours}` : '', rest || !h ? `${rest} ${t.value.minutes}` : ''].filter(Boolean).join(' ');
}
