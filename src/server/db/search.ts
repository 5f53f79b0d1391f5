// Case-insensitive "contains" search, the same on SQLite and PostgreSQL. The term is matched
// literally: % and _ are escaped, not stripped, so "R&D_Labs 100%" is found by "d_labs 100%".
import { sql, type RawBuilder } from 'kysely'

const escapeLike = (term: string) => term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)

/** `lower(column) LIKE '%term%'` with an explicit escape character (SQLite has no default one). */
export const containsText = (column: string, term: string): RawBuilder<boolean> => sql<boolean>`lower(${sql.ref(column)}) like ${`%${escapeLike(term)}%`} escape '\\'`
