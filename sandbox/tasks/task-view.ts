import { portalDate, type PortalContext } from '../portal-context.js';
import type { TaskRecord } from '../portal-state.js';
import { fullName } from '../messenger/chats.js';
import { chatMessages } from '../messenger/post-message.js';

/**
 * The task as tasks.task.add/get/update return it: camelCase keys, string values for ids and
 * enums (reference §4). `chatId` is a number, as the only documented example shows it.
 */
export function taskView(ctx: PortalContext, task: TaskRecord, select?: string[]): Record<string, unknown> {
  const d = (ms: number | null) => (ms === null ? null : portalDate(ctx, ms));
  const s = (n: number | null) => (n === null ? null : String(n));
  const comments = chatMessages(ctx, task.chatId).filter((m) => !m.isSystem).length;
  const full: Record<string, unknown> = {
    id: String(task.id), parentId: null, title: task.title, description: task.description, mark: null,
    priority: String(task.priority), multitask: 'N', notViewed: 'N', replicate: 'N', stageId: '0',
    createdBy: String(task.createdBy), createdDate: d(task.createdDate), responsibleId: String(task.responsibleId),
    changedBy: String(task.changedBy), changedDate: d(task.changedDate), statusChangedBy: s(task.statusChangedBy),
    closedBy: s(task.closedBy), closedDate: d(task.closedDate), activityDate: d(task.changedDate), dateStart: null,
    deadline: task.deadline, startDatePlan: null, endDatePlan: null, guid: guidOf(task.id), xmlId: null,
    commentsCount: comments ? String(comments) : null, allowChangeDeadline: 'N', allowTimeTracking: 'N',
    taskControl: 'N', addInReport: 'N', timeEstimate: '0', matchWorkTime: 'N', siteId: 's1', isMuted: 'N',
    isPinned: 'N', descriptionInBbcode: 'Y', status: String(task.status), statusChangedDate: d(task.statusChangedDate),
    durationPlan: null, durationType: 'days', favorite: 'N', groupId: String(task.groupId),
    auditors: task.auditors.map(String), accomplices: task.accomplices.map(String), checklist: [], group: [],
    creator: memberCard(ctx, task.createdBy), responsible: memberCard(ctx, task.responsibleId),
    accomplicesData: cards(ctx, task.accomplices), auditorsData: cards(ctx, task.auditors), newCommentsCount: 0,
    chatId: task.chatId,
  };
  return select ? applySelect(full, task, select) : full;
}

function applySelect(full: Record<string, unknown>, task: TaskRecord, select: string[]): Record<string, unknown> {
  const upper = select.map((f) => f.toUpperCase());
  const out: Record<string, unknown> = {};
  const all = upper.includes('*');
  for (const [key, value] of Object.entries(full)) {
    if (all || key === 'id' || key === 'chatId' || upper.includes(snake(key))) out[key] = value;
  }
  // UF_* appear only when selected (reference §4)
  for (const [key, value] of Object.entries(task.userFields)) {
    if (upper.includes(key) || upper.includes('UF_*')) out[camel(key)] = value;
  }
  return out;
}

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
}

function camel(key: string): string {
  return key.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function memberCard(ctx: PortalContext, userId: number): Record<string, unknown> {
  const user = ctx.state.data.users.get(userId);
  return {
    id: String(userId),
    name: fullName(user),
    link: `/company/personal/user/${userId}/`,
    icon: '/bitrix/images/tasks/default_avatar.png',
    workPosition: user?.workPosition ?? '',
  };
}

function cards(ctx: PortalContext, ids: number[]): Record<string, unknown> | [] {
  return ids.length ? Object.fromEntries(ids.map((id) => [String(id), memberCard(ctx, id)])) : [];
}

function guidOf(id: number): string {
  return `{00000000-0000-4000-8000-${String(id).padStart(12, '0')}}`;
}
