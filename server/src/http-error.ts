import { STATUS_CODES } from 'node:http'

/**
 * An answer only HTTP has words for (log in first, not for your role, too many attempts), thrown by
 * routes and the auth hooks. Services throw domain errors (domain-errors.ts) instead; the one error
 * handler in app.ts answers both as `{ statusCode, error, message }`.
 */
export class HttpError extends Error {
  override name = 'HttpError'
  constructor(
    readonly statusCode: 400 | 401 | 403 | 404 | 409 | 413 | 429,
    message: string,
  ) {
    super(message)
  }

  get error(): string {
    return STATUS_CODES[this.statusCode] ?? 'Error'
  }
}
