import type { FastifyServerOptions } from 'fastify'
import type { Config } from './config.ts'

/** Structured JSON logs; pretty only when a person watches a terminal. */
export function loggerOptions(config: Pick<Config, 'logLevel'>): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    ...(process.stdout.isTTY ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
  }
}
