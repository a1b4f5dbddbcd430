import type { z } from 'zod';
import { AppError } from './errors.js';

/**
 * Validates service input with its schema. Routes validate at the edge too; services check again
 * because the CLI, the seed and other services call them directly.
 * @throws VALIDATION_FAILED with one detail per problem
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new AppError('VALIDATION_FAILED', undefined, {
      details: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return result.data;
}
