// Composition root: reads nothing itself; builds adapters from typed config and starts channels, workers and HTTP.
import { readFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './config/config-schema.ts';
import {
  createAuthenticator,
  type Authenticator,
  type CreatedUser,
} from './governance/auth/authenticator.ts';
import { guardedAudit } from './governance/audit/guarded-audit.ts';
import { registerCcdaUploadRoute } from './inbound/files/ccda-upload-route.ts';
import { openSqliteFhirStore } from './inbound/fhir/sqlite-fhir-store.ts';
import { SubscriptionReceiver } from './inbound/fhir/subscription-receiver.ts';
import { registerSubscriptionRoutes } from './inbound/fhir/subscription-routes.ts';
import { startDropFolder } from './inbound/files/drop-folder.ts';
import { startCheckpointer } from './governance/audit/checkpoints.ts';
import { ensureDemoAccount } from './governance/auth/demo-account.ts';
import { createConsentRegistry, type ConsentRegistry } from './governance/consent/consent-registry.ts';
import { createBearerVerifier } from './governance/auth/jwt-verifier.ts';
import { encryptedStore } from './governance/crypto/encrypted-store.ts';
import { ephemeralKeyring, loadKeyring, refreshKeyring, type Keyring } from './governance/crypto/keyring.ts';
import type { GovernanceStore } from './governance/governance-store.ts';
import { openPostgresGovernanceStore } from './governance/store/postgres/postgres-governance-store.ts';
import { openSqliteGovernanceStore } from './governance/store/sqlite/sqlite-governance-store.ts';
import { startMllpServer, type MllpServer } from './inbound/mllp/mllp-server.ts';
import { systemClock, type Clock } from './kernel/clock.ts';
import { ErrorCode, RxBridgeError } from './kernel/errors.ts';
import { newId } from './kernel/ids.ts';
import { registerMessageRoutes } from './pipeline/message-routes.ts';
import { startPipelineWorker, type PipelineWorker } from './pipeline/pipeline-worker.ts';
import { createMessageProcessor } from './pipeline/process-message.ts';
import { keyringSealer } from './governance/crypto/text-sealer.ts';
import { openPostgresRolloutStore } from './review/rollout/postgres/postgres-rollout-store.ts';
import { createRolloutGate } from './review/rollout/rollout-gate.ts';
import { createRolloutMetrics } from './review/rollout/rollout-metrics.ts';
import {
  certificatesFrom,
  guardrailsFrom,
  monitorTimingFrom,
  notifiersFrom,
} from './review/rollout/rollout-config.ts';
import { startRolloutMonitor } from './review/rollout/rollout-monitor.ts';
import { registerRolloutRoutes } from './review/rollout/rollout-routes.ts';
import type { RolloutStore } from './review/rollout/rollout-store.ts';
import { openSqliteRolloutStore } from './review/rollout/sqlite/sqlite-rollout-store.ts';
import type { EventBus } from './platform/bus/event-bus.ts';
import { createLocalBus } from './platform/bus/local/local-bus.ts';
import { openNatsBus } from './platform/bus/nats/nats-bus.ts';
import { registerGovernanceRoutes } from './platform/http/governance-routes.ts';
import { createHttpServer, registeredRoutes, type RegisteredRoute } from './platform/http/http-server.ts';
import type { Logger } from './platform/log/logger.ts';
import { createMetrics, type EngineMetrics } from './platform/metrics/metrics.ts';
import { createEmbeddedPharmacy } from './platform/pharmacy/embedded/embedded-pharmacy.ts';
import { demoPharmacyAsOf } from './platform/pharmacy/embedded/demo-dates.ts';
import { DEMO_PHARMACY } from './platform/pharmacy/embedded/demo-pharmacy.ts';
import type { PharmacySystem } from './platform/pharmacy/pharmacy-system.ts';
import { MESSAGE_STATES } from './platform/store/message-state.ts';
import type { RetryPolicy } from './platform/store/message-store.ts';
import { openPostgresStore } from './platform/store/postgres/postgres-store.ts';
import { openSqliteStore } from './platform/store/sqlite/sqlite-store.ts';
import { runRetention } from './platform/store/retention.ts';
import type { Store } from './platform/store/store.ts';
import { createWritablePharmacy, type WritablePharmacy } from './outbound/pharmacy/writable-pharmacy.ts';
import { openWriteJournal } from './outbound/pharmacy/write-journal.ts';
import { createWorkspace, type WorkspaceOptions } from './outbound/workspace.ts';
import { createCareGapEngine, type CareGapEngine } from './checks/care-gaps/care-gaps.ts';
import { registerCdsHooksRoutes } from './checks/cds-hooks/cds-hooks-routes.ts';
import { connectEhr } from './platform/ehr/fhir/from-config.ts';
import { workspaceOptionsFromConfig } from './outbound/outbound-config.ts';
import type { EhrFlows } from './pipeline/ehr-flows.ts';
import { ehrFlowsFrom, startEhrSync } from './pipeline/ehr-wiring.ts';
import { registerJwksRoute } from './platform/ehr/jwks-route.ts';
import { createLoadedTerminology } from './terminology/loaded/loaded-terminology.ts';
import { createStarterTerminology } from './terminology/starter-terminology.ts';
import type { Terminology } from './terminology/terminology.ts';

/** The event that wakes workers when a message has been stored or replayed. */
export const MESSAGE_STORED_TOPIC = 'message.stored';

export const WEB_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'web', 'static');
/** The built web app (`npm run build:web`), else the minimal static page. */
export const WEB_APP_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'web');
export function webRoot(): string {
  return existsSync(resolve(WEB_APP_ROOT, 'index.html')) ? WEB_APP_ROOT : WEB_ROOT;
}

export interface EngineOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** Overrides the pharmacy system (tests); otherwise the embedded one, with demo data when config.demo. */
  pharmacy?: PharmacySystem;
  /** Run the pipeline workers in this process (default true). */
  workers?: boolean;
  /** Start the MLLP listeners and HTTP server (default true). */
  listeners?: boolean;
  /** The web app's folder (default: dist/web when built, else web/static). */
  webRoot?: string;
  /** Workspace outbound: extra pharmacy writers, the EHR client, consent, routing policy. */
  workspace?: WorkspaceOptions;
}

export interface Engine {
  readonly store: Store;
  /** Keys, accounts and sign-in (issue #9). */
  readonly security: Security;
  /** Demo mode, first start only: the demo pharmacist's credentials, for the terminal (never the log). */
  readonly demoCredentials?: CreatedUser;
  readonly bus: EventBus;
  readonly metrics: EngineMetrics;
  readonly httpUrl: string | undefined;
  /** Every HTTP route with its declared policy (the security suite enumerates them). */
  readonly httpRoutes: readonly RegisteredRoute[];
  readonly mllp: ReadonlyArray<{ name: string; host: string; port: number }>;
  readonly worker: PipelineWorker | undefined;
  /** The pharmacy with approved write-backs applied (the workspace writes through it). */
  readonly pharmacy: WritablePharmacy;
  /** The EHR flows (#7) when an EHR endpoint is configured: link, reconcile, check, sync. */
  readonly ehr: EhrFlows | undefined;
  stop(): Promise<void>;
}

export function retryPolicyOf(config: Config): RetryPolicy {
  return {
    maxAttempts: config.worker.maxAttempts,
    baseDelayMs: config.worker.retryBaseMs,
    maxDelayMs: config.worker.retryMaxMs,
  };
}

export interface Security {
  keyring: Keyring;
  governance: GovernanceStore;
  auth: Authenticator;
  consent: ConsentRegistry;
}

/**
 * The master keys: RXBRIDGE_KEYS or RXBRIDGE_KEY_FILE; otherwise a key file created next to the SQLite database
 * (embedded mode; see docs/security.md), or a fresh in-memory key for an in-memory store.
 */
export function keyringFor(config: Config, env: NodeJS.ProcessEnv = process.env): Keyring {
  const path = config.store.startsWith('sqlite:') ? config.store.slice('sqlite:'.length) : undefined;
  if (path === ':memory:' && !env['RXBRIDGE_KEYS'] && !env['RXBRIDGE_KEY_FILE']) return ephemeralKeyring();
  const defaultKeyFile =
    path !== undefined ? join(dirname(resolve(path)), 'rxbridge.keys') : resolve('./data/rxbridge.keys');
  return loadKeyring({ env, defaultKeyFile }).keyring;
}

/** Rollout modes, runs, decisions and alerts (issue #11): own tables beside the engine's, same database. */
export async function openRolloutStore(
  config: Config,
  keyring: Keyring = keyringFor(config),
): Promise<RolloutStore> {
  const sealer = keyringSealer(keyring);
  if (config.store.startsWith('sqlite:')) {
    const path = config.store.slice('sqlite:'.length);
    return openSqliteRolloutStore(path === ':memory:' ? path : resolve(path), sealer);
  }
  return openPostgresRolloutStore({ url: config.store, schema: config.scaled.postgresSchema, sealer });
}

/** The key file keyringFor reads (none when the keys come from RXBRIDGE_KEYS or the store is in memory). */
export function keyFileFor(config: Config, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env['RXBRIDGE_KEYS']) return undefined;
  if (env['RXBRIDGE_KEY_FILE']) return env['RXBRIDGE_KEY_FILE'];
  const path = config.store.startsWith('sqlite:') ? config.store.slice('sqlite:'.length) : undefined;
  if (path === ':memory:') return undefined;
  return path !== undefined ? join(dirname(resolve(path)), 'rxbridge.keys') : resolve('./data/rxbridge.keys');
}

export async function openGovernanceStore(config: Config): Promise<GovernanceStore> {
  if (config.store.startsWith('sqlite:')) {
    const path = config.store.slice('sqlite:'.length);
    return openSqliteGovernanceStore(path === ':memory:' ? path : resolve(path));
  }
  return openPostgresGovernanceStore({ url: config.store, schema: config.scaled.postgresSchema });
}

export async function openSecurity(
  config: Config,
  store: Store,
  clock: Clock,
  keyring: Keyring = keyringFor(config),
): Promise<Security> {
  const governance = await openGovernanceStore(config);
  const s = config.security;
  const auth = createAuthenticator({
    store: governance,
    keyring,
    clock,
    audit: store.audit,
    bearer: createBearerVerifier(s.oidc, s.cdsClients),
    settings: {
      sessionIdleMs: s.sessionIdleMinutes * 60_000,
      sessionAbsoluteMs: s.sessionAbsoluteHours * 3_600_000,
      defaultSite: s.defaultSite,
    },
  });
  const consent = createConsentRegistry({
    store: governance,
    keyring,
    audit: store.audit,
    now: () => clock.now(),
  });
  return { keyring, governance, auth, consent };
}

/**
 * Opens the store named by config: `sqlite:<path>` (relative to the working directory) or a postgres URL, with
 * patient data encrypted at rest under the keyring.
 */
export async function openStore(
  config: Config,
  clock: Clock = systemClock,
  keyring: Keyring = keyringFor(config),
): Promise<Store> {
  const retry = retryPolicyOf(config);
  if (config.store.startsWith('sqlite:')) {
    const path = config.store.slice('sqlite:'.length);
    return encryptedStore(
      await openSqliteStore({ path: path === ':memory:' ? path : resolve(path), clock, retry }),
      keyring,
    );
  }
  return encryptedStore(
    await openPostgresStore({ url: config.store, clock, retry, schema: config.scaled.postgresSchema }),
    keyring,
  );
}

export async function openBus(config: Config): Promise<EventBus> {
  if (config.bus === 'local') return createLocalBus();
  return openNatsBus({
    servers: config.bus,
    name: `rxbridge-${hostname()}-${process.pid}`,
    stream: config.scaled.natsStream,
    subjectPrefix: config.scaled.natsSubjectPrefix,
  });
}

/** Where `rxbridge terminology load` writes by default (relative to the working directory). */
export const DEFAULT_RXNORM_FILE = './data/terminology/rxnorm.json';

/**
 * The loaded RxNorm vocabulary when one is configured or present at the default path (layered over the starter),
 * otherwise the built-in starter. A configured file that cannot be read stops start-up with the reason.
 */
export function openTerminology(config: Config, logger: Logger): Terminology {
  const configured = config.knowledge.rxnormFile;
  const path = configured ?? (existsSync(DEFAULT_RXNORM_FILE) ? DEFAULT_RXNORM_FILE : undefined);
  if (path === undefined) return createStarterTerminology();
  try {
    const terminology = createLoadedTerminology(resolve(path));
    logger.info({ file: path }, 'loaded RxNorm vocabulary');
    return terminology;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(`knowledge.rxnormFile: cannot read the RxNorm vocabulary ${path}: ${reason}`);
  }
}

export async function startEngine(options: EngineOptions): Promise<Engine> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const metrics = createMetrics();
  const keyring = keyringFor(config);
  const store = await openStore(config, clock, keyring);
  const cleanups: Array<() => Promise<void>> = [async () => store.close()];
  const stopAll = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'error while stopping');
      }
    }
  };
  try {
    const security = await openSecurity(config, store, clock, keyring);
    cleanups.push(async () => security.governance.close());
    // Signed checkpoints over the audit chain every minute and at stop (rxbridge audit verify checks them).
    const checkpointer = startCheckpointer({
      audit: store.audit,
      store: security.governance,
      keyring: security.keyring,
      intervalMs: 60_000,
      onError: (error) =>
        logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'audit checkpoint failed',
        ),
    });
    cleanups.push(() => checkpointer.stop());
    // Online key rotation: a version appended to the key file is used for new values within a minute.
    const keyFile = keyFileFor(config);
    if (keyFile !== undefined) {
      const keyTimer = setInterval(() => {
        try {
          const added = refreshKeyring(keyring, keyFile);
          if (added.length > 0) logger.info({ versions: added }, 'encryption key versions added');
        } catch (error) {
          logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'key file unreadable');
        }
      }, 60_000);
      keyTimer.unref();
      cleanups.push(() => {
        clearInterval(keyTimer);
        return Promise.resolve();
      });
    }
    /** Routes use this: a failed audit write refuses the response (503) instead of sending PHI unrecorded. */
    const routeAudit = guardedAudit(store.audit);
    const demoCredentials = config.demo
      ? await ensureDemoAccount(security.auth, security.governance)
      : undefined;
    const bus = await openBus(config);
    cleanups.push(async () => bus.close());
    // Without the demo, the embedded pharmacy starts empty; real pharmacy systems are written through the writers
    // of the workspace block. Approved decisions are written back on top of the configured (read-only) pharmacy
    // and, in embedded mode, journaled beside the store (sealed) so they survive a restart.
    const journalPath = sqliteStorePath(config);
    const journal =
      journalPath !== undefined && journalPath !== ':memory:'
        ? openWriteJournal(join(dirname(resolve(journalPath)), 'pharmacy-writes.db'), keyringSealer(keyring))
        : undefined;
    if (journal) cleanups.push(() => Promise.resolve(journal.close()));
    const pharmacy = createWritablePharmacy(
      options.pharmacy ??
        createEmbeddedPharmacy(config.demo ? demoPharmacyAsOf(DEMO_PHARMACY, clock.now()) : { profiles: [] }),
      () => clock.now(),
      journal,
    );
    const terminology = openTerminology(config, logger);
    // One connection (token cache, limiter, breaker) per EHR endpoint, shared by the flows and the workspace.
    const ehrConnections = new Map(config.ehr.endpoints.map((e) => [e.name, connectEhr(e)]));
    const workspaceOptions = workspaceOptionsFromConfig(config, {
      ehrClients: new Map([...ehrConnections].map(([name, c]) => [name, c.client])),
      logger,
    });
    cleanups.push(() => workspaceOptions.close?.() ?? Promise.resolve());
    const workspace = createWorkspace({
      tasks: store.tasks,
      messages: store.messages,
      audit: routeAudit,
      clock,
      logger,
      metrics,
      pharmacy,
      terminology,
      defaultSite: config.security.defaultSite,
      // Consent from the governance registry before anything leaves.
      options: {
        consent: security.consent,
        ...workspaceOptions,
        ...options.workspace,
      },
    });

    // The EHR store (pulled resources, watermarks, patient links; sealed) and the flows that use the EHR (#7).
    const ehrStore =
      config.ehr.endpoints.length > 0 || config.ehr.subscriptions.length > 0
        ? openSqliteFhirStore(resolve(config.ehr.resourceStore), keyringSealer(keyring))
        : undefined;
    if (ehrStore) cleanups.push(() => Promise.resolve(ehrStore.close()));
    // What the message processor and the EHR flows both work with.
    const pipelineDeps = {
      pharmacy,
      terminology,
      tasks: workspace.pipelineTasks,
      audit: store.audit,
      clock,
      metrics,
    };
    const ehrFlows = ehrStore
      ? ehrFlowsFrom(config, ehrConnections, ehrStore, { ...pipelineDeps, consent: security.consent })
      : undefined;

    // Rollout (#11): each workflow's mode per cohort decides what a discharge does; auto writes go through
    // the workspace's write-back. Modes are set with `rxbridge rollout set` or POST /api/rollout/modes.
    const rolloutStore = await openRolloutStore(config, keyring);
    cleanups.push(async () => rolloutStore.close());
    const rolloutMetrics = createRolloutMetrics(metrics.registry);
    // Alert rules (rollout figures, silent channels, dead letters, volume, certificates) on a timer.
    const monitor = startRolloutMonitor({
      store: rolloutStore,
      tasks: store.tasks,
      messages: store.messages,
      clock,
      notifiers: notifiersFrom(config),
      ...monitorTimingFrom(config),
      metrics: rolloutMetrics,
      certificates: certificatesFrom(config),
      onError: (what, error) =>
        logger.warn({ err: error instanceof Error ? error.message : String(error) }, `${what} failed`),
    });
    cleanups.push(() => Promise.resolve(monitor.stop()));

    let worker: PipelineWorker | undefined;
    if (options.workers !== false) {
      const rollout = createRolloutGate({
        store: rolloutStore,
        audit: store.audit,
        clock,
        writeBack: pharmacy,
        guardrails: guardrailsFrom(config),
        metrics: rolloutMetrics,
      });
      const process = createMessageProcessor({
        ...pipelineDeps,
        logger,
        rollout,
        ...(ehrFlows ? { ehr: ehrFlows } : {}),
        pharmacyChannels: new Set(
          config.mllp.listeners.filter((l) => l.from === 'pharmacy').map((l) => `mllp:${l.name}`),
        ),
      });
      const w = startPipelineWorker({
        id: `worker-${hostname()}-${newId().slice(-8)}`,
        store: store.messages,
        process,
        concurrency: config.worker.concurrency,
        leaseMs: config.worker.leaseMs,
        pollMs: config.worker.pollMs,
        maxAttempts: config.worker.maxAttempts,
        logger,
        metrics,
      });
      worker = w;
      cleanups.push(async () => w.stop());
      const subscription = await bus.subscribe(
        MESSAGE_STORED_TOPIC,
        async () => {
          w.wake();
          return Promise.resolve();
        },
        { group: 'pipeline-workers', concurrency: 16 },
      );
      cleanups.push(async () => subscription.stop());
      if (ehrFlows && config.ehr.flows.syncMinutes > 0) {
        cleanups.push(startEhrSync(ehrFlows, config.ehr.flows.syncMinutes * 60_000, logger));
      }
    }

    const notifyStored = (messageId: string, partitionKey: string): void => {
      worker?.wake();
      // The store is the source of truth; a lost event only delays pickup until the next poll.
      bus.publish(MESSAGE_STORED_TOPIC, partitionKey, { messageId }).catch((error: unknown) => {
        logger.warn(
          { messageId, err: error instanceof Error ? error.message : String(error) },
          'bus publish failed',
        );
      });
    };

    const mllpServers: MllpServer[] = [];
    const mllpAddresses: Array<{ name: string; host: string; port: number }> = [];
    let httpUrl: string | undefined;
    let httpRoutes: readonly RegisteredRoute[] = [];
    if (options.listeners !== false) {
      for (const listener of config.mllp.listeners) {
        const channel = `mllp:${listener.name}`;
        const server = await startMllpServer({
          host: listener.host,
          port: listener.port,
          channel,
          store: store.messages,
          maxFrameBytes: listener.maxFrameBytes,
          idleTimeoutMs: listener.idleTimeoutMs,
          maxConnections: listener.maxConnections,
          ...(listener.tls
            ? {
                tls: {
                  cert: readFileSync(listener.tls.certFile),
                  key: readFileSync(listener.tls.keyFile),
                  ...(listener.tls.caFile ? { ca: readFileSync(listener.tls.caFile) } : {}),
                  requestClientCert: listener.tls.requireClientCert,
                },
              }
            : {}),
          logger,
          onStored: (result, input) => {
            metrics.messagesReceived.inc({ channel, outcome: result.duplicate ? 'duplicate' : 'accepted' });
            if (!result.duplicate) notifyStored(result.id, input.partitionKey);
          },
        });
        mllpServers.push(server);
        cleanups.push(async () => server.close());
        mllpAddresses.push({ name: listener.name, ...server.address() });
      }
      if (config.files.dropFolder !== undefined) {
        const stopFolder = startDropFolder(
          { dir: resolve(config.files.dropFolder), store: store.messages },
          config.files.pollMs,
          (error: unknown) =>
            logger.warn(
              { err: error instanceof Error ? error.message : String(error) },
              'drop folder scan failed',
            ),
        );
        cleanups.push(stopFolder);
      }

      const app = createHttpServer({
        logger,
        metrics,
        bodyLimitBytes: config.http.bodyLimitBytes,
        webRoot: options.webRoot ?? webRoot(),
        auth: security.auth,
        ...(config.http.tls
          ? {
              https: {
                cert: readFileSync(config.http.tls.certFile),
                key: readFileSync(config.http.tls.keyFile),
              },
            }
          : {}),
        readiness: [
          { name: 'store', check: () => store.ping() },
          { name: 'bus', check: () => bus.ping() },
        ],
      });
      registerMessageRoutes(app, {
        messages: store.messages,
        audit: routeAudit,
        onReplay: (m) => notifyStored(m.id, m.partitionKey),
      });
      workspace.register(app);
      // C-CDA upload (POST /api/documents, permission ingest:write): stored before the 2xx, then processed.
      registerCcdaUploadRoute(app, {
        messages: store.messages,
        onStored: (id, partitionKey) => notifyStored(id, partitionKey),
      });
      registerRolloutRoutes(app, { store: rolloutStore, audit: routeAudit, tasks: store.tasks, clock });
      // Vaccine care gaps only when the CDSi supporting data is configured (knowledge.cdsiDir).
      const cdsiDir = config.knowledge.cdsiDir;
      registerGovernanceRoutes(app, {
        audit: routeAudit,
        governance: security.governance,
        keyring: security.keyring,
        auth: security.auth,
        consent: security.consent,
      });
      registerCdsHooksRoutes(app, {
        terminology,
        audit: routeAudit,
        now: () => clock.now(),
        ...(cdsiDir !== undefined ? { careGaps: loadCareGapEngine(cdsiDir) } : {}),
      });
      // Our SMART Backend Services public keys (every ehr.endpoints key ring), for the EHRs to verify assertions.
      if (config.ehr.endpoints.length > 0) {
        registerJwksRoute(
          app,
          [...ehrConnections.values()].map((c) => c.keys),
        );
      }
      // FHIR subscription notifications from EHRs (POST /fhir/subscriptions/<name>), kept in the sealed EHR store.
      if (ehrStore && config.ehr.subscriptions.length > 0) {
        const receiver = new SubscriptionReceiver({
          registrations: config.ehr.subscriptions.map((sub) => {
            const secret = process.env[sub.secretEnv];
            if (secret === undefined || secret === '') {
              throw new RxBridgeError(
                ErrorCode.ConfigInvalid,
                `ehr.subscriptions ${sub.name}: environment variable ${sub.secretEnv} is not set`,
              );
            }
            return {
              name: sub.name,
              endpoint: sub.endpoint,
              auth: sub.auth === 'hmac' ? { kind: 'hmac', secret } : { kind: 'bearer', token: secret },
              maxSkewMs: sub.maxSkewSeconds * 1000,
            };
          }),
          store: ehrStore,
          onNotification: async (n) => {
            const resources = n.events.flatMap((e) => (e.resource ? [e.resource] : []));
            const counts = ehrStore.upsert(n.endpoint, resources);
            await routeAudit.record({
              actor: `system:ehr:${n.endpoint}`,
              action: 'ingest',
              category: 'fhir',
              source: `subscription:${n.subscription}`,
              outcome: 'success',
              detail: `${n.type}: ${counts.inserted} new, ${counts.updated} updated, ${counts.unchanged} unchanged`,
            });
            // Changes to linked patients are reconciled after the EHR has its answer (the sync is the backstop).
            if (ehrFlows?.endpoint === n.endpoint && counts.inserted + counts.updated > 0) {
              ehrFlows
                .flagPushed(resources)
                .catch((error: unknown) =>
                  logger.warn(
                    { endpoint: n.endpoint, err: error instanceof Error ? error.message : String(error) },
                    'reconciling pushed changes failed; the next sync retries',
                  ),
                );
            }
          },
          onGap: (gap) =>
            logger.warn(
              { subscription: gap.subscription, from: gap.from, to: gap.to },
              'subscription events missed; re-query the EHR for that range',
            ),
        });
        await registerSubscriptionRoutes(app, receiver);
      }
      await app.listen({ host: config.http.host, port: config.http.port });
      cleanups.push(async () => app.close());
      const address = app.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : config.http.port;
      const shownHost = ['127.0.0.1', '0.0.0.0', '::', '::1'].includes(config.http.host)
        ? 'localhost'
        : config.http.host;
      httpUrl = `${config.http.tls ? 'https' : 'http'}://${shownHost}:${port}`;
      httpRoutes = registeredRoutes(app);
    }

    // Queue depth and dead letters for /metrics, refreshed in the background.
    const refreshGauges = async (): Promise<void> => {
      const counts = await store.messages.countByState();
      for (const state of MESSAGE_STATES) metrics.messagesByState.set({ state }, counts[state]);
    };
    const gaugeTimer = setInterval(() => {
      refreshGauges().catch(() => undefined);
    }, 5_000);
    gaugeTimer.unref();
    cleanups.push(() => {
      clearInterval(gaugeTimer);
      return Promise.resolve();
    });

    const retention = config.retention;
    if ((retention.days > 0 || retention.maxFinished > 0) && options.workers !== false) {
      const prune = async (): Promise<void> => {
        const r = await runRetention({
          messages: store.messages,
          now: clock.now(),
          days: retention.days,
          maxFinished: retention.maxFinished,
          ...(retention.archiveDir !== undefined
            ? {
                archiveDir: resolve(retention.archiveDir),
                seal: (b) => keyring.encrypt(b, 'rxbridge-archive'),
              }
            : {}),
        });
        if (r.removed > 0)
          logger.info(
            { removed: r.removed, archived: r.archived, archiveFile: r.archiveFile },
            'pruned finished messages',
          );
      };
      const pruneTimer = setInterval(() => {
        prune().catch((error: unknown) =>
          logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'prune failed'),
        );
      }, 3_600_000);
      pruneTimer.unref();
      cleanups.push(() => {
        clearInterval(pruneTimer);
        return Promise.resolve();
      });
    }

    let stopped: Promise<void> | undefined;
    return {
      store,
      security,
      ...(demoCredentials ? { demoCredentials } : {}),
      bus,
      metrics,
      httpUrl,
      httpRoutes,
      mllp: mllpAddresses,
      worker,
      pharmacy,
      ehr: ehrFlows,
      stop: () => (stopped ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The SQLite store's file path (embedded mode), else undefined. */
function sqliteStorePath(config: Config): string | undefined {
  return config.store.startsWith('sqlite:') ? config.store.slice('sqlite:'.length) : undefined;
}

/** The care-gap engine over the configured CDSi data; a bad directory stops start-up with one clear reason. */
function loadCareGapEngine(dir: string): CareGapEngine {
  try {
    return createCareGapEngine(dir);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(`knowledge.cdsiDir: cannot load the CDSi supporting data from ${dir}: ${reason}`);
  }
}
