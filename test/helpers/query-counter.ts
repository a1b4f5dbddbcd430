import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

/** Counts the queries a database handle runs, to prove an endpoint's count does not grow with data. */
export class QueryCounter implements KyselyPlugin {
  count = 0;

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.count += 1;
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }

  /** How many queries `fn` ran. */
  async measure(fn: () => Promise<unknown>): Promise<number> {
    const before = this.count;
    await fn();
    return this.count - before;
  }
}
