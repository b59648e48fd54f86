// The local Bitrix24 portal for e2e tests and benchmarks (see README.md).

export { startPortal, DEFAULT_HOST, type PortalServer, type PortalServerOptions } from './server.ts';
export { demoSeed, bulkSeed, todaySeed, bulkSeed26, type SeedOptions } from './seed.ts';
export { Tenant, SESSION_COOKIE, type RequestLogEntry, type Latency, type WebhookOptions, type PageOptions, type CallRecord } from './tenant.ts';
export type { ChatView, ChatKind, ReadCall, ReadEvent, Receipt, ReadOp, ReadOpKind, AnchorView, AnchorType, ImBuild } from './model.ts';
export { KIND_INFO } from './model.ts';
export { V2_METHODS } from './im-v2-methods.ts';
export type { FaultControls, FaultKind, FaultSpec } from './faults.ts';
export type { Plan } from './limits.ts';
export { createPortalFetch, type PortalFetch } from './client.ts';
