import { sampleRoles, startSandbox, type Sandbox } from '../../sandbox/index.js';
import { demoStaff, seedDemoData } from '../../main/demo-seed.js';
import { loadMonthInput } from '../../reports/load-month-input.js';
import type { Db } from '../../tickets/store/db.js';
import { openTestDb } from '../reports/factories.js';

let sandbox: Sandbox;
let db: Db;
beforeAll(async () => {
  sandbox = await startSandbox({ rateLimit: false });
  db = await openTestDb('postgres');
});
afterAll(async () => {
  await db.close();
  await sandbox.close();
});

test('the demo\'s contracts name the portal\'s account manager as personal manager, never the dispatcher', async () => {
  expect(await seedDemoData(db, demoStaff(sandbox))).toBe(true);
  const users = sandbox.portal.state.data.users;
  const manager = users.get(sampleRoles.accountManager)!;
  const dispatcher = users.get(sampleRoles.dispatcher)!;
  expect(manager.workPosition).toBe('Аккаунт-менеджер');
  expect(manager.departments).toEqual([sampleRoles.departments.accountManagement]);

  const clients = await db.query<{ id: number }>('select id from clients order by id');
  expect(clients).toHaveLength(2);
  for (const { id } of clients) {
    const { contract } = await loadMonthInput(db, id, '2026-11');
    expect(contract?.accountManager).toEqual({ name: `${manager.name} ${manager.lastName}`, email: manager.email });
    expect(contract?.accountManager?.name).not.toBe(`${dispatcher.name} ${dispatcher.lastName}`);
  }
  // The manager's row is the portal user's, so the directory sync keeps it and alerts reach that person.
  const [row] = await db.query<{ b24_user_id: string }>(
    'select e.b24_user_id from contracts k join employees e on e.id = k.account_manager_id group by e.b24_user_id');
  expect(row.b24_user_id).toBe(String(sampleRoles.accountManager));
});
