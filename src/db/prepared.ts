// Queries that drizzle builds and SQLite compiles once per database connection, then run with values for their
// placeholders. drizzle otherwise rebuilds a query's SQL from its parts on every call, which was most of what
// a command cost (issue 18); the hot paths (every event's bookkeeping, answers, the sweep) use these.
import { sql } from "drizzle-orm";
import type { Db, Tx } from "./client.ts";

/**
 * `build` runs once per connection and must return a prepared query (`….prepare()`); callers pass the
 * database or the transaction they are in. Values bound to a `param` in a comparison are passed as SQLite
 * stores them (a timestamp as milliseconds, a boolean as 0/1); values in `insert(…).values()` are converted
 * by their columns as usual.
 */
export function preparedQuery<Q>(build: (db: Tx) => Q): (db: Db | Tx) => Q {
  const byConnection = new WeakMap<object, Q>();
  return (db) => {
    // A transaction runs on its database's session (one better-sqlite3 connection) and may use its statements.
    const session = (db as unknown as { session: object }).session;
    let query = byConnection.get(session);
    if (!query) byConnection.set(session, (query = build(db as Tx)));
    return query;
  };
}

/** A named placeholder of a prepared query. */
export const param = (name: string) => sql.placeholder(name);

/**
 * A placeholder in `update(…).set()`: drizzle converts its value by the column there like a plain value (a Date,
 * JSON), but its types admit only values and SQL in set().
 */
export const setParam = <T>(name: string) => sql.placeholder(name) as unknown as T;
