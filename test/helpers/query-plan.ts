import {
  CompiledQuery,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import type { Db } from '../../src/platform/db/database.js';
import type { Dialect } from '../../src/platform/db/create-db.js';

/** Records the queries a database handle runs, so a test can ask the database how it would run them. */
export class QueryRecorder implements KyselyPlugin {
  private recorded: { node: RootOperationNode; queryId: PluginTransformQueryArgs['queryId'] }[] = [];

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.recorded.push({ node: args.node, queryId: args.queryId });
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }

  /** The SQL and parameters of what `fn` ran, compiled by `db`. */
  async capture(db: Db, fn: () => Promise<unknown>): Promise<CompiledQuery[]> {
    const before = this.recorded.length;
    await fn();
    return this.recorded.slice(before).map((q) => db.getExecutor().compileQuery(q.node, q.queryId));
  }
}

/** The plan of a query as one string: SQLite's EXPLAIN QUERY PLAN details, or PostgreSQL's EXPLAIN text. */
export async function explain(db: Db, dialect: Dialect, query: CompiledQuery): Promise<string> {
  const prefix = dialect === 'sqlite' ? 'EXPLAIN QUERY PLAN ' : 'EXPLAIN ';
  const result = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(prefix + query.sql, [...query.parameters]));
  return result.rows.map((row) => String(dialect === 'sqlite' ? row.detail : row['QUERY PLAN'])).join('\n');
}
