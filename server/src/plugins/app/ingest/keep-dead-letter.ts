import type { FastifyBaseLogger } from 'fastify'
import type { IocMetrics } from '../metrics/metrics.plugin.ts'
import { classifyStoreError, describeStoreError } from '../storage/store-errors.ts'
import type { DeadLettersRepository, NewDeadLetter } from './dead-letters.repository.ts'

export interface DeadLetterDeps {
  deadLetters: Pick<DeadLettersRepository, 'record'>
  metrics: IocMetrics
  log: FastifyBaseLogger
}

/**
 * Keeps a refused message as a dead letter; resolves true once it is stored. A store failure that
 * passes (classifyStoreError: `transient`) is thrown, so the caller withholds the acknowledgement and
 * the message comes again. A dead letter the store itself refuses would be refused on every retry and
 * hold every message behind it, so that one is logged as an error, counted in
 * `ioc_ingest_dead_letters_lost_total{reason}`, and given up: resolves false, and the caller
 * acknowledges the message with no record kept but that log line.
 */
export async function keepDeadLetter(deps: DeadLetterDeps, letter: NewDeadLetter): Promise<boolean> {
  try {
    await deps.deadLetters.record(letter)
    return true
  } catch (error) {
    if (classifyStoreError(error) === 'transient') throw error
    deps.metrics.deadLettersLost.inc({ reason: letter.reason })
    deps.log.error(
      { err: error, topic: letter.topic.slice(0, 200), reason: letter.reason, detail: letter.detail.slice(0, 200), payloadBytes: letter.payload.byteLength, storeError: describeStoreError(error) },
      'the store refused the dead letter of a refused message: acknowledged without a record (see ioc_ingest_dead_letters_lost_total)',
    )
    return false
  }
}
