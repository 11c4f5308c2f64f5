import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { ConfigError, loadConfig, type Config } from './config';
import { createLogger } from './log';
import { migrate, openOrm } from './db/orm';
import { DataDirLockedError, startEmbeddedDatabase, type EmbeddedDatabase } from './db/embedded';
import type Router from '@koa/router';
import { createApp, type AppDeps } from './app';
import { configureStatements } from './db/sql';
import { configureSessions } from './domain/session/sessions';
import { countChannels, createChannel } from './domain/channel/channels';
import { scimBaseUrl, serviceProviderUrls } from './domain/saml/service-provider';
import { systemActor } from './domain/context';

export interface RosterOptions {
  logger?: Logger;
  /** Apply pending migrations before serving (default true). */
  migrate?: boolean;
  /** On an empty embedded database, create the `demo` channel and print its key (default: when embedded). */
  bootstrapDemo?: boolean;
  /** Where the demo announcement goes (default: stdout). */
  announce?: (text: string) => void;
  /** Extra routes mounted after the standard ones (the benchmark's floor route). */
  extraRoutes?: (deps: AppDeps) => Router;
}

export interface Roster {
  server: http.Server;
  url: string;
  orm: MikroORM;
  config: Config;
  logger: Logger;
  /** Stops accepting connections, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

export async function openDatabase(
  config: Config,
  logger: Logger,
): Promise<{ orm: MikroORM; embedded?: EmbeddedDatabase }> {
  let embedded: EmbeddedDatabase | undefined;
  let clientUrl = config.databaseUrl;
  if (!clientUrl) {
    embedded = await startEmbeddedDatabase(config.dataDir);
    clientUrl = embedded.url;
    logger.info({ dataDir: config.dataDir }, 'embedded PostgreSQL started');
  }
  configureStatements({ prepare: !embedded && config.databasePreparedStatements });
  try {
    const orm = await openOrm({
      clientUrl,
      poolMax: embedded ? 1 : config.databasePoolMax,
      jitOff: !embedded,
      log: (message) => logger.debug(message),
    });
    return { orm, embedded };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

export async function startRoster(config: Config, options: RosterOptions = {}): Promise<Roster> {
  const logger = options.logger ?? createLogger(config.logLevel);
  configureSessions({
    secret: config.sessionSecret,
    idleSeconds: config.sessionIdleSeconds,
    absoluteSeconds: config.sessionAbsoluteSeconds,
  });
  const { orm, embedded } = await openDatabase(config, logger);
  try {
    if (options.migrate ?? true) {
      const applied = await migrate(orm);
      if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    }
    if (options.bootstrapDemo ?? Boolean(embedded)) await bootstrapDemo(orm, config, options.announce);

    const app = await createApp({ config, orm, logger });
    if (options.extraRoutes) app.koa.use(options.extraRoutes({ config, orm, logger }).routes());
    const server = http.createServer(app.koa.callback());
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, resolve);
    });
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    logger.info({ port, publicUrl: config.publicUrl }, 'roster listening');

    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        app.beginShutdown();
        const drained = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await drained;
        await app.stop();
        await orm.close();
        await embedded?.stop();
        logger.info('roster stopped');
      })());
    return { server, url, orm, config, logger, close };
  } catch (error) {
    await orm.close();
    await embedded?.stop();
    throw error;
  }
}

/** A fresh embedded database gets a `demo` channel, so that `npm start` is immediately usable. */
async function bootstrapDemo(
  orm: MikroORM,
  config: Config,
  announce: (text: string) => void = (text) => process.stdout.write(text),
) {
  const em = orm.em.fork();
  const created = await em.transactional(async (tem) =>
    (await countChannels(tem)) === 0 ? createChannel(tem, { slug: 'demo', name: 'Demo channel' }, systemActor) : null,
  );
  if (!created) return;
  const sp = serviceProviderUrls(config.publicUrl, created.channel.slug);
  announce(
    [
      '',
      'Roster created the "demo" channel. Its admin API key is shown only this once:',
      '',
      `  Admin API key   ${created.adminApiKey}`,
      '',
      `  Admin console   ${config.publicUrl}/admin/   (sign in with the admin API key)`,
      `  GraphQL         ${config.publicUrl}/graphql   (Authorization: Bearer <admin API key>)`,
      `  SCIM base URL   ${scimBaseUrl(config.publicUrl)}   (after configureSaml and issueScimToken)`,
      `  SAML metadata   ${sp.metadataUrl}`,
      `  SAML ACS URL    ${sp.acsUrl}`,
      '',
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`roster: invalid configuration: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  let roster: Roster;
  try {
    roster = await startRoster(config, { logger });
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      process.stderr.write(`roster: ${error.message}\n`);
      process.exit(1);
    }
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      process.stderr.write(`roster: PORT: ${config.port} is already in use\n`);
      process.exit(1);
    }
    logger.fatal({ err: error }, 'start-up failed');
    process.exit(1);
  }
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const timer = setTimeout(() => {
      logger.error('shutdown took longer than 25 s; exiting');
      process.exit(1);
    }, 25_000);
    timer.unref();
    roster.close().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) {
  void main();
}
