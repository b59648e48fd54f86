// `npm start`: the local demo portal with a realistic workload of unread chats, and Chromium with
// the built extension on it (headed when there is a display; otherwise it prints what to open).
import { startPortal, todaySeed } from './portal/index.ts';
import { launchWithExtension, DIST, QUIET_FLAGS, logIn } from './browser.ts';

const args = new Set(process.argv.slice(2));
const port = Number(process.env.PORTAL_PORT ?? 8443);
const host = process.env.PORTAL_HOST ?? 'demo.bitrix24.ru';

// Today's Bitrix24 (im 26.x): every chat kind with Russian and English names, folders, task chats,
// channels with comments, mentions; the 26.x page ("--markup=v2" or "--markup=legacy" for the older ones).
const markupArg = [...args].find((a) => a.startsWith('--markup='))?.slice('--markup='.length);
const markup = markupArg === 'v2' || markupArg === 'legacy' ? markupArg : 'v2-26';
const portal = await startPortal({ port, seed: todaySeed({ names: 'mixed' }), latency: { baseMs: 40, perCallMs: 3 } });
const tenant = portal.tenant(host);
tenant.setPageOptions({ markup });
const unread = tenant.chats().filter((chat) => chat.counter > 0 || chat.manualUnread).length;
const kinds = new Map<string, number>();
for (const chat of tenant.chats()) if (chat.counter > 0 || chat.manualUnread) kinds.set(chat.kind, (kinds.get(chat.kind) ?? 0) + 1);
console.log(`Local Bitrix24 portal: ${tenant.origin} -> 127.0.0.1:${portal.port} (${unread} unread chats, page markup ${markup})`);
console.log(`Unread by kind: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`);
const folder = tenant.folders().find((f) => f.type === 'personal');
const task = tenant.chats().find((chat) => chat.kind === 'tasksTask');
if (markup === 'v2-26') {
  console.log(`Folders: ${tenant.origin}/online/?IM_FOLDER=${folder?.id ?? 101} (personal), ?IM_FOLDER=2 (tasks); a task chat: ?IM_DIALOG=${task?.dialogId ?? ''}`);
}
console.log('Log in with any user name and password on its login page.');

const display = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
if (!args.has('--no-browser') && display) {
  const context = await launchWithExtension({ portalPort: portal.port, headless: false });
  await logIn(context, tenant);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${tenant.origin}/online/`);
  console.log('Chromium is open with the extension. Close it (or press Ctrl+C) to stop.');
  context.on('close', () => void portal.close().then(() => process.exit(0)));
} else {
  console.log('\nNo display here, so no browser was opened. To use the extension against this portal, run:');
  console.log(
    `  chromium ${QUIET_FLAGS.join(' ')} --ignore-certificate-errors \\\n` +
      `    --host-resolver-rules="MAP *.bitrix24.ru 127.0.0.1:${portal.port}" \\\n` +
      `    --load-extension=${DIST} ${tenant.origin}/online/`,
  );
  console.log('\n(or run "xvfb-run npm start" for a virtual display). Ctrl+C stops the portal.');
}

process.on('SIGINT', () => void portal.close().then(() => process.exit(0)));
