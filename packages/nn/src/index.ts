export {
  type LinearOperator,
  type PowerIterationOptions,
  type PowerIterationResult,
  powerIteration,
  powerIterationSync,
} from './power-iteration.js';
