import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely'
import { withoutNul } from './nul-free-text.ts'

/**
 * A multi-row insert whose SQL Kysely compiles once per row count; each run binds its rows' values
 * to that SQL. Kysely builds an operation tree for every query it runs, walks it again for its
 * plugins (NulFreeTextPlugin) and compiles it to SQL: for the ingest's group commits — up to
 * hundreds of rows, tens of thousands of rows a second — 7 % of the server's busy time taking
 * Mosquitto's load (docs/benchmarks.md, "Ingest, issue #17: the store's checkpoints off the event
 * loop"). The statement is the one `build` makes, compiled by Kysely for the engine in use; values
 * get what NulFreeTextPlugin does to them (withoutNul).
 *
 * Every row must have the same keys in the same order, an absent value as null (not undefined): the
 * parameters are taken row by row in that order, as Kysely takes them. At most `cachedCounts` row
 * counts are kept (the group commit's largest group); a larger batch is compiled each time.
 */
export function createBatchInsert<DB, Row extends Record<string, unknown>, Returned>(
  db: Kysely<DB>,
  build: (rows: Row[]) => Compilable<Returned>,
  cachedCounts = 500,
) {
  const sqlByCount = new Map<number, string>()
  /** The statement for these rows: the SQL Kysely compiled for as many rows, with these rows' values. */
  function compile(rows: Row[]): CompiledQuery<Returned> {
    let sql = sqlByCount.get(rows.length)
    if (sql === undefined) {
      sql = build(rows).compile().sql
      if (rows.length <= cachedCounts) sqlByCount.set(rows.length, sql)
    }
    const parameters: unknown[] = []
    for (const row of rows) for (const key in row) parameters.push(withoutNul(row[key]))
    return CompiledQuery.raw(sql, parameters) as CompiledQuery<Returned>
  }
  return {
    compile,
    run: (rows: Row[]): Promise<QueryResult<Returned>> => db.executeQuery(compile(rows)),
  }
}
