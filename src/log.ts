import pino, { type Logger } from 'pino';
import type { LogLevel } from './config';

/** JSON logs. Credentials never reach them: headers are not logged, and known secret fields are redacted. */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'roster' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          '*.authorization',
          '*.cookie',
          '*.password',
          '*.token',
          '*.adminApiKey',
          '*.SAMLResponse',
          'token',
          'adminApiKey',
          'password',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
