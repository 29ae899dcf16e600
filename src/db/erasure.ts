// Erasing a person (DSGVO Art. 17): every text a table holds that names them or carries one of their ids is
// overwritten, wherever it sits (audit details, outbox messages, remembered answers, adapter state), so that no
// table keeps them; rows that only say what an agency did stay and lose the person.
import { sql } from "drizzle-orm";
import type { Tx } from "./client.ts";

export const ERASED = "[gelöscht]";

/** Replaces each needle (a name, an address, a platform id) in every text column of every table. */
export function scrubEverywhere(tx: Tx, needles: readonly string[]): number {
  const words = [...new Set(needles.filter((n) => n.trim().length >= 3))].sort((a, b) => b.length - a.length);
  if (words.length === 0) return 0;
  const tables = tx.all<{ name: string }>(sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations'`);
  let changed = 0;
  for (const { name: table } of tables) {
    const columns = tx.all<{ name: string; type: string }>(sql`SELECT name, type FROM pragma_table_info(${table})`).filter((c) => c.type === "" || /text/i.test(c.type));
    for (const { name: column } of columns)
      for (const word of words) {
        const col = sql.identifier(column);
        changed += tx.run(sql`UPDATE ${sql.identifier(table)} SET ${col} = replace(${col}, ${word}, ${ERASED}) WHERE instr(${col}, ${word}) > 0`).changes;
      }
  }
  return changed;
}
