import { touch, type PortalContext } from './portal-context.js';
import { nextId, type DepartmentRecord, type UserRecord } from './portal-state.js';

type SeedUser = [name: string, lastName: string, email: string, position: string, gender: 'M' | 'F', dept: number, extra?: Partial<UserRecord>];

// Root, then the support lines, developers and account management.
const departments: Array<[name: string, parent: number | null, head: number | null]> = [
  ['Modest Service', null, 1],
  ['1st line', 1, 2],
  ['2nd line', 1, 5],
  ['Developers', 1, 7],
  ['Account management', 1, 9],
];

const users: SeedUser[] = [
  ['Алексей', 'Смирнов', 'a.smirnov@modest.example', 'Директор', 'M', 1, { isAdmin: true }],
  ['Ольга', 'Кузнецова', 'o.kuznetsova@modest.example', 'Диспетчер', 'F', 2],
  ['Дмитрий', 'Волков', 'd.volkov@modest.example', 'Специалист поддержки', 'M', 2],
  ['Anna', 'Taylor', 'a.taylor@modest.example', 'Support specialist', 'F', 2],
  ['Сергей', 'Морозов', 's.morozov@modest.example', 'Ведущий специалист', 'M', 3],
  ['John', 'Miller', 'j.miller@modest.example', 'Senior support engineer', 'M', 3],
  ['Павел', 'Соколов', 'p.sokolov@modest.example', 'Ведущий разработчик', 'M', 4],
  ['Emily', 'Clark', 'e.clark@modest.example', 'Developer', 'F', 4],
  ['Мария', 'Лебедева', 'm.lebedeva@modest.example', 'Аккаунт-менеджер', 'F', 5],
  ['Николай', 'Орлов', 'n.orlov@modest.example', 'Специалист поддержки (уволен)', 'M', 2, { active: false }],
];

const colors = ['#df532d', '#64a513', '#4ba984', '#4ba5c3', '#3e99ce', '#8474c8', '#1eb4aa', '#f76187', '#58cc47', '#ab7761'];

/** Who is who in the seeded portal, for tests and the demo. */
export const sampleRoles = {
  admin: 1, dispatcher: 2, specialists: [3, 4], secondLine: [5, 6], developers: [7, 8], accountManager: 9, inactive: 10,
  departments: { root: 1, firstLine: 2, secondLine: 3, developers: 4, accountManagement: 5 },
} as const;

/** Loads the sample staff: a dispatcher, specialists of two lines, developers, with Russian and English names. */
export function seedSampleData(ctx: PortalContext): void {
  const data = ctx.state.data;
  for (const [name, parent, head] of departments) {
    const d: DepartmentRecord = { id: nextId(data, 'department'), name, sort: 500, parent, head };
    data.departments.set(d.id, d);
  }
  for (const [name, lastName, email, workPosition, gender, dept, extra] of users) {
    const id = nextId(data, 'user');
    data.users.set(id, {
      id, active: true, name, lastName, email, workPosition, gender, departments: [dept], isAdmin: false,
      isBot: false, userType: 'employee', color: colors[id % colors.length], dateRegister: ctx.now(), ...extra,
    });
  }
  touch(ctx);
}

/** A webhook's user must exist even in an unseeded portal. */
export function ensureUser(ctx: PortalContext, id: number): void {
  const data = ctx.state.data;
  if (data.users.has(id)) return;
  data.users.set(id, {
    id, active: true, name: 'Webhook', lastName: `user ${id}`, email: '', workPosition: '', gender: '', departments: [],
    isAdmin: id === 1, isBot: false, userType: 'employee', color: '#556574', dateRegister: ctx.now(),
  });
  data.seq.user = Math.max(data.seq.user, id);
  touch(ctx);
}

export interface NewUser {
  name: string;
  lastName?: string;
  email?: string;
  workPosition?: string;
  gender?: 'M' | 'F' | '';
  departments?: number[];
  active?: boolean;
  isAdmin?: boolean;
}

export function addUser(ctx: PortalContext, u: NewUser): number {
  const data = ctx.state.data;
  const id = nextId(data, 'user');
  data.users.set(id, {
    id, active: u.active ?? true, name: u.name, lastName: u.lastName ?? '', email: u.email ?? '',
    workPosition: u.workPosition ?? '', gender: u.gender ?? '', departments: u.departments ?? [], isAdmin: u.isAdmin ?? false,
    isBot: false, userType: 'employee', color: colors[id % colors.length], dateRegister: ctx.now(),
  });
  touch(ctx);
  return id;
}

export function addDepartment(ctx: PortalContext, d: { name: string; parent?: number | null; head?: number | null }): number {
  const data = ctx.state.data;
  const id = nextId(data, 'department');
  data.departments.set(id, { id, name: d.name, sort: 500, parent: d.parent ?? 1, head: d.head ?? null });
  touch(ctx);
  return id;
}
