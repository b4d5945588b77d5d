import type { Client } from '@temporalio/client';
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import type { Connection } from 'mongoose';
import type { StoredConfig } from '../db/config-store.ts';
import { leadContactStore, type LeadContact, type LeadContactStore } from '../db/lead-contact-store.ts';
import { leadQuery, type LeadQuery } from '../db/lead-query.ts';
import { leadStore, type LeadStore } from '../db/lead-store.ts';
import { notificationStore, type NotificationStore } from '../db/notification-store.ts';
import { can, type Decision, type Operation, type Principal, type Resource } from '../domain/access/policy.ts';
import type { Actor } from '../domain/lifecycle/actor.ts';
import type { LeadState } from '../domain/lifecycle/lead-state.ts';
import type { PiiCodec } from '../infra/pii.ts';
import type { TenantConfigDocument } from '../schema/tenant-config.ts';
import { apiKeys } from '../services/api-keys.ts';
import type { AuthService } from '../services/auth.ts';
import { configEditor, type ConfigEditor } from '../services/config-editor.ts';
import { createAllocator } from '../services/allocator.ts';
import { leadCommands, type LeadCommands } from '../services/lead-commands.ts';
import { leadHistoryService, type LeadHistoryService } from '../services/lead-history.ts';
import { openOffers, type OpenOffers } from '../services/open-offers.ts';
import { routingSimulator, type RoutingSimulator } from '../services/routing-simulation.ts';
import { tenantConfigs } from '../services/tenant-config.ts';
import { tenantService, type TenantService } from '../services/tenants.ts';
import { userService, type UserService } from '../services/users.ts';
import { loadZipDataset } from '../domain/geo/load-zip-dataset.ts';

/** What the API process is built from. */
export interface ApiDeps {
  mongo: Connection;
  temporal: Client;
  namespace: string;
  taskQueue: string;
  auth: AuthService;
  pii: PiiCodec;
  /** The platform operator's credential (X-Platform-Token): it may create tenants, and nothing inside one. */
  platformToken?: string;
  /** The SMS provider's auth token: inbound messages (a consumer's STOP) are accepted only with its signature. */
  smsAuthToken?: string;
  /** Verifies the claim links in offer alerts (the worker signs them with the same secret). */
  linkSecret?: string;
  /** The clock; tests may fix it. */
  now?: () => number;
  /** How long this process trusts a configuration version or an API key it looked up (FRESHNESS_MS; 0: look every time). */
  freshnessMs?: number;
}

/** Services built once per process and shared by every request. */
export interface ApiServices {
  configs: ConfigEditor;
  users: UserService;
  keys: ReturnType<typeof apiKeys>;
  leads: LeadQuery;
  leadEvents: LeadStore;
  contacts: LeadContactStore;
  /** What people do to a lead: workflow updates and signals, as typed results. */
  commands: LeadCommands;
  /** Agents' open offers, from their in-app inboxes. */
  offers: OpenOffers;
  /** Each person's own alerts, with read state. */
  inbox: NotificationStore;
  history: LeadHistoryService;
  simulate: RoutingSimulator;
  tenants: TenantService;
}

export function createServices(deps: ApiDeps): ApiServices {
  // One parsed-and-compiled configuration cache for everything that routes.
  const ttl = { versionTtlMs: deps.freshnessMs ?? 0 };
  const routingConfigs = tenantConfigs(deps.mongo, ttl);
  return {
    configs: configEditor(deps.mongo, ttl),
    users: userService(deps.mongo, deps.auth),
    keys: apiKeys(deps.mongo),
    leads: leadQuery(deps.mongo),
    leadEvents: leadStore(deps.mongo),
    contacts: leadContactStore(deps.mongo, deps.pii),
    commands: leadCommands({ temporal: deps.temporal, mongo: deps.mongo, configs: routingConfigs }),
    offers: openOffers(deps.mongo),
    inbox: notificationStore(deps.mongo),
    history: leadHistoryService({ temporal: deps.temporal, mongo: deps.mongo, configs: routingConfigs }),
    tenants: tenantService(deps.mongo, { ...(deps.now ? { now: deps.now } : {}) }),
    simulate: routingSimulator({
      allocator: createAllocator({ mongo: deps.mongo, configs: routingConfigs, ...(deps.now ? { now: deps.now } : {}) }),
      zips: loadZipDataset,
      ...(deps.now ? { now: deps.now } : {}),
    }),
  };
}

/** Per-request batching and caching: each lead, contact and configuration is read once per request. */
export interface Loaders {
  lead: DataLoader<string, LeadState | undefined>;
  contact: DataLoader<string, LeadContact | undefined>;
  config: DataLoader<string, StoredConfig<TenantConfigDocument> | undefined>;
}

function createLoaders(services: ApiServices, tenantId: string | undefined): Loaders {
  return {
    // Keys are lead ids inside the caller's tenant: another tenant's lead is simply not found.
    lead: new DataLoader(async (ids) => {
      if (!tenantId) return ids.map(() => undefined);
      const found = await services.leads.byIds(tenantId, ids);
      return ids.map((id) => found.get(id));
    }),
    // Point reads by _id: the one query FerretDB answers without a scan.
    contact: new DataLoader(async (ids) => (tenantId ? Promise.all(ids.map((id) => services.contacts.get(tenantId, id))) : ids.map(() => undefined))),
    config: new DataLoader(async (tenantIds) => Promise.all(tenantIds.map((t) => services.configs.latest(t)))),
  };
}

export interface ApiContext {
  deps: ApiDeps;
  services: ApiServices;
  /** Undefined for an anonymous caller. */
  principal?: Principal;
  /** The request carried the platform operator's credential. */
  platform: boolean;
  /** Why presented credentials were refused, when they were. */
  authProblem?: string;
  loaders: Loaders;
  /** The request's time, one value for the whole request. */
  now: number;
}

export function createContext(deps: ApiDeps, services: ApiServices, principal: Principal | undefined, authProblem?: string, platform = false): ApiContext {
  return {
    deps,
    services,
    platform,
    ...(principal ? { principal } : {}),
    ...(authProblem ? { authProblem } : {}),
    loaders: createLoaders(services, principal?.actor.tenantId),
    now: (deps.now ?? Date.now)(),
  };
}

export const unauthenticated = (message = 'Sign in first: send Authorization: Bearer <token>.') =>
  new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED' } });

export const forbidden = (message: string) => new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });

/** The signed-in principal, or an UNAUTHENTICATED error. */
export function requirePrincipal(ctx: ApiContext): Principal {
  if (!ctx.principal) throw unauthenticated(ctx.authProblem ? `${ctx.authProblem}: sign in again.` : undefined);
  return ctx.principal;
}

/**
 * The one gate every resolver passes: authentication, then the policy. A
 * resource the caller may not see (another tenant's, or a lead not theirs)
 * returns the decision instead of throwing, so the resolver can answer "not
 * found" exactly as for a missing one.
 */
export function authorize(ctx: ApiContext, op: Operation, resource?: Resource): Actor {
  const principal = requirePrincipal(ctx);
  const d = can(principal, op, resource);
  if (!d.allow) throw forbidden(`Not allowed: ${d.reason}.`);
  return principal.actor;
}

/** Like authorize, for a resource that may be hidden: FORBIDDEN throws, NOT_FOUND comes back as false. */
export function mayAccess(ctx: ApiContext, op: Operation, resource: Resource): boolean {
  const principal = requirePrincipal(ctx);
  const d: Decision = can(principal, op, resource);
  if (d.allow) return true;
  if (d.code === 'NOT_FOUND') return false;
  throw forbidden(`Not allowed: ${d.reason}.`);
}
