import { type RawBuilder, sql } from 'kysely';

/**
 * A case-insensitive "contains" pattern for `lower(column) LIKE …`, with `%`, `_` and the escape
 * character typed by a person searched for literally. Portable: both SQLite and PostgreSQL honour
 * the explicit ESCAPE clause.
 */
export function containsPattern(text: string): RawBuilder<string> {
  const escaped = text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`);
  return sql<string>`${`%${escaped}%`} escape '\\'`;
}
