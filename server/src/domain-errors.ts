/**
 * What went wrong in the city's terms, thrown by services and engines that know nothing of HTTP (the
 * alarm engine, accounts, indicators, station settings; the CLI calls the same services). The one
 * error handler in app.ts answers each kind with its status; the CLI prints the message.
 */
export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict'

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind
}

/** The request asks for something the rules do not allow (HTTP 400). */
export class InvalidRequest extends DomainError {
  override name = 'InvalidRequest'
  readonly kind = 'invalid'
}

/** The thing asked for does not exist (HTTP 404). */
export class NotFound extends DomainError {
  override name = 'NotFound'
  readonly kind = 'not_found'
}

/** The thing exists but its state forbids the change, e.g. an alarm already acknowledged (HTTP 409). */
export class Conflict extends DomainError {
  override name = 'Conflict'
  readonly kind = 'conflict'
}

/** The status the HTTP API answers each kind with. */
export const HTTP_STATUS: Record<DomainErrorKind, 400 | 404 | 409> = { invalid: 400, not_found: 404, conflict: 409 }
