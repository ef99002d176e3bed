import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { withStatementCache } from './statement-cache.ts'

describe('withStatementCache', () => {
  it('prepares a query once and hands the same statement out again', () => {
    const sqlite = new BetterSqlite3(':memory:')
    const database = withStatementCache(sqlite)
    const first = database.prepare('SELECT 1 AS one')
    expect(database.prepare('SELECT 1 AS one')).toBe(first)
    expect(first.all([])).toEqual([{ one: 1 }])
    database.close()
    expect(sqlite.open).toBe(false)
  })

  it('keeps at most `capacity` statements, dropping the least recently used', () => {
    const database = withStatementCache(new BetterSqlite3(':memory:'), 2)
    const a = database.prepare('SELECT 1')
    const b = database.prepare('SELECT 2')
    expect(database.prepare('SELECT 1')).toBe(a)
    database.prepare('SELECT 3')
    // SELECT 2 was the least recently used: prepared anew; SELECT 1 is still kept.
    expect(database.prepare('SELECT 2')).not.toBe(b)
    expect(database.prepare('SELECT 3')).toBeDefined()
    database.close()
  })

  it('runs a kept statement against a table changed since it was prepared', () => {
    const sqlite = new BetterSqlite3(':memory:')
    const database = withStatementCache(sqlite)
    sqlite.exec('CREATE TABLE t (a INTEGER)')
    database.prepare('INSERT INTO t (a) VALUES (?)').run([1])
    sqlite.exec('ALTER TABLE t ADD COLUMN b INTEGER')
    database.prepare('INSERT INTO t (a) VALUES (?)').run([2])
    expect(database.prepare('SELECT a FROM t ORDER BY a').all([])).toEqual([{ a: 1 }, { a: 2 }])
    database.close()
  })
})
