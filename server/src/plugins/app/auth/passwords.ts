import { randomInt } from 'node:crypto'
import { hash, verify } from '@node-rs/argon2'

/**
 * Password hashing for accounts and device credentials: argon2id (the library's default algorithm)
 * with its default cost — 19 MiB, 2 passes, the OWASP minimum — about 20 ms on this class of machine.
 * The PHC string it returns carries its own salt and parameters, so a later cost increase still
 * verifies old hashes.
 */
export function hashPassword(plain: string): Promise<string> {
  return hash(plain)
}

/** False for a wrong password and for a malformed stored hash alike: a login never throws on bad data. */
export async function verifyPassword(stored: string, plain: string): Promise<boolean> {
  try {
    return await verify(stored, plain)
  } catch {
    return false
  }
}

let dummy: Promise<string> | undefined
/**
 * Verifies against a throw-away hash, for logins to unknown or password-less accounts: they then take
 * as long as a real check, so the answer time does not tell which usernames exist.
 */
export async function spendVerifyTime(plain: string): Promise<void> {
  dummy ??= hashPassword('not a real password, only spends time')
  await verifyPassword(await dummy, plain)
}

// No 0/o, 1/l/i: read aloud over the phone or copied from paper without mistakes.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'
/** A one-time or device password: five groups of four (about 99 bits), e.g. `k7qm-x3pd-9wtr-fh2c-5bnz`. */
export function generatePassword(): string {
  const groups: string[] = []
  for (let g = 0; g < 5; g++) {
    let group = ''
    for (let i = 0; i < 4; i++) group += ALPHABET[randomInt(ALPHABET.length)]
    groups.push(group)
  }
  return groups.join('-')
}
