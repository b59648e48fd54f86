// Deterministic starting state of a tenant: who the user is, which chats exist, what is unread.

import { MessengerState, type ChatKind, type PortalChat, type PortalUser } from './model.ts';

export interface SeedOptions {
  userId?: number; // current user, default 1
  dialogs?: number; // unread 1:1 dialogs
  groups?: number; // unread group chats
  workgroups?: number; // unread workgroup (sgN) chats
  crm?: number; // unread CRM entity chats
  tasks?: number; // unread task chats
  lines?: number; // unread open-line chats (the first one or two are not yet taken by an operator)
  readChats?: number; // chats with nothing unread (mixed kinds, no open lines)
  mutedEvery?: number; // every Nth chat (not open lines) is muted; 0 = none
  pinned?: number; // pinned unread chats
  manualUnread?: number; // chats with a manual "unread" mark (read chats first)
  messagesPerChat?: number; // default 5
  notifications?: number; // unread notifications
  rngSeed?: number;
}

/** A realistic messenger: ~250 unread chats of every kind, some muted/pinned/marked, some read. */
export function demoSeed(): SeedOptions {
  return {
    userId: 1,
    dialogs: 70,
    groups: 80,
    workgroups: 25,
    crm: 30,
    tasks: 35,
    lines: 10,
    readChats: 40,
    mutedEvery: 9,
    pinned: 3,
    manualUnread: 4,
    messagesPerChat: 5,
    notifications: 6,
    rngSeed: 20260304,
  };
}

/** `unreadChats` unread chats of mixed kinds (for benchmarks); `opts` overrides any field. */
export function bulkSeed(unreadChats: number, opts: Partial<SeedOptions> = {}): SeedOptions {
  const n = Math.max(0, Math.floor(unreadChats));
  const dialogs = Math.round(n * 0.35);
  const groups = Math.round(n * 0.3);
  const workgroups = Math.round(n * 0.1);
  const crm = Math.round(n * 0.1);
  const tasks = Math.round(n * 0.1);
  const lines = Math.max(0, n - dialogs - groups - workgroups - crm - tasks);
  return {
    userId: 1,
    dialogs,
    groups,
    workgroups,
    crm,
    tasks,
    lines,
    readChats: 10,
    mutedEvery: 10,
    pinned: 2,
    manualUnread: 2,
    messagesPerChat: 3,
    notifications: 3,
    rngSeed: 1,
    ...opts,
  };
}

/** mulberry32 */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST_M = ['Ivan', 'Peter', 'Klaus', 'Sergey', 'Alexey', 'Dmitry', 'John', 'Mark', 'Oleg', 'Pavel', 'Nikolay', 'Andrey'];
const FIRST_F = ['Anna', 'Maria', 'Olga', 'Elena', 'Irina', 'Natalia', 'Svetlana', 'Julia', 'Ekaterina', 'Tatiana'];
const LAST = ['Weber', 'Ivanov', 'Petrov', 'Smirnov', 'Kuznetsov', 'Popov', 'Sokolov', 'Lebedev', 'Kozlov', 'Novikov', 'Morozov', 'Volkov', 'Doe', 'Smith'];
const POSITIONS = ['Manager', 'Developer', 'Designer', 'Accountant', 'Sales', 'Support', 'Tester', 'Lawyer', ''];
export const COLORS = ['#df532d', '#4ba984', '#1eb4aa', '#f76187', '#ab7761', '#58cc47', '#2fc6f6', '#9f3db2', '#e89b06', '#728f7a'];
const TEAMS = ['Marketing', 'Sales team', 'Support', 'Developers', 'Design', 'Office', 'Finance', 'HR news', 'Logistics', 'Board'];
const PROJECTS = ['Website redesign', 'Mobile app', 'Warehouse move', 'Q3 campaign', 'ERP rollout', 'Trade show'];
const TASKS = ['Prepare quarterly report', 'Fix invoice template', 'Call the supplier', 'Update price list', 'Review contract'];
const DEALS = ['Supply contract', 'Annual license', 'Office furniture', 'Consulting', 'Server hardware'];
const PHRASES = [
  'Hi! Do you have a minute?', 'Please check the document', 'Done, see attached', 'Thanks!', 'Meeting at 15:00',
  'Can we move it to tomorrow?', 'I have updated the task', 'Sounds good', 'Who is on duty today?', 'Approved',
  'The client called again', 'Sending the invoice now', 'Let me check', 'Great news, we won the deal', 'See you',
];
const CUSTOMER_PHRASES = ['Hello, I have a question about my order', 'When will it be delivered?', 'Is anyone there?', 'Thank you!'];

interface ChatSpec {
  kind: ChatKind;
  unread: boolean;
}

interface PendingMessage {
  chat: PortalChat;
  authorId: number;
  date: number;
  text: string;
  system: boolean;
  code?: string;
}

/** Builds the messenger described by `seed` with every date before `now`. */
export function buildState(seed: SeedOptions, now: number): MessengerState {
  const rng = makeRng(seed.rngSeed ?? 1);
  const pick = <T>(arr: readonly T[]): T => arr[Math.floor(rng() * arr.length)] as T;
  const me = seed.userId ?? 1;
  const perChat = Math.max(1, Math.floor(seed.messagesPerChat ?? 5));
  const state = new MessengerState(me, 20001 + Math.floor(rng() * 900));

  let nextUserId = 1;
  const newUserId = (): number => {
    nextUserId++;
    if (nextUserId === me) nextUserId++;
    return nextUserId;
  };
  const makeUser = (id: number, connector = false): PortalUser => {
    const female = rng() < 0.45;
    const first = pick(female ? FIRST_F : FIRST_M);
    const last = pick(LAST);
    const u: PortalUser = {
      id,
      firstName: first,
      lastName: female && !['Doe', 'Smith', 'Weber'].includes(last) ? `${last}a` : last,
      workPosition: connector ? '' : pick(POSITIONS),
      color: pick(COLORS),
      gender: female ? 'F' : 'M',
      email: `${first.toLowerCase()}.${id}@example.com`,
      departments: connector ? [] : [1, 2 + Math.floor(rng() * 5)],
      lastActivity: now - Math.floor(rng() * 3600_000),
      connector,
    };
    state.addUser(u);
    return u;
  };
  state.addUser({
    id: me, firstName: 'Alex', lastName: 'Admin', workPosition: 'Administrator', color: '#2fc6f6', gender: 'M',
    email: 'admin@example.com', departments: [1], lastActivity: now, connector: false,
  });
  const colleagues = Array.from({ length: 12 }, () => makeUser(newUserId()).id);

  const kinds: ChatKind[] = ['dialog', 'chat', 'workgroup', 'crm', 'tasks'];
  const specs: ChatSpec[] = [];
  const add = (kind: ChatKind, n: number | undefined, unread: boolean): void => {
    for (let i = 0; i < Math.max(0, Math.floor(n ?? 0)); i++) specs.push({ kind, unread });
  };
  add('dialog', seed.dialogs, true);
  add('chat', seed.groups, true);
  add('workgroup', seed.workgroups, true);
  add('crm', seed.crm, true);
  add('tasks', seed.tasks, true);
  add('lines', seed.lines, true);
  for (let i = 0; i < Math.max(0, Math.floor(seed.readChats ?? 0)); i++) {
    specs.push({ kind: kinds[i % kinds.length] as ChatKind, unread: false });
  }

  let chatId = 1200;
  let workgroupId = 10;
  let dealId = 1600;
  let taskId = 8200;
  let linesSeen = 0;
  const unassignedLines = (seed.lines ?? 0) >= 4 ? 2 : 1;
  const pending: PendingMessage[] = [];
  const unreadCount = new Map<PortalChat, number>();
  const mutedEvery = Math.max(0, Math.floor(seed.mutedEvery ?? 0));
  const titles = new Map<string, number>();
  const numbered = (base: string): string => {
    const n = (titles.get(base) ?? 0) + 1;
    titles.set(base, n);
    return n === 1 ? base : `${base} ${n}`;
  };

  specs.forEach((spec, index) => {
    const id = ++chatId;
    const created = now - 30 * 86400_000 - Math.floor(rng() * 60 * 86400_000);
    const chat: PortalChat = {
      id, kind: spec.kind, title: '', description: '', color: pick(COLORS), ownerId: me,
      members: new Set([me]), peerId: 0, workgroupId: 0, entityId: '', messageIds: [], lastReadId: 0,
      muted: false, pinned: false, manualUnread: false, inRecent: true, dateCreate: created,
    };
    const others: number[] = [];
    switch (spec.kind) {
      case 'dialog': {
        const peer = makeUser(newUserId());
        chat.peerId = peer.id;
        chat.title = `${peer.firstName} ${peer.lastName}`;
        chat.color = peer.color;
        others.push(peer.id);
        break;
      }
      case 'lines': {
        const customer = makeUser(newUserId(), true);
        const unassigned = linesSeen++ < unassignedLines;
        chat.title = `${customer.firstName} ${customer.lastName} - ${pick(['Telegram', 'Live chat', 'WhatsApp'])}`;
        chat.entityId = `telegrambot|${1 + (linesSeen % 2)}|${customer.id}|${id}`;
        chat.ownerId = unassigned ? 0 : me;
        chat.lines = { id: 1 + (linesSeen % 2), status: unassigned ? 0 : 20, dateCreate: now - Math.floor(rng() * 86400_000) - 3600_000, operatorId: unassigned ? 0 : me };
        others.push(customer.id);
        break;
      }
      default: {
        const n = 2 + Math.floor(rng() * 6);
        for (let i = 0; i < n; i++) {
          const c = pick(colleagues);
          if (!others.includes(c)) others.push(c);
        }
        chat.ownerId = rng() < 0.3 ? me : (others[0] as number);
        if (spec.kind === 'chat') chat.title = numbered(pick(TEAMS));
        if (spec.kind === 'workgroup') {
          chat.workgroupId = ++workgroupId;
          chat.entityId = String(chat.workgroupId);
          chat.title = `Workgroup: ${numbered(pick(PROJECTS))}`;
        }
        if (spec.kind === 'crm') {
          chat.entityId = `DEAL|${++dealId}`;
          chat.title = `Deal: ${numbered(pick(DEALS))}`;
        }
        if (spec.kind === 'tasks') {
          chat.entityId = String(++taskId);
          chat.title = `Task: ${numbered(pick(TASKS))}`;
        }
      }
    }
    for (const o of others) chat.members.add(o);
    if (mutedEvery > 0 && spec.kind !== 'lines' && (index + 1) % mutedEvery === 0) chat.muted = true;
    state.addChat(chat);

    const last = now - 60_000 - Math.floor(rng() * 7 * 86400_000);
    const unread = spec.unread ? Math.min(perChat, 1 + Math.floor(rng() * perChat)) : 0;
    unreadCount.set(chat, unread);
    let t = last;
    const dates: number[] = [];
    for (let j = 0; j < perChat; j++) {
      dates.unshift(t);
      t -= 60_000 + Math.floor(rng() * 30 * 60_000);
    }
    dates.forEach((date, j) => {
      const isUnread = j >= perChat - unread;
      const systemFirst = j === 0 && (spec.kind === 'tasks' || spec.kind === 'crm' || spec.kind === 'workgroup');
      // Task and deal chats often end with a system notice (author 0) too.
      const systemLast = j === perChat - 1 && j > 0 && (spec.kind === 'tasks' || spec.kind === 'crm') && rng() < 0.5;
      let authorId = isUnread || rng() < 0.5 ? pick(others) : me;
      if (systemFirst || systemLast) authorId = 0;
      const text = systemFirst
        ? spec.kind === 'tasks' ? `${state.users.get(chat.ownerId)?.firstName ?? 'Someone'} created a task` : `Chat created: ${chat.title}`
        : systemLast
          ? spec.kind === 'tasks' ? 'The task deadline was changed' : 'The deal stage was changed'
          : spec.kind === 'lines' && authorId !== me ? pick(CUSTOMER_PHRASES) : pick(PHRASES);
      const system = systemFirst || systemLast;
      pending.push({ chat, authorId, date, text, system, code: systemFirst ? 'CHAT_JOIN' : undefined });
    });
  });

  // Chats the user is not a member of (im.dialog.messages.get there → ACCESS_ERROR).
  for (let i = 0; i < 2; i++) {
    const id = ++chatId;
    const members = new Set([colleagues[i] as number, colleagues[i + 1] as number]);
    const chat: PortalChat = {
      id, kind: 'chat', title: `Private board ${i + 1}`, description: '', color: pick(COLORS), ownerId: colleagues[i] as number,
      members, peerId: 0, workgroupId: 0, entityId: '', messageIds: [], lastReadId: 0, muted: false, pinned: false,
      manualUnread: false, inRecent: false, dateCreate: now - 90 * 86400_000,
    };
    state.addChat(chat);
    pending.push({ chat, authorId: colleagues[i] as number, date: now - 3600_000 * (i + 2), text: 'Not for everyone', system: false });
  }

  // Portal-wide ids follow time, so interleave all chats' messages by date.
  pending.sort((a, b) => a.date - b.date);
  for (const p of pending) {
    const params = p.code ? new Map<string, unknown>([['CODE', [p.code]], ['NOTIFY', 'N']]) : undefined;
    state.addMessage(p.chat, p.authorId, p.text, p.date, params);
  }
  for (const [chat, unread] of unreadCount) {
    const readCount = chat.messageIds.length - unread;
    chat.lastReadId = readCount > 0 ? (chat.messageIds[readCount - 1] as number) : 0;
  }

  const chats = [...unreadCount.keys()];
  const pinnable = chats.filter((c) => unreadCount.get(c)! > 0 && c.kind !== 'lines');
  const pinCount = Math.min(Math.max(0, seed.pinned ?? 0), pinnable.length);
  for (let i = 0; i < pinCount; i++) {
    const c = pinnable[Math.floor((i * pinnable.length) / pinCount)];
    if (c) c.pinned = true;
  }
  const markable = [
    ...chats.filter((c) => unreadCount.get(c) === 0 && c.kind !== 'lines'),
    ...chats.filter((c) => unreadCount.get(c)! > 0 && c.kind !== 'lines'),
  ];
  for (const c of markable.slice(0, Math.max(0, seed.manualUnread ?? 0))) c.manualUnread = true;

  for (let i = 0; i < Math.max(0, seed.notifications ?? 0); i++) {
    state.notifications.push({ id: 500 + i, date: now - (i + 1) * 600_000, read: false });
  }
  return state;
}
