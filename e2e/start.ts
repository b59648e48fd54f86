// `npm start`: the local demo portal with a realistic workload of unread chats, and Chromium with
// the built extension on it (headed when there is a display; otherwise it prints what to open).
import { startPortal, demoSeed } from './portal/index.ts';
import { launchWithExtension, DIST, QUIET_FLAGS, logIn } from './browser.ts';

const args = new Set(process.argv.slice(2));
const port = Number(process.env.PORTAL_PORT ?? 8443);
const host = process.env.PORTAL_HOST ?? 'demo.bitrix24.ru';

const portal = await startPortal({ port, seed: demoSeed(), latency: { baseMs: 40, perCallMs: 3 } });
const tenant = portal.tenant(host);
const unread = tenant.chats().filter((chat) => chat.counter > 0 || chat.manualUnread).length;
console.log(`Local Bitrix24 portal: ${tenant.origin} -> 127.0.0.1:${portal.port} (${unread} unread chats)`);
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
