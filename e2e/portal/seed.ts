// Deterministic starting state of a tenant: who the user is, which chats exist, what is unread.

import { MessengerState, isChannelKind, type ChatKind, type ImBuild, type PortalChat, type PortalUser } from './model.ts';

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
  // --- im 26.x kinds (bitrix24-im-26.md §1); each = that many unread chats, default 0 ---
  channels?: number; // N channels with unread posts (and comment threads, some unread)
  channelsCommentsOnly?: number; // channels whose only unread items are comments (own counter 0)
  openChannels?: number; // J open channels (with comment threads)
  generalChannel?: boolean; // the J GENERAL_CHANNEL (unread)
  generalChat?: boolean; // the O GENERAL chat (unread)
  openChats?: number; // O open chats
  announcements?: number; // C ANNOUNCEMENT
  collabs?: number; // B collabs with outside guests (contains_collaber)
  copilots?: number; // A copilot chats
  tasksTask?: number; // X new task chats (never in im.recent.list)
  videoconfs?: number; // C VIDEOCONF
  calendars?: number; // C CALENDAR
  mails?: number; // C MAIL
  calls?: number; // C CALL
  anchors?: number; // mention/reaction anchors (half on unread messages, half in chats without a counter)
  /** false: every anchor on an unread message (none in chats REST discovery cannot see). Default true. */
  anchorsInReadChats?: boolean;
  personalFolders?: number; // personal folders of 3-6 default-section chats
  build?: ImBuild; // 'Y' (default) | 'Y-May' | 'H'
  /** 'en' (default): English names and titles; 'mixed': a company with Russian and English names (same structure). */
  names?: 'en' | 'mixed';
  copilotAvailable?: boolean; // default true
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

/** Today's portal (im 26.x): demoSeed() plus every new kind, anchors and personal folders. */
export function todaySeed(opts: Partial<SeedOptions> = {}): SeedOptions {
  return {
    ...demoSeed(),
    channels: 6,
    channelsCommentsOnly: 4,
    openChannels: 3,
    generalChannel: true,
    generalChat: true,
    openChats: 3,
    announcements: 2,
    collabs: 5,
    copilots: 3,
    tasksTask: 12,
    videoconfs: 2,
    calendars: 3,
    mails: 1,
    calls: 1,
    anchors: 8,
    personalFolders: 2,
    ...opts,
  };
}

/** `unreadChats` unread chats of today's mixed kinds, incl. 10 % new task chats and 5 % channels with only unread comments. */
export function bulkSeed26(unreadChats: number, opts: Partial<SeedOptions> = {}): SeedOptions {
  const n = Math.max(0, Math.floor(unreadChats));
  const share = (f: number): number => Math.round(n * f);
  const parts = {
    tasksTask: share(0.1), channelsCommentsOnly: share(0.05), channels: share(0.03), collabs: share(0.03), copilots: share(0.02),
    openChannels: share(0.01), announcements: share(0.01), calendars: share(0.01), videoconfs: share(0.01),
    workgroups: share(0.06), crm: share(0.06), tasks: share(0.06), lines: share(0.04), groups: share(0.2),
  };
  const used = Object.values(parts).reduce((a, b) => a + b, 0);
  return {
    ...bulkSeed(0),
    ...parts,
    dialogs: Math.max(0, n - used),
    anchors: share(0.02),
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
/** Titles of the im 26.x kinds: a company with Russian and English speaking teams. */
const NEW_TITLES: Partial<Record<ChatKind, string[]>> = {
  channel: ['Новости компании', 'Company news', 'IT-отдел: объявления', 'Sales digest', 'Продукт: релизы', 'HR: вакансии и события', 'Security notices', 'Маркетинг: кампании'],
  openChannel: ['Открытый канал: идеи', 'Open channel: tech talks', 'Клуб бегунов', 'Book club'],
  generalChannel: ['Общий канал'],
  general: ['Общий чат'],
  open: ['Обед и кофе', 'Open chat: help desk', 'Парковка', 'Board games'],
  announcement: ['Объявления', 'Announcements: office', 'Важно: регламенты'],
  collab: ['Коллаба: ООО «Вектор»', 'Collab: Acme Corp', 'Коллаба: подрядчик по ремонту', 'Collab: Nordic Logistics', 'Коллаба: рекламное агентство'],
  copilot: ['CoPilot', 'CoPilot: письмо клиенту', 'CoPilot: summary of the meeting'],
  tasksTask: ['Подготовить отчёт за квартал', 'Prepare the board deck', 'Обновить прайс-лист', 'Fix the invoice template', 'Согласовать договор с поставщиком', 'Launch the spring campaign', 'Провести инвентаризацию', 'Migrate the mail server', 'Собрать отзывы клиентов', 'Review the NDA', 'Заказать канцтовары', 'Onboard the new designer'],
  videoconf: ['Планёрка по понедельникам', 'Weekly sync'],
  calendar: ['Встреча: Стратегическая сессия', 'Event: Quarterly review', 'Встреча с клиентом «Альфа»'],
  mail: ['Письмо: Re: коммерческое предложение'],
  call: ['Звонок: +7 495 123-45-67'],
};
const POSTS = [
  'Коллеги, с понедельника офис работает с 9:00', 'New release 26.9 is out, see the notes', 'Итоги недели: план выполнен на 104%',
  'Please update your passwords by Friday', 'Приглашаем на корпоратив в пятницу', 'We are hiring: two backend developers',
];
const COMMENTS = ['Отлично!', 'Great news', 'А во сколько начало?', 'Thanks for the update', 'Поддерживаю', 'Will there be a recording?', '👍'];
const COPILOT_ASK = ['Составь письмо клиенту о переносе сроков', 'Summarize the meeting notes', 'Придумай слоган для акции'];
const COPILOT_ANSWER = ['Конечно! Вот черновик письма: …', 'Here is a short summary: …', 'Вот несколько вариантов: …'];
const FOLDER_TITLES = ['Клиенты', 'Important', 'Проект «Альфа»', 'Management', 'Поставщики'];
const CUSTOMER_PHRASES = ['Hello, I have a question about my order', 'When will it be delivered?', 'Is anyone there?', 'Thank you!'];

interface NameLists {
  firstM: string[]; firstF: string[]; last: string[]; keepLast: string[]; positions: string[];
  teams: string[]; projects: string[]; tasks: string[]; deals: string[]; phrases: string[]; customer: string[];
  workgroup: (t: string) => string; deal: (t: string) => string; task: (t: string) => string;
  createdTask: (n: string) => string; chatCreated: (t: string) => string; deadline: string; stage: string;
}

const EN: NameLists = {
  firstM: FIRST_M, firstF: FIRST_F, last: LAST, keepLast: ['Doe', 'Smith', 'Weber'], positions: POSITIONS,
  teams: TEAMS, projects: PROJECTS, tasks: TASKS, deals: DEALS, phrases: PHRASES, customer: CUSTOMER_PHRASES,
  workgroup: (t) => `Workgroup: ${t}`, deal: (t) => `Deal: ${t}`, task: (t) => `Task: ${t}`,
  createdTask: (n) => `${n} created a task`, chatCreated: (t) => `Chat created: ${t}`,
  deadline: 'The task deadline was changed', stage: 'The deal stage was changed',
};

/** The same number of entries as EN where a pick depends on it, so both draw the same random sequence. */
const MIXED: NameLists = {
  firstM: ['Иван', 'Пётр', 'Klaus', 'Сергей', 'Алексей', 'Дмитрий', 'John', 'Mark', 'Олег', 'Павел', 'Николай', 'Андрей'],
  firstF: ['Анна', 'Мария', 'Ольга', 'Елена', 'Ирина', 'Наталья', 'Светлана', 'Julia', 'Екатерина', 'Татьяна'],
  last: ['Weber', 'Иванов', 'Петров', 'Смирнов', 'Кузнецов', 'Попов', 'Соколов', 'Лебедев', 'Козлов', 'Новиков', 'Морозов', 'Волков', 'Doe', 'Smith'],
  keepLast: ['Doe', 'Smith', 'Weber'],
  positions: ['Менеджер', 'Разработчик', 'Designer', 'Бухгалтер', 'Sales', 'Поддержка', 'Тестировщик', 'Юрист', ''],
  teams: ['Маркетинг', 'Отдел продаж', 'Техподдержка', 'Разработка', 'Design team', 'Офис', 'Финансы', 'HR news', 'Логистика', 'Совет директоров'],
  projects: ['Редизайн сайта', 'Mobile app', 'Переезд склада', 'Q3 campaign', 'Внедрение ERP', 'Выставка «Иннопром»'],
  tasks: ['Подготовить квартальный отчёт', 'Fix invoice template', 'Позвонить поставщику', 'Обновить прайс-лист', 'Review contract'],
  deals: ['Договор поставки', 'Annual license', 'Офисная мебель', 'Консалтинг', 'Server hardware'],
  phrases: [
    'Привет! Есть минутка?', 'Посмотри документ, пожалуйста', 'Готово, во вложении', 'Спасибо!', 'Встреча в 15:00',
    'Can we move it to tomorrow?', 'Обновил задачу', 'Sounds good', 'Кто сегодня дежурит?', 'Согласовано',
    'Клиент снова звонил', 'Отправляю счёт', 'Let me check', 'Отличные новости, сделку выиграли', 'До связи',
  ],
  customer: ['Здравствуйте, у меня вопрос по заказу', 'Когда будет доставка?', 'Is anyone there?', 'Спасибо!'],
  workgroup: (t) => t, deal: (t) => `Сделка: ${t}`, task: (t) => `Задача: ${t}`,
  createdTask: (n) => `${n} создал(а) задачу`, chatCreated: (t) => `Создан чат «${t}»`,
  deadline: 'Крайний срок задачи изменён', stage: 'Стадия сделки изменена',
};

/** A surname's female form: Иванов → Иванова, Ivanov → Ivanova. */
function femaleLast(last: string, keep: string[]): string {
  if (keep.includes(last)) return last;
  return /[а-яё]$/i.test(last) ? `${last}а` : `${last}a`;
}

interface ChatSpec {
  kind: ChatKind;
  unread: boolean;
  /** Channels: no unread posts, only unread comments. */
  commentsOnly?: boolean;
}

interface PendingMessage {
  chat: PortalChat;
  authorId: number;
  date: number;
  text: string;
  system: boolean;
  code?: string;
  /** The id it got. */
  id?: number;
  /** Comment threads hanging under this post. */
  threads?: PortalChat[];
}

/** Builds the messenger described by `seed` with every date before `now`. */
export function buildState(seed: SeedOptions, now: number): MessengerState {
  const rng = makeRng(seed.rngSeed ?? 1);
  const pick = <T>(arr: readonly T[]): T => arr[Math.floor(rng() * arr.length)] as T;
  const me = seed.userId ?? 1;
  const perChat = Math.max(1, Math.floor(seed.messagesPerChat ?? 5));
  const state = new MessengerState(me, 20001 + Math.floor(rng() * 900));
  const L = seed.names === 'mixed' ? MIXED : EN;

  let nextUserId = 1;
  const newUserId = (): number => {
    nextUserId++;
    if (nextUserId === me) nextUserId++;
    return nextUserId;
  };
  const makeUser = (id: number, connector = false): PortalUser => {
    const female = rng() < 0.45;
    const first = pick(female ? L.firstF : L.firstM);
    const last = pick(L.last);
    // E-mail in Latin letters: the EN name at the same index.
    const latin = (female ? FIRST_F : FIRST_M)[(female ? L.firstF : L.firstM).indexOf(first)] ?? first;
    const u: PortalUser = {
      id,
      firstName: first,
      lastName: female ? femaleLast(last, L.keepLast) : last,
      workPosition: connector ? '' : pick(L.positions),
      color: pick(COLORS),
      gender: female ? 'F' : 'M',
      email: `${latin.toLowerCase()}.${id}@example.com`,
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
  // im 26.x kinds come after the classic ones, so an old seed builds the same state as before.
  if (seed.generalChat) specs.push({ kind: 'general', unread: true });
  if (seed.generalChannel) specs.push({ kind: 'generalChannel', unread: true });
  add('channel', seed.channels, true);
  for (let i = 0; i < Math.max(0, Math.floor(seed.channelsCommentsOnly ?? 0)); i++) specs.push({ kind: 'channel', unread: false, commentsOnly: true });
  add('openChannel', seed.openChannels, true);
  add('open', seed.openChats, true);
  add('announcement', seed.announcements, true);
  add('collab', seed.collabs, true);
  add('copilot', seed.copilots, true);
  add('tasksTask', seed.tasksTask, true);
  add('videoconf', seed.videoconfs, true);
  add('calendar', seed.calendars, true);
  add('mail', seed.mails, true);
  add('call', seed.calls, true);
  const newKindIndex = new Map<ChatKind, number>();
  let copilotBot = 0;
  let collabGroupId = 300;
  let eventId = 4400;

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
        if (spec.kind === 'chat') chat.title = numbered(pick(L.teams));
        if (spec.kind === 'workgroup') {
          chat.workgroupId = ++workgroupId;
          chat.entityId = String(chat.workgroupId);
          chat.title = L.workgroup(numbered(pick(L.projects)));
        }
        if (spec.kind === 'crm') {
          chat.entityId = `DEAL|${++dealId}`;
          chat.title = L.deal(numbered(pick(L.deals)));
        }
        if (spec.kind === 'tasks') {
          chat.entityId = String(++taskId);
          chat.title = L.task(numbered(pick(L.tasks)));
        }
        if (NEW_TITLES[spec.kind]) {
          const i = newKindIndex.get(spec.kind) ?? 0;
          newKindIndex.set(spec.kind, i + 1);
          const list = NEW_TITLES[spec.kind]!;
          chat.title = list[i % list.length]! + (i >= list.length ? ` ${Math.floor(i / list.length) + 1}` : '');
        }
        switch (spec.kind) {
          case 'general':
          case 'generalChannel':
            for (const c of colleagues) if (!others.includes(c)) others.push(c);
            chat.ownerId = colleagues[0] as number;
            break;
          case 'channel':
          case 'openChannel':
          case 'announcement':
            if (chat.ownerId === me) chat.ownerId = others[0] as number;
            break;
          case 'collab': {
            chat.entityId = String(++collabGroupId);
            chat.containsCollaber = true;
            const guest = makeUser(newUserId());
            guest.collaber = true;
            guest.workPosition = 'Guest';
            others.push(guest.id);
            break;
          }
          case 'copilot':
            if (copilotBot === 0) {
              copilotBot = newUserId();
              state.addUser({
                id: copilotBot, firstName: 'CoPilot', lastName: '', workPosition: 'AI assistant', color: '#8d52ec', gender: 'M',
                email: `copilot.${copilotBot}@example.com`, departments: [], lastActivity: now, connector: false,
              });
            }
            others.length = 0;
            others.push(copilotBot);
            chat.ownerId = me;
            break;
          case 'tasksTask':
            chat.entityId = String(++taskId);
            break;
          case 'calendar':
          case 'mail':
          case 'call':
            chat.entityId = String(++eventId);
            break;
          case 'videoconf':
            chat.publicCode = `vc${(chat.id * 7919).toString(36)}`;
            break;
          default:
        }
      }
    }
    for (const o of others) chat.members.add(o);
    if (mutedEvery > 0 && spec.kind !== 'lines' && (index + 1) % mutedEvery === 0) chat.muted = true;
    state.addChat(chat);

    const last = now - 60_000 - Math.floor(rng() * 7 * 86400_000);
    const unread = spec.unread ? Math.min(perChat, 1 + Math.floor(rng() * perChat)) : 0;
    unreadCount.set(chat, unread);
    if (NEW_TITLES[spec.kind]) {
      newKindMessages(spec, chat, others, last, unread);
      return;
    }
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
        ? spec.kind === 'tasks' ? L.createdTask(state.users.get(chat.ownerId)?.firstName ?? 'Someone') : L.chatCreated(chat.title)
        : systemLast
          ? spec.kind === 'tasks' ? L.deadline : L.stage
          : spec.kind === 'lines' && authorId !== me ? pick(L.customer) : pick(L.phrases);
      const system = systemFirst || systemLast;
      pending.push({ chat, authorId, date, text, system, code: systemFirst ? 'CHAT_JOIN' : undefined });
    });
  });

  /** Messages of the im 26.x kinds (and the comment threads of channels). */
  function newKindMessages(spec: ChatSpec, chat: PortalChat, others: number[], last: number, unread: number): void {
    const channel = isChannelKind(spec.kind) || spec.kind === 'announcement';
    let t = last;
    const dates: number[] = [];
    for (let j = 0; j < perChat; j++) {
      dates.unshift(t);
      t -= 60_000 + Math.floor(rng() * 30 * 60_000);
    }
    const posts: PendingMessage[] = [];
    dates.forEach((date, j) => {
      const isUnread = j >= perChat - unread;
      let authorId: number;
      let text: string;
      let system = false;
      let code: string | undefined;
      if (j === 0 && (spec.kind === 'tasksTask' || spec.kind === 'collab' || spec.kind === 'calendar' || spec.kind === 'videoconf')) {
        authorId = 0;
        system = true;
        code = 'CHAT_JOIN';
        text = spec.kind === 'tasksTask' ? L.createdTask(state.users.get(others[0] ?? 0)?.firstName ?? 'Someone') : L.chatCreated(chat.title);
      } else if (channel) {
        authorId = chat.ownerId === me && !isUnread ? me : chat.ownerId === me ? (others[0] as number) : chat.ownerId;
        text = pick(POSTS);
      } else if (spec.kind === 'copilot') {
        authorId = isUnread || j % 2 === 1 ? (others[0] as number) : me;
        text = authorId === me ? pick(COPILOT_ASK) : pick(COPILOT_ANSWER);
      } else {
        authorId = isUnread || rng() < 0.5 ? pick(others) : me;
        text = pick(L.phrases);
      }
      const entry: PendingMessage = { chat, authorId, date, text, system, code };
      pending.push(entry);
      if (channel && spec.kind !== 'announcement') posts.push(entry);
    });
    if (posts.length === 0) return;
    // Comment threads under one to three posts; a comments-only channel has at least one unread thread.
    const threadCount = Math.min(posts.length, 1 + Math.floor(rng() * 3));
    for (let k = 0; k < threadCount; k++) {
      const post = posts[posts.length - 1 - k]!;
      const thread: PortalChat = {
        id: ++chatId, kind: 'comment', title: chat.title, description: '', color: chat.color, ownerId: chat.ownerId,
        members: new Set([me]), peerId: 0, workgroupId: 0, entityId: '', messageIds: [], lastReadId: 0,
        muted: chat.muted, pinned: false, manualUnread: false, inRecent: false, dateCreate: post.date,
        parentChatId: chat.id, parentMessageId: 0,
      };
      const commenters = others.filter((o) => o !== chat.ownerId).slice(0, 3);
      if (commenters.length === 0) commenters.push(others[0] as number);
      for (const c of commenters) thread.members.add(c);
      state.addChat(thread);
      (post.threads ??= []).push(thread);
      const n = 1 + Math.floor(rng() * 4);
      const threadUnread = spec.commentsOnly && k === 0 ? Math.max(1, Math.min(n, 1 + Math.floor(rng() * n))) : rng() < 0.5 ? Math.floor(rng() * (n + 1)) : 0;
      // Comments follow the post in time, each after the previous one (ids follow time, so the unread
      // ones are the newest), and stay in the past.
      const step = Math.max(1, Math.min(600_000, Math.floor((now - 60_000 - post.date) / (n + 1))));
      let at = post.date;
      for (let c = 0; c < n; c++) {
        const isUnread = c >= n - threadUnread;
        at += 1 + Math.floor(step * (0.5 + rng() * 0.5));
        pending.push({
          chat: thread,
          authorId: isUnread || rng() < 0.6 ? pick(commenters) : me,
          date: at,
          text: pick(COMMENTS),
          system: false,
        });
      }
      unreadCount.set(thread, threadUnread);
    }
  }

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
    p.id = state.addMessage(p.chat, p.authorId, p.text, p.date, params).id;
  }
  for (const p of pending) for (const thread of p.threads ?? []) thread.parentMessageId = p.id ?? 0;
  for (const [chat, unread] of unreadCount) {
    const readCount = chat.messageIds.length - unread;
    chat.lastReadId = readCount > 0 ? (chat.messageIds[readCount - 1] as number) : 0;
  }

  const chats = [...unreadCount.keys()].filter((c) => c.kind !== 'comment');
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

  // Mentions and reactions: half on unread messages of others, half on messages of chats with no counter.
  const anchorCount = Math.max(0, Math.floor(seed.anchors ?? 0));
  if (anchorCount > 0) {
    const group = (c: PortalChat): boolean => c.kind !== 'dialog' && c.kind !== 'lines' && c.kind !== 'copilot' && c.messageIds.length > 0;
    const unreadChats = [...unreadCount.keys()].filter((c) => group(c) && state.counter(c) > 0);
    const readChats = [...unreadCount.keys()].filter((c) => group(c) && state.counter(c) === 0 && c.kind !== 'comment');
    for (let i = 0; i < anchorCount; i++) {
      const fromUnread = i % 2 === 0 || readChats.length === 0 || seed.anchorsInReadChats === false;
      const pool = fromUnread ? unreadChats : readChats;
      if (pool.length === 0) break;
      const c = pool[(Math.floor(i / 2) * 7919 + (i % 2)) % pool.length]!;
      const msgId = fromUnread ? state.firstUnreadId(c) : c.messageIds[c.messageIds.length - 1]!;
      const author = state.messages.get(msgId)?.authorId ?? 0;
      const type = fromUnread ? 'MENTION' : 'REACTION';
      if (state.anchors.some((a) => a.messageId === msgId)) continue;
      const from = type === 'MENTION' ? author : ([...c.members].find((m) => m !== me) ?? 0);
      state.anchors.push({ chatId: c.id, messageId: msgId, type, subType: type === 'MENTION' ? 'USER' : 'like', fromUserId: from });
    }
  }

  // Personal folders: 3-6 top-level chats of the default section each.
  const folderCount = Math.max(0, Math.floor(seed.personalFolders ?? 0));
  const foldable = state.recentChats().filter((c) => state.sectionsOf(c).includes('default'));
  for (let i = 0; i < folderCount && foldable.length > 0; i++) {
    const size = 3 + (i % 4);
    const chatIds: number[] = [];
    for (let k = 0; k < size; k++) {
      const c = foldable[(i * 11 + k * 5) % foldable.length]!;
      if (!chatIds.includes(c.id)) chatIds.push(c.id);
    }
    state.folders.push({ id: 101 + i, title: FOLDER_TITLES[i % FOLDER_TITLES.length]!, sort: 1000 + i * 100, chatIds });
  }
  state.build = seed.build ?? 'Y';
  state.copilotAvailable = seed.copilotAvailable ?? true;
  return state;
}
