/**
 * Runs another Roster in its own operating-system process, from the TypeScript sources (compiled on the
 * fly with swc), configured only by its environment. Prints {"url": ...} once it listens; stops on SIGTERM.
 * The replay tests use it to show that single-use checks live in the database, not in a process.
 */
const fs = require('node:fs');
const swc = require('@swc/core');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};

require('reflect-metadata');
const { loadConfig } = require('../../../../src/config');
const { createLogger } = require('../../../../src/log');
const { startRoster } = require('../../../../src/main');

(async () => {
  const config = loadConfig(process.env);
  const roster = await startRoster(config, {
    logger: createLogger(config.logLevel),
    migrate: false,
    bootstrapDemo: false,
  });
  process.stdout.write(`${JSON.stringify({ url: roster.url })}\n`);
  process.on('SIGTERM', () => {
    roster.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
})().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
