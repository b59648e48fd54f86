// Starts the portal on a fixed port for a manual look: `npx tsx e2e/portal/serve.ts [port]`.

import { startPortal } from './index.ts';

const port = Number(process.argv[2] ?? process.env.PORTAL_PORT ?? 8443);
const portal = await startPortal({ port });
const tenant = portal.tenant();
const webhook = tenant.addWebhook();
console.log(`Local Bitrix24 portal on https://127.0.0.1:${portal.port}`);
console.log(`Tenant origin: ${tenant.origin} (${tenant.chats().length} chats, user ${tenant.userId})`);
console.log(`Webhook: ${webhook}`);
console.log('Open it in Chromium with:');
console.log(`  chromium --ignore-certificate-errors --host-resolver-rules="MAP *.bitrix24.ru 127.0.0.1:${portal.port}" ${tenant.origin}/online/`);
console.log('Log in with any non-empty login and password. Ctrl+C stops.');
console.log(`curl: curl -k --resolve ${tenant.host}:${portal.port}:127.0.0.1 "https://${tenant.host}:${portal.port}/rest/${webhook.split('/rest/')[1]}im.counters.get.json"`);
process.on('SIGINT', () => void portal.close().then(() => process.exit(0)));
