// One pino logger for the process; request logs are its children (pino-http in app.ts).
// Development prints readable lines (pino-pretty, written synchronously so the last lines before
// an exit are not lost); production prints JSON for the log collector; tests are quiet.
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config.js';

export type { Logger };

export function createLogger(config: Pick<Config, 'logLevel' | 'env' | 'logFormat'>): Logger {
  const options = {
    level: config.env === 'test' && config.logLevel === 'info' ? 'silent' : config.logLevel,
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
      remove: true,
    },
  };
  if (config.logFormat === 'json') return pino(options);
  return pino(options, pretty({ sync: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }));
}
