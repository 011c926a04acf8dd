// Every text of the cabinet in Russian and English; the signed-in person's language decides,
// before sign-in the browser's.
import { computed, ref } from 'vue';

export type Lang = 'ru' | 'en';

/** Each text as [Russian, English]; the two dictionaries are read out of it. */
const texts = {
  appTitle: ['Кабинет клиента', 'Client cabinet'],
  signIn: ['Вход', 'Sign in'],
  email: ['Электронная почта', 'E-mail'],
  password: ['Пароль', 'Password'],
  signInButton: ['Войти', 'Sign in'],
  forgot: ['Забыли пароль?', 'Forgot your password?'],
  resetTitle: ['Сброс пароля', 'Reset password'],
  resetButton: ['Прислать ссылку', 'Send me a link'],
  resetSent: ['Если такой адрес есть в кабинете, мы отправили на него ссылку для нового пароля.', 'If this address has a cabinet account, we have sent it a link to set a new password.'],
  setPasswordTitle: ['Задайте пароль', 'Set your password'],
  newPassword: ['Новый пароль (не короче 10 символов)', 'New password (10 characters or more)'],
  savePassword: ['Сохранить и войти', 'Save and sign in'],
  backToSignIn: ['Ко входу', 'Back to sign in'],
  tickets: ['Обращения', 'Tickets'],
  reports: ['Отчёты', 'Reports'],
  contract: ['Договор', 'Contract'],
  account: ['Аккаунт', 'Account'],
  signOut: ['Выйти', 'Sign out'],
  signOutEverywhere: ['Выйти на всех устройствах', 'Sign out everywhere'],
  number: ['Номер', 'Number'],
  subject: ['Тема', 'Subject'],
  status: ['Статус', 'Status'],
  sender: ['Отправитель', 'Sender'],
  opened: ['Открыто', 'Opened'],
  activity: ['Последняя активность', 'Last activity'],
  timeSpent: ['Затрачено', 'Time spent'],
  search: ['Поиск по номеру или словам', 'Search by number or words'],
  from: ['С даты', 'From'],
  to: ['По дату', 'To'],
  allStatuses: ['Все статусы', 'All statuses'],
  allSenders: ['Все отправители', 'All senders'],
  sortBy: ['Сортировка', 'Sort by'],
  ascending: ['По возрастанию', 'Ascending'],
  descending: ['По убыванию', 'Descending'],
  reset: ['Сбросить', 'Reset'],
  nothingFound: ['Обращений не найдено', 'No tickets found'],
  total: ['Всего', 'Total'],
  openTicket: ['Открыть обращение', 'Open ticket'],
  thread: ['Переписка', 'Conversation'],
  history: ['История статусов', 'Status history'],
  attachments: ['Вложения', 'Attachments'],
  client: ['Клиент', 'Client'],
  support: ['Поддержка', 'Support'],
  notStored: ['не сохранено (слишком большое)', 'not stored (too large)'],
  minutes: ['мин', 'min'],
  hours: ['ч', 'h'],
  month: ['Месяц', 'Month'],
  hoursUsed: ['Использовано часов', 'Hours used'],
  overHours: ['Сверх пакета, ч', 'Over package, h'],
  amount: ['Сумма', 'Amount'],
  openPdf: ['Открыть', 'Open'],
  downloadPdf: ['Скачать', 'Download'],
  noReports: ['Опубликованных отчётов пока нет', 'No published reports yet'],
  noContract: ['Действующего договора нет', 'No contract in force'],
  supportType: ['Тип поддержки', 'Support type'],
  contractNumber: ['Номер договора', 'Contract number'],
  startDate: ['Дата начала', 'Start date'],
  portal: ['Обслуживаемый портал', 'Serviced portal'],
  portalType: ['Тип портала', 'Portal type'],
  monthlyFee: ['Абонентская плата в месяц', 'Monthly fee'],
  packageHours: ['Часов в пакете', 'Hours in the package'],
  unlimited: ['без ограничения', 'unlimited'],
  hourlyRate: ['Стоимость часа', 'Hourly rate'],
  overRate: ['Стоимость часа сверх пакета', 'Over-package hourly rate'],
  bonusHours: ['Бонусные часы', 'Bonus hours'],
  manager: ['Персональный менеджер', 'Personal manager'],
  name: ['Имя', 'Name'],
  language: ['Язык', 'Language'],
  save: ['Сохранить', 'Save'],
  saved: ['Сохранено', 'Saved'],
  changePassword: ['Смена пароля', 'Change password'],
  currentPassword: ['Текущий пароль', 'Current password'],
  passwordChanged: ['Пароль изменён; другие входы завершены.', 'Password changed; other sign-ins have ended.'],
  colleagues: ['Коллеги с доступом', 'Colleagues with access'],
  role: ['Роль', 'Role'],
  roles: {
    director: ['Руководитель', 'Director'],
    employee: ['Сотрудник', 'Employee'],
  },
  invited: ['приглашён', 'invited'],
  invite: ['Пригласить', 'Invite'],
  inviteSent: ['Приглашение отправлено.', 'Invitation sent.'],
  reply: ['Ответить', 'Reply'],
  replyText: ['Ваш ответ', 'Your reply'],
  send: ['Отправить', 'Send'],
  files: ['Файлы', 'Files'],
  replySent: ['Ответ отправлен как письмо: он появится в переписке через несколько секунд.', 'Reply sent as a mail: it will appear in the conversation in a few seconds.'],
  newRequest: ['Новое обращение', 'New request'],
  newRequestHint: ['Уйдёт в поддержку как письмо от вас; номер обращения придёт в ответном письме.', 'It goes to support as a mail from you; the ticket number comes in the reply mail.'],
  requestText: ['Опишите вопрос', 'Describe your question'],
  requestSent: ['Обращение отправлено. Номер придёт письмом, обращение появится в списке.', 'Request sent. Its number comes by mail, and it will appear in the list.'],
  mailFormatted: ['Письмо с оформлением', 'Formatted mail'],
  changePlan: ['Изменить тариф', 'Change plan'],
  planText: ['Что вы хотите изменить', 'What would you like to change'],
  planSent: ['Запрос передан вашему менеджеру; подтверждение отправлено вам на почту.', 'Your request is with your manager; a confirmation is in your mail.'],
  thisMonth: ['Этот месяц', 'This month'],
  usedOf: [(used: number, pkg: number | null) => (pkg === null ? `${used} ч` : `${used} ч из ${pkg} ч`),
    (used: number, pkg: number | null) => (pkg === null ? `${used} h` : `${used} h of ${pkg} h`)],
  forecast: [(h: number) => `Прогноз на конец месяца при текущем темпе: ${h} ч`,
    (h: number) => `Forecast for the month's end at the current pace: ${h} h`],
  statuses: {
    new: ['Новое', 'New'],
    assigned: ['Назначено', 'Assigned'],
    in_progress: ['В работе', 'In progress'],
    escalated: ['У разработчика', 'With a developer'],
    awaiting_time: ['Закрыто', 'Closed'],
    resolved: ['Решено', 'Resolved'],
    rejected: ['Отклонено', 'Rejected'],
  },
  errors: {
    'auth.bad_credentials': ['Неверный адрес или пароль.', 'Wrong e-mail or password.'],
    'account.exists': ['У этого адреса уже есть доступ в кабинет.', 'This address already has cabinet access.'],
    'auth.locked': ['Слишком много неудачных попыток. Вход временно заблокирован, попробуйте позже.', 'Too many failed attempts. Sign-in is locked for a while; try again later.'],
    'auth.rate_limited': ['Слишком много попыток входа. Попробуйте позже.', 'Too many sign-in attempts. Try again later.'],
    'auth.link_invalid': ['Ссылка недействительна: она уже использована или устарела. Запросите новую.', 'This link does not work any more: it was used or has expired. Ask for a new one.'],
    'auth.csrf': ['Страница устарела. Обновите её и повторите.', 'This page is out of date. Reload it and try again.'],
    invalid_input: ['Проверьте введённые данные.', 'Please check what you entered.'],
    'mail.unavailable': ['Не удалось отправить письмо. Попробуйте ещё раз через несколько минут.', 'The mail could not be sent. Please try again in a few minutes.'],
    not_found: ['Не найдено.', 'Not found.'],
    internal: ['Что-то пошло не так. Попробуйте ещё раз.', 'Something went wrong. Please try again.'],
  },
} as const;

type Tree = { readonly [key: string]: readonly [unknown, unknown] | Tree };
type Side<T, I extends 0 | 1> = { [K in keyof T]: T[K] extends readonly [unknown, unknown] ? T[K][I] : Side<T[K], I> };

/** One language's side of the text tree. */
function side<T extends Tree, I extends 0 | 1>(tree: T, i: I): Side<T, I> {
  return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, Array.isArray(v) ? v[i] : side(v as Tree, i)])) as Side<T, I>;
}

export const lang = ref<Lang>(navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en');
const dictionaries = { ru: side(texts, 0), en: side(texts, 1) };
export const t = computed(() => dictionaries[lang.value]);

export function errorText(code: string): string {
  return (t.value.errors as Record<string, string>)[code] ?? t.value.errors.internal;
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
