import type { OperatorStage } from './operator-auth.service.js';
import type { TOperatorSession } from './operator-auth.schemas.js';
import type { Operator } from './operator.repository.js';

/** The signed-in operator (allow-listed fields) and the sign-in stage. */
export function presentOperatorSession(operator: Operator, stage: OperatorStage): TOperatorSession {
  return { operator: { id: operator.id, name: operator.name, email: operator.email }, stage };
}
