export { applyOperator } from './apply.js';
export { type OperatorEngine, operatorEngine } from './engine.js';
export {
  advection,
  biharmonic,
  type Complex,
  checkOperator,
  type DifferentialOperator,
  diffusionReaction,
  helmholtz,
  identityOperator,
  isIdentity,
  MAX_OPERATOR_ORDER,
  type OperatorTerm,
  polynomialOperator,
  scaleOperator,
  sumOperators,
  symbolsAt,
} from './operator.js';
export { type OperatorSpec, operatorSpecSchema } from './schema.js';
export { operatorDimension, operatorFromSpec } from './spec.js';
